"""Go fmt for template values.

`data/fmt_go_outputs.json` holds format strings and operands (typed: int, int64, float64,
string, bool, nil, []interface{}, map[string]interface{}) with the output Go 1.26's
fmt.Sprintf/Sprint/Sprintln produced for them, run through text/template's printf/print/
println. The cases cover the verb/flag/width/precision grid of Go's src/fmt/fmt_test.go for
these types plus the error annotations (%!verb(type=value), MISSING, EXTRA, BADWIDTH,
BADPREC, BADINDEX, NOVERB).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest

from otterhelm.template.fmt import format_float, format_value, go_quote, sprint, sprintf, sprintln
from otterhelm.template.gotypes import MISSING, GoObject, Int64

_DATA = Path(__file__).parent / "data" / "fmt_go_outputs.json"
# Rows of Go's src/fmt/fmt_test.go fmtTests whose operand is an untyped constant (int,
# float64, string, bool, nil), with the line they come from (Go 1.26).
_FMT_TEST = Path(__file__).parent / "data" / "go_fmt_test_vectors.json"


def _decode(encoded: Any) -> Any:
    if encoded is None:
        return None
    ((kind, raw),) = encoded.items()
    if kind == "bool":
        return bool(raw)
    if kind == "int":
        return int(raw)
    if kind == "int64":
        return Int64(raw)
    if kind == "float64":
        return float(raw)
    if kind == "string":
        return str(raw)
    if kind == "list":
        return [_decode(item) for item in raw]
    if kind == "map":
        return {key: _decode(item) for key, item in raw}
    raise AssertionError(f"unknown operand kind {kind}")


def _rows() -> list[Any]:
    rows = json.loads(_DATA.read_text(encoding="utf-8"))
    return [
        pytest.param(row, id=f"{row['func']}:{row['format']}:{json.dumps(row['args'])[:60]}") for row in rows
    ]


@pytest.mark.parametrize("row", _rows())
def test_matches_go(row: dict[str, Any]) -> None:
    args = [_decode(arg) for arg in row["args"]]
    if row["func"] == "printf":
        got = sprintf(row["format"], *args)
    elif row["func"] == "print":
        got = sprint(*args)
    else:
        got = sprintln(*args)
    assert got == row["go"]


def test_data_file_is_large_enough() -> None:
    assert len(json.loads(_DATA.read_text(encoding="utf-8"))) > 2000
    assert len(json.loads(_FMT_TEST.read_text(encoding="utf-8"))) > 290


def _fmt_test_rows() -> list[Any]:
    rows = json.loads(_FMT_TEST.read_text(encoding="utf-8"))
    return [pytest.param(row, id=f"fmt_test.go:{row['line']}:{row['format']}") for row in rows]


@pytest.mark.parametrize("row", _fmt_test_rows())
def test_go_fmt_test_vector(row: dict[str, Any]) -> None:
    assert sprintf(row["format"], _decode(row["arg"])) == row["go"]


# Floats as they print in Helm templates (helm-facts §1.5, checked against Go).
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "0"),
        (3.0, "3"),
        (1.5, "1.5"),
        (100000.0, "100000"),
        (999999.0, "999999"),
        (999999.9, "999999.9"),
        (1000000.0, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (1234567.5, "1.2345675e+06"),
        (12345678.9, "1.23456789e+07"),
        (1e20, "1e+20"),
        (0.0001, "0.0001"),
        (0.00012, "0.00012"),
        (0.00001, "1e-05"),
        (1e-7, "1e-07"),
        (float("inf"), "+Inf"),
        (float("nan"), "NaN"),
    ],
)
def test_float_v(value: float, expected: str) -> None:
    assert format_value(value) == expected


def test_format_float_is_strconv() -> None:
    assert format_float(1e21, "g", -1) == "1e+21"
    assert format_float(0.1, "f", -1) == "0.1"
    assert format_float(2.5, "e", -1) == "2.5e+00"
    assert format_float(1.0, "x", -1) == "0x1p+00"


def test_composites_print_like_go() -> None:
    assert format_value({"b": {"c": 2}, "a": 1}) == "map[a:1 b:map[c:2]]"
    assert format_value([1, "two", None, {"a": 1}]) == "[1 two <nil> map[a:1]]"
    assert format_value({}) == "map[]"
    assert format_value([]) == "[]"
    assert format_value(None) == "<nil>"
    assert format_value(MISSING) == "<no value>"


def test_bytes() -> None:
    # Go: fmt.Sprint([]byte("hi")) == "[104 105]"; %s, %x, %q treat it as a string.
    assert format_value(b"hi") == "[104 105]"
    assert sprintf("%s|%x|%X|%q|%d", b"hi", b"hi", b"hi", b"hi", b"hi") == 'hi|6869|6869|"hi"|[104 105]'
    assert sprintf("%#v", b"hi") == "[]byte{0x68, 0x69}"
    assert sprintf("%o|%c", b"hi", b"hi") == "[150 151]|[h i]"
    assert sprintf("%f", b"h") == "[%!f(uint8=104)]"
    assert sprintf("%T", b"") == "[]uint8"
    assert sprint(b"a", b"b") == "[97] [98]"
    assert sprintf("%s", b"\xff") == "\udcff"
    assert sprintf("%q", b"\xff") == '"\\xff"'


class _Version(GoObject):
    go_type: ClassVar[str] = "*semver.Version"

    def go_string(self) -> str | None:
        return "1.2.3"


class _Point(GoObject):
    go_type: ClassVar[str] = "main.Point"
    go_fields: ClassVar[dict[str, str]] = {"X": "x", "Name": "name"}

    def __init__(self) -> None:
        self.x = 1
        self.name = "p"


def test_stringer_objects() -> None:
    version = _Version()
    assert format_value(version) == "1.2.3"
    assert sprintf("%s|%q|%x|%5v|", version, version, version, version) == '1.2.3|"1.2.3"|312e322e33|1.2.3|'
    assert format_value([version]) == "[1.2.3]"
    assert sprintf("%T", version) == "*semver.Version"
    assert sprintf("%d", version) == "&{}"


def test_struct_objects() -> None:
    point = _Point()
    assert format_value(point) == "{1 p}"
    assert sprintf("%+v", point) == "{X:1 Name:p}"
    assert sprintf("%d", point) == "{1 %!d(string=p)}"


def test_sprint_spacing() -> None:
    # helm-facts §1.4: spaces only between operands when neither is a string.
    assert sprint(1, 2, "a", "b", 3, None) == "1 2ab3 <nil>"
    assert sprintln("a", 1, "b") == "a 1 b\n"


def test_quote() -> None:
    assert go_quote('a"b\\c\n\x00\u00e9\U0001f600\u200b') == '"a\\"b\\\\c\\n\\x00\u00e9\U0001f600\\u200b"'
    assert go_quote("\u00e9\U0001f600", ascii_only=True) == '"\\u00e9\\U0001f600"'


def test_pointer_of_composite_is_hex() -> None:
    assert sprintf("%p", [1]).startswith("0x")
    assert sprintf("%p", 1) == "%!p(int=1)"
