"""fromJson and fromJsonArray on malformed and awkward JSON, against helm v4.3.1.

data/go_from_json_cases.json holds, for each input, what helm's engine rendered for
`{{ fromJson .s }}@@{{ fromJsonArray .s }}`: Go's scanner wording for syntax errors
(including the space it feeds at the end of input), kind mismatches, out-of-range numbers
decoded as nil next to the error, and U+FFFD for lone surrogate escapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from otterhelm.funcs.serialization import from_json, from_json_array
from otterhelm.template import fmt

CASES = json.loads((Path(__file__).parent / "data" / "go_from_json_cases.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: repr(case["input"])[:40])
def test_from_json_matches_helm(case: dict[str, str]) -> None:
    text = case["input"]
    assert (
        fmt.format_value(from_json(text)) + "@@" + fmt.format_value(from_json_array(text)) == case["output"]
    )


def test_json_nesting_limit() -> None:
    # encoding/json's scanner stops at 10000 levels; helm v4.3.1 renders exactly this.
    assert from_json_array("[" * 10001 + "]" * 10001) == ["invalid character '[' exceeded max depth"]
    deepest = from_json_array("[" * 10000 + "]" * 10000)
    assert len(deepest) == 1
