"""helm pkg/chart/common/util/jsonschema_test.go with its testdata, plus v6 wording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart.model import Chart, Metadata
from otterhelm.chart.schema import (
    HEADER,
    SchemaValidationError,
    validate_chart_values,
    validate_single,
    validate_values,
)
from otterhelm.codec import yaml as codec_yaml

DATA = Path(__file__).parent / "testdata/schema"

SUBCHART_SCHEMA = b"""{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Values",
  "type": "object",
  "properties": {
    "age": {
      "description": "Age",
      "minimum": 0,
      "type": "integer"
    }
  },
  "required": [
    "age"
  ]
}
"""

SUBCHART_SCHEMA_2020 = b"""{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Values",
  "type": "object",
  "properties": {
    "data": {
      "type": "array",
      "contains": { "type": "string" },
      "unevaluatedItems": { "type": "number" }
    }
  },
  "required": ["data"]
}
"""


def parent_with_subchart(schema: bytes) -> Chart:
    parent = Chart(metadata=Metadata(name="chrt"))
    parent.add_subchart(Chart(metadata=Metadata(name="subchart"), schema=schema))
    return parent


def test_validate_against_single_schema() -> None:
    values = codec_yaml.load_values((DATA / "test-values.yaml").read_bytes())
    assert validate_single(values, (DATA / "test-values.schema.json").read_bytes()) is None


def test_validate_against_invalid_single_schema() -> None:
    values = codec_yaml.load_values((DATA / "test-values.yaml").read_bytes())
    assert validate_single(values, (DATA / "test-values-invalid.schema.json").read_bytes()) == (
        '"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with '
        "'https://json-schema.org/draft/2020-12/schema#'\n- at '': got number, want boolean or object"
    )


def test_validate_against_single_schema_negative() -> None:
    values = codec_yaml.load_values((DATA / "test-values-negative.yaml").read_bytes())
    assert validate_single(values, (DATA / "test-values.schema.json").read_bytes()) == (
        "- at '': missing property 'employmentInfo'\n- at '/age': minimum: got -5, want 0\n"
    )


def test_validate_against_schema() -> None:
    values = {"name": "John", "subchart": {"age": 25.0}}
    assert validate_chart_values(parent_with_subchart(SUBCHART_SCHEMA), values) == ""


def test_validate_against_schema_negative() -> None:
    values: dict[str, Any] = {"name": "John", "subchart": {}}
    assert validate_chart_values(parent_with_subchart(SUBCHART_SCHEMA), values) == (
        "subchart:\n- at '': missing property 'age'\n"
    )


def test_validate_against_schema_2020() -> None:
    values = {"name": "John", "subchart": {"data": ["hello", 12.0]}}
    assert validate_chart_values(parent_with_subchart(SUBCHART_SCHEMA_2020), values) == ""


def test_validate_against_schema_2020_negative() -> None:
    values = {"name": "John", "subchart": {"data": [12.0]}}
    assert validate_chart_values(parent_with_subchart(SUBCHART_SCHEMA_2020), values) == (
        "subchart:\n- at '/data': no items match contains schema\n  - at '/data/0': got number, want string\n"
    )


def test_unresolved_urn_is_permissive() -> None:
    schema = b"""{
        "$schema": "https://json-schema.org/draft-07/schema#",
        "$ref": "urn:example:helm:schemas:v1:helm-schema-validation-conditions:v1/helmSchemaValidation-true"
    }"""
    assert validate_single({"any": "value"}, schema) is None


@pytest.mark.parametrize("values", [{"name": "John"}, {"name": "John", "subchart": None}])
def test_missing_or_nil_subchart_values_are_skipped(values: dict[str, Any]) -> None:
    assert validate_chart_values(parent_with_subchart(SUBCHART_SCHEMA), values) == ""


def test_invalid_subchart_values_type() -> None:
    report = validate_chart_values(parent_with_subchart(SUBCHART_SCHEMA), {"subchart": "oops"})
    assert report == "subchart:\ninvalid type for values: expected object (map), got string\n"


def test_validate_values_raises_helms_message() -> None:
    root = Chart(
        metadata=Metadata(name="traefik"),
        schema=b'{"type": "object", "additionalProperties": false, "properties": {"image": {}}}',
    )
    with pytest.raises(SchemaValidationError) as info:
        validate_values(root, {"image": {}, "logs": {}})
    assert str(info.value) == HEADER + "traefik:\n- at '': additional properties 'logs' not allowed\n"


@pytest.mark.parametrize(
    ("schema", "values", "expect"),
    [
        (b'{"properties": {"a": {"type": "string"}}}', {"a": 1.0}, "- at '/a': got number, want string\n"),
        (
            b'{"properties": {"a": {"type": ["string", "null"]}}}',
            {"a": True},
            "- at '/a': got boolean, want null or string\n",
        ),
        (
            b'{"properties": {"a": {"enum": ["x", "y"]}}}',
            {"a": "z"},
            "- at '/a': value must be one of 'x', 'y'\n",
        ),
        (b'{"properties": {"a": {"const": "x"}}}', {"a": "z"}, "- at '/a': value must be 'x'\n"),
        (
            b'{"properties": {"a": {"pattern": "^x"}}}',
            {"a": "z"},
            "- at '/a': 'z' does not match pattern '^x'\n",
        ),
        (b'{"properties": {"a": {"maxLength": 1}}}', {"a": "zz"}, "- at '/a': maxLength: got 2, want 1\n"),
        (b'{"properties": {"a": {"maximum": 1.5}}}', {"a": 2.0}, "- at '/a': maximum: got 2, want 1.5\n"),
        (
            b'{"properties": {"a": {"maximum": 65535}}}',
            {"a": 70000.0},
            "- at '/a': maximum: got 70,000, want 65,535\n",
        ),
        (
            b'{"properties": {"a": {"minLength": 1000}}}',
            {"a": "x"},
            "- at '/a': minLength: got 1, want 1,000\n",
        ),
        (
            b'{"properties": {"a": {"enum": [1000000, 2.5, "x"]}}}',
            {"a": 3.0},
            "- at '/a': value must be one of 1000000, 2.5, 'x'\n",
        ),
        (b'{"properties": {"a": {"const": 1e21}}}', {"a": 3.0}, "- at '/a': value must be 1e21\n"),
        (b'{"properties": {"a": {"type": "integer"}}}', {"a": 1.5}, "- at '/a': got number, want integer\n"),
        (
            b'{"required": ["a", "b"]}',
            {},
            "- at '': missing properties 'a', 'b'\n",
        ),
        (
            b'{"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}',
            {"a": True},
            "- at '/a': 'anyOf' failed\n  - at '/a': got boolean, want string\n  - at '/a': got boolean, want integer\n",
        ),
        (
            b'{"properties": {"a": {"properties": {"b": {"type": "string"}, "c": {"type": "string"}}}}}',
            {"a": {"b": 1.0, "c": 2.0}},
            # The outermost group is unwrapped.
            "- at '/a/b': got number, want string\n- at '/a/c': got number, want string\n",
        ),
        (
            b'{"properties": {"a": {"properties": {"b": {"type": "string"}, "c": {"type": "string"}}},'
            b' "d": {"type": "string"}}}',
            {"a": {"b": 1.0, "c": 2.0}, "d": 3.0},
            "- at '/a': validation failed\n  - at '/a/b': got number, want string\n"
            "  - at '/a/c': got number, want string\n- at '/d': got number, want string\n",
        ),
        (
            b'{"$defs": {"s": {"minLength": 2, "pattern": "^x"}}, "properties": {"a": {"$ref": "#/$defs/s"},'
            b' "d": {"type": "string"}}}',
            {"a": "y", "d": 1.0},
            "- at '/a': validation failed\n  - at '/a': minLength: got 1, want 2\n"
            "  - at '/a': 'y' does not match pattern '^x'\n- at '/d': got number, want string\n",
        ),
        (
            b'{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"s": {"minLength": 2,'
            b' "pattern": "^x"}}, "properties": {"a": {"$ref": "#/definitions/s"}}}',
            {"a": "y"},
            "- at '/a': validation failed\n  - at '/a': minLength: got 1, want 2\n"
            "  - at '/a': 'y' does not match pattern '^x'\n",
        ),
        (
            b'{"$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s"}}}',
            {"a": 1.0},
            "- at '/a': got number, want string\n",
        ),
    ],
)
def test_v6_wording(schema: bytes, values: dict[str, Any], expect: str) -> None:
    assert validate_single(values, schema) == expect


@pytest.mark.parametrize(
    ("declared", "ref_siblings_checked"),
    [
        ("http://json-schema.org/draft-07/schema#", False),
        ("https://json-schema.org/draft-07/schema#", False),
        ("http://json-schema.org/schema#", True),
        ("https://json-schema.org/draft/2020-12/schema", True),
        (None, True),
    ],
)
def test_draft_follows_schema_url_like_v6(declared: str | None, ref_siblings_checked: bool) -> None:
    # Before 2019-09 a `$ref` makes its sibling keywords ignored.
    schema: dict[str, Any] = {
        "definitions": {"any": {}},
        "properties": {"a": {"$ref": "#/definitions/any", "type": "string"}},
    }
    if declared is not None:
        schema["$schema"] = declared
    report = validate_single({"a": 1.0}, json.dumps(schema).encode())
    assert (report is not None) is ref_siblings_checked
