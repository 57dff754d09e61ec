"""Schema failures reported exactly as the real helm v4.3.1 reports them: each case is a
chart written to disk, rendered by `helm template` and checked by otterhelm's loader,
coalescing and schema validation; helm's first error block must equal ours."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart.loader import load
from otterhelm.chart.schema import SchemaValidationError, validate_values
from otterhelm.codec.yaml import to_yaml
from otterhelm.values.coalesce import coalesce_values

from .test_corpus_charts import CORPUS

SCHEMAS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"properties": {"a": {"maximum": 65535}}}, {"a": 70000}),
    ({"properties": {"a": {"minimum": 0.5}}}, {"a": -1234567.5}),
    ({"properties": {"a": {"type": ["string", "null"]}}}, {"a": True}),
    ({"properties": {"a": {"enum": [1000000, 2.5, "x"]}}}, {"a": 3}),
    ({"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}, {"a": True}),
    (
        {"type": "object", "additionalProperties": False, "properties": {"image": {}}},
        {"image": {}, "logs": {}},
    ),
    ({"required": ["a", "b"]}, {"c": 1}),
    (
        {
            "properties": {
                "a": {"properties": {"b": {"type": "string"}, "c": {"type": "integer"}}},
                "d": {"type": "string", "minLength": 3, "pattern": "^z"},
            }
        },
        {"a": {"b": 1}, "d": "xy"},
    ),
    (
        {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "definitions": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
            "properties": {
                "ports": {"type": "array", "items": {"$ref": "#/definitions/port"}, "uniqueItems": True}
            },
        },
        {"ports": [80, 80, 0]},
    ),
    ({"properties": {"a": {"oneOf": [{"type": "integer"}, {"minimum": 0}]}}}, {"a": 5}),
]


def _write_chart(root: Path, schema: Any, values: dict[str, Any]) -> Path:
    chart = root / "schemachart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: schemachart\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(to_yaml(values) + "\n" if values else "")
    (chart / "values.schema.json").write_text(json.dumps(schema))
    (chart / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
    return chart


def _helm_error(helm: Path, chart: Path) -> str | None:
    done = subprocess.run(
        [str(helm), "template", "rel", str(chart)], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode == 0:
        return None
    return done.stderr


def _our_error(chart: Path) -> str | None:
    loaded = load(chart)
    try:
        validate_values(loaded, coalesce_values(loaded, {}))
    except SchemaValidationError as err:
        return f"Error: {err}\n"
    return None


def _corpus_cases() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rng = random.Random(404)
    picked: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for schema_file in sorted((CORPUS / "src").glob("*/*/values.schema.json"))[:12]:
        chart = load(schema_file.parent)
        values = coalesce_values(chart, {})
        keys = sorted(k for k in values if k != "global")
        if not keys:
            continue
        broken = dict(values)
        broken[rng.choice(keys)] = rng.choice([12345.5, "text", [1, 2], True])
        picked.append((json.loads(schema_file.read_text()), broken))
    return picked


@pytest.mark.parametrize(("schema", "values"), SCHEMAS)
def test_schema_errors_match_helm(
    tmp_path: Path, helm_binary: Path, schema: Any, values: dict[str, Any]
) -> None:
    chart = _write_chart(tmp_path, schema, values)
    expected = _helm_error(helm_binary, chart)
    assert expected is not None and expected.startswith("Error: values don't meet")
    ours = _our_error(chart)
    assert ours is not None
    # Go visits object properties in random order, so compare line sets beyond the header.
    assert sorted(ours.splitlines()) == sorted(expected.splitlines())


def test_corpus_schemas_with_broken_values_match_helm(tmp_path: Path, helm_binary: Path) -> None:
    mismatches: list[str] = []
    for index, (schema, values) in enumerate(_corpus_cases()):
        chart = _write_chart(tmp_path / str(index), schema, values)
        expected = _helm_error(helm_binary, chart)
        ours = _our_error(chart)
        if expected is None or ours is None:
            if (expected is None) != (ours is None):
                mismatches.append(f"case {index}: helm {expected!r} otterhelm {ours!r}")
            continue
        if sorted(ours.splitlines()) != sorted(expected.splitlines()):
            mismatches.append(f"case {index}:\nhelm:\n{expected}\notterhelm:\n{ours}")
    assert mismatches == []
