"""The built-in validator against the general `jsonschema` package: on every corpus
chart schema, with the chart's own values and with deterministic random mutations of them,
both must agree on validity, and the built-in one must never need the fallback."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

from otterhelm.chart import schema as chart_schema
from otterhelm.chart.loader import load
from otterhelm.chart.model import Chart
from otterhelm.chart.schema_library import validate_with_library, validator_class
from otterhelm.chart.schema_validator import Validator, draft_of, go_float, xtext_float, xtext_int
from otterhelm.values.coalesce import coalesce_values

from .test_corpus_charts import CORPUS

_REPLACEMENTS: list[Any] = [None, "x", "", -1.0, 3.0, 2.5, 70000.0, True, [], {}, ["a"], {"q": 1.0}]


def _mutate(rng: random.Random, value: Any) -> Any:
    if isinstance(value, dict) and value:
        out = dict(value)
        key = rng.choice(sorted(out))
        roll = rng.random()
        if roll < 0.2:
            out[key] = rng.choice(_REPLACEMENTS)
        elif roll < 0.3:
            out["zz_extra"] = 1.0
        elif roll < 0.35:
            del out[key]
        else:
            out[key] = _mutate(rng, out[key])
        return out
    if isinstance(value, list) and value:
        items = list(value)
        index = rng.randrange(len(items))
        items[index] = _mutate(rng, items[index])
        return items
    return rng.choice(_REPLACEMENTS)


def _charts_with_schemas() -> Iterator[tuple[str, Chart, dict[str, Any]]]:
    for directory in sorted((CORPUS / "src").glob("*/*")):
        root = load(directory)
        values = coalesce_values(root, {})
        stack = [(root, values)]
        while stack:
            chart, vals = stack.pop()
            for sub in chart.subcharts:
                if isinstance(vals.get(sub.name), dict):
                    stack.append((sub, vals[sub.name]))
            if chart.schema is not None:
                yield directory.name, chart, vals


def test_agrees_with_the_jsonschema_package_on_corpus_schemas() -> None:
    rng = random.Random(20261122)
    checked = 0
    disagreements: list[str] = []
    for name, chart, values in _charts_with_schemas():
        assert chart.schema is not None
        schema = json.loads(chart.schema)
        validator = Validator(schema)
        library_class = validator_class(schema)
        for trial in range(8):
            candidate = values if trial == 0 else _mutate(rng, values)
            ours = validator.validate(candidate)
            theirs = validate_with_library(library_class, schema, candidate)
            checked += 1
            if (not ours) != (theirs is None):
                disagreements.append(
                    f"{name}/{chart.name} trial {trial}: {[f.message for f in ours]} vs {theirs}"
                )
    assert checked > 200
    assert disagreements == []


def test_draft_detection() -> None:
    assert draft_of({"$schema": "http://json-schema.org/draft-07/schema#"}) == 7
    assert draft_of({"$schema": "https://json-schema.org/draft-07/schema"}) == 7
    assert draft_of({"$schema": "http://json-schema.org/draft-04/schema#"}) == 4
    assert draft_of({"$schema": "http://json-schema.org/schema#"}) == 2020
    assert draft_of({}) == 2020


def test_go_float_formatting() -> None:
    cases = {
        5.0: "5",
        1.5: "1.5",
        1e21: "1e+21",
        1e20: "1e+20",
        1e-05: "1e-05",
        -0.001: "-0.001",
    }
    for value, text in cases.items():
        assert go_float(value) == text


def test_draft4_exclusive_minimum_is_a_flag() -> None:
    schema = {"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 1, "exclusiveMinimum": True}
    failures = Validator(schema).validate(1.0)
    assert [f.message for f in failures] == ["exclusiveMinimum: got 1, want 1"]


def test_remote_references_fall_back_to_the_library() -> None:
    report = chart_schema.validate_single({"a": 1.0}, b'{"$ref": "https://example.invalid/schema.json"}')
    assert report is not None and report.startswith("unable to validate schema")


def test_numbers_print_as_x_text_does_in_english() -> None:
    # v6 formats through golang.org/x/text/message: grouped digits, or a mantissa times a
    # power of ten (what helm v4.3.1 prints for these values).
    cases = {
        1000000.0: "1×10⁰⁶",
        123456.0: "123,456",
        999999.5: "999,999.5",
        0.0001: "0.0001",
        0.00001: "1×10⁻⁰⁵",
        100000.5: "100,000.5",
        -0.5: "-0.5",
        12345.678: "12,345.678",
        2.5e-10: "2.5×10⁻¹⁰",
        -1000.0: "-1,000",
        1234567.891: "1.234567891×10⁰⁶",
        -1e300: "-1×10³⁰⁰",
    }
    for value, text in cases.items():
        assert xtext_float(value) == text
    assert xtext_int(1234567) == "1,234,567"
    assert xtext_int(854) == "854"
