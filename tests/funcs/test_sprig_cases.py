"""Template cases for the function library, run through otterhelm's template engine with
helm_functions().

`data/sprig_v3_3_0_cases.json` holds every template/expected pair sprig's *_test.go files
pass to `runt`/`runtv` (and the deterministic `runRaw` ones), with the test file, line and
test name in `where` and the template data typed as Go saw it. Rows of family "codec"
exercise serialization/crypto/random functions and are run by those functions' tests.
Cases whose data cannot be expressed as data (time.Time, Go structs, now-dependent output)
are ported by hand in test_sprig_manual.py.

`data/sprig_docs_cases.json` holds the examples of sprig v3.3.0's docs/*.md that are
hermetic templates on their own, with the output Go produced (the prose in the docs is not
always exact). `data/go_checked_cases.json` holds further cases (helm-facts §2.3 behaviours, edge cases
and error texts of every family) with the output or error that Go 1.26 text/template with
sprig v3.3.0 and semver v3.5.0 (the versions Helm v4 links) produced for them. Outputs are
Go's bytes; bytes that are not UTF-8 appear as surrogate escapes, as otterhelm keeps them.

`data/go_checked_signatures.json` calls every hermetic function with a grid of argument
lists (none, wrong types, too many, nil, int64, float64 ...) and holds Go's output or exact
error, which pins each function's declared Go signature. Not included: calls whose error
differs from Go's only in the position text of a wrong-type argument written as a
parenthesized call (`f (list 1)`), where Go names the call's last argument; that is the
executor's error location, not the function's signature.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otterhelm.funcs import helm_functions
from otterhelm.funcs.gokinds import IntList, StringList, StringMap
from otterhelm.funcs.gotime import UTC_LOCATION, GoTime
from otterhelm.template import TemplateError, TemplateSet
from otterhelm.template.gotypes import Int64

_DATA = Path(__file__).parent / "data" / "sprig_v3_3_0_cases.json"
_GO_CHECKED = Path(__file__).parent / "data" / "go_checked_cases.json"
_DOCS = Path(__file__).parent / "data" / "sprig_docs_cases.json"
_SIGNATURES = Path(__file__).parent / "data" / "go_checked_signatures.json"
_TYPED_LISTS: dict[str, type[list[Any]]] = {"[]string": StringList, "[]int": IntList}


def decode(encoded: Any) -> Any:
    """Typed Go values from the data files back into otterhelm's Go value model."""
    if encoded is None:
        return None
    if "typedlist" in encoded:
        return _TYPED_LISTS[encoded["typedlist"]](decode(item) for item in encoded["items"])
    if "typedmap" in encoded:
        assert encoded["typedmap"] == "map[string]string"
        return StringMap({key: decode(item) for key, item in encoded["pairs"]})
    ((kind, raw),) = encoded.items()
    decoders = {
        "bool": bool,
        "int": int,
        "int64": Int64,
        "float64": float,
        "string": str,
        "bytes": lambda text: text.encode("utf-8", "surrogateescape"),
        "list": lambda items: [decode(item) for item in items],
        "map": lambda pairs: {key: decode(item) for key, item in pairs},
        "unix": lambda seconds: GoTime(seconds, 0, UTC_LOCATION),
    }
    return decoders[kind](raw)


def _rows(family: str) -> list[Any]:
    rows = json.loads(_DATA.read_text(encoding="utf-8"))
    return [
        pytest.param(row, id=f"{row['where']}:{index}")
        for index, row in enumerate(rows)
        if row["family"] == family
    ]


def render(template: str, data: Any) -> str:
    templates = TemplateSet(helm_functions())
    templates.parse("test", template)
    return templates.execute("test", data)


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # The expected outputs were produced with TZ=UTC; "Local" dates depend on it.
    monkeypatch.setenv("TZ", "UTC")


def _check(row: dict[str, Any]) -> None:
    data = decode(row["vars"])
    if "error" in row:
        with pytest.raises(TemplateError) as raised:
            render(row["tpl"], data)
        assert str(raised.value) == row["error"]
    else:
        assert render(row["tpl"], data) == row["expect"]


@pytest.mark.parametrize("row", _rows("funcs"))
def test_sprig_case(row: dict[str, Any]) -> None:
    _check(row)


def _go_checked_rows() -> list[Any]:
    rows = json.loads(_GO_CHECKED.read_text(encoding="utf-8"))
    return [pytest.param(row, id=f"{index}:{row['tpl'][:50]}") for index, row in enumerate(rows)]


@pytest.mark.parametrize("row", _go_checked_rows())
def test_go_checked_case(row: dict[str, Any]) -> None:
    _check(row)


def _docs_rows() -> list[Any]:
    rows = json.loads(_DOCS.read_text(encoding="utf-8"))
    return [pytest.param(row, id=f"{row['where']}:{index}") for index, row in enumerate(rows)]


@pytest.mark.parametrize("row", _docs_rows())
def test_sprig_docs_example(row: dict[str, Any]) -> None:
    _check(row)


def _signature_rows() -> list[Any]:
    rows = json.loads(_SIGNATURES.read_text(encoding="utf-8"))
    return [pytest.param(row, id=f"{index}:{row['tpl'][:50]}") for index, row in enumerate(rows)]


@pytest.mark.parametrize("row", _signature_rows())
def test_go_checked_signature(row: dict[str, Any]) -> None:
    _check(row)


def test_case_count() -> None:
    # sprig v3.3.0 has ~430 template assertions; crypto/random/JSON ones belong to "codec".
    assert len(_rows("funcs")) >= 340
    assert len(_go_checked_rows()) >= 1400
    assert len(_docs_rows()) >= 100
    assert len(_signature_rows()) >= 3000
