"""Go's exec_test.go: execTests, cmpTests and the ad hoc execution tests."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.template import TemplateExecError, TemplateSet
from otterhelm.template.gotypes import INT, MISSING, Func, GoObject, Uint, is_true
from otterhelm.template.nodes import Source
from otterhelm.template.parser import Tree
from tests.template.exec_cases import EXEC_TESTS, NOT_APPLICABLE, make_data
from tests.template.gofixtures import (
    FUNCS,
    IntPointer,
    MapIntInt,
    MapStringInt,
    NilT,
    Text,
    V,
    make_tval,
    nil_of,
    uint8,
)

# Rows whose only obstacle is printing complex128 through otterhelm.template.fmt's printf.
NEEDS_FMT_COMPLEX = {"printf complex", "printf lots", "bug16j"}

_RUNNABLE = [case for case in EXEC_TESTS if case[0] not in NOT_APPLICABLE]


def _execute(name: str, text: str, data: Any, funcs: dict[str, Func] | None = None) -> str:
    tset = TemplateSet(FUNCS if funcs is None else funcs)
    tset.parse(name, text)
    return tset.execute(name, data)


def _case_id(index: int, case: tuple[str, str, str, Any, bool]) -> str:
    return f"{index}-{case[0]}"


@pytest.mark.parametrize("case", _RUNNABLE, ids=[_case_id(i, c) for i, c in enumerate(_RUNNABLE)])
def test_execute(case: tuple[str, str, str, Any, bool]) -> None:
    name, text, output, data, ok = case
    if name in NEEDS_FMT_COMPLEX:
        pytest.xfail("otterhelm.template.fmt does not format complex128 yet")
    if ok:
        assert _execute(name, text, make_data(data)) == output
    else:
        with pytest.raises(TemplateExecError):
            _execute(name, text, make_data(data))


def test_not_applicable_rows_exist() -> None:
    names = {case[0] for case in EXEC_TESTS}
    assert set(NOT_APPLICABLE) <= names


@pytest.mark.parametrize(
    ("left", "right"), [("", ""), ("{{", "}}"), ("<<", ">>"), ("|", "|"), ("(日)", "(本)")]
)
def test_delims(left: str, right: str) -> None:
    true_left, true_right = left or "{{", right or "}}"
    text = true_left + ".Str" + true_right + true_left + "/*comment*/" + true_right
    text += true_left + '"' + true_left + '"' + true_right
    tset = TemplateSet(delims=(left, right))
    tset.parse("delims", text)
    assert tset.execute("delims", {"Str": "Hello, world"}) == "Hello, world" + true_left


def test_execute_error_flows_back() -> None:
    with pytest.raises(TemplateExecError, match="my error"):
        _execute("error", "{{.MyError true}}", make_tval())


EXEC_ERROR_TEXT = """line 1
line 2
line 3
{{template "one" .}}
{{define "one"}}{{template "two" .}}{{end}}
{{define "two"}}{{template "three" .}}{{end}}
{{define "three"}}{{index "hi" $}}{{end}}"""


def test_exec_error() -> None:
    with pytest.raises(TemplateExecError) as caught:
        _execute("top", EXEC_ERROR_TEXT, 5)
    assert str(caught.value) == (
        'template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5'
    )
    assert [call.template_name for call in caught.value.template_calls] == ["top", "one", "two"]


def test_custom_error_is_kept_as_cause() -> None:
    class CustomError(Exception):
        pass

    def failing() -> str:
        raise CustomError("heyo !")

    with pytest.raises(TemplateExecError) as caught:
        _execute("top", "{{ err }}", None, {"err": Func(failing, ())})
    assert isinstance(caught.value.cause, CustomError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", "a"),
        ("'foo", "\\'foo"),
        ('Go "jump" \\', 'Go \\"jump\\" \\\\'),
        ('Yukihiro says "今日は世界"', 'Yukihiro says \\"今日は世界\\"'),
        ("unprintable \ufffe", "unprintable \\uFFFE"),
        ("<html>", "\\u003Chtml\\u003E"),
        ("no = in attributes", "no \\u003D in attributes"),
        ("&#x27; does not become HTML entity", "\\u0026#x27; does not become HTML entity"),
    ],
)
def test_js_escaping(text: str, expected: str) -> None:
    from otterhelm.template.builtins import js_escape_string

    assert js_escape_string(text) == expected


class _TreeNode(GoObject):
    go_type = "*template.Tree"
    go_fields = {"Val": "val", "Left": "left", "Right": "right"}  # noqa: RUF012

    def __init__(self, val: int, left: Any = None, right: Any = None) -> None:
        self.val = val
        self.left = left if left is not None else nil_of("*template.Tree")
        self.right = right if right is not None else nil_of("*template.Tree")


TREE_TEMPLATE = """
\t(- define "tree" -)
\t[
\t\t(- .Val -)
\t\t(- with .Left -)
\t\t\t(template "tree" . -)
\t\t(- end -)
\t\t(- with .Right -)
\t\t\t(- template "tree" . -)
\t\t(- end -)
\t]
\t(- end -)
"""


def test_tree() -> None:
    node = _TreeNode
    tree = node(
        1,
        node(2, node(3, node(4)), node(5, node(6))),
        node(7, node(8, node(9)), node(10, node(11))),
    )
    tset = TemplateSet(delims=("(", ")"))
    tset.parse("root", TREE_TEMPLATE)
    assert tset.execute("tree", tree) == "[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]"


def test_message_for_execute_empty() -> None:
    tset = TemplateSet()
    tset.add_tree("empty", Tree("empty", Source("empty", ""), None))
    with pytest.raises(TemplateExecError) as caught:
        tset.execute("empty", 0)
    assert str(caught.value) == 'template: empty: "empty" is an incomplete or empty template'
    tset.parse("secondary", '{{define "one"}}one{{end}}{{define "two"}}two{{end}}')
    with pytest.raises(TemplateExecError):
        tset.execute("empty", 0)
    assert tset.execute("secondary", 0) == ""


def test_final_for_printf() -> None:
    assert _execute("", '{{"x" | printf}}', 0) == "x"


CMP_TESTS: list[tuple[str, str, bool]] = [
    ("eq true true", "true", True),
    ("eq true false", "false", True),
    ("eq 1+2i 1+2i", "true", True),
    ("eq 1+2i 1+3i", "false", True),
    ("eq 1.5 1.5", "true", True),
    ("eq 1.5 2.5", "false", True),
    ("eq 1 1", "true", True),
    ("eq 1 2", "false", True),
    ("eq `xy` `xy`", "true", True),
    ("eq `xy` `xyz`", "false", True),
    ("eq .Uthree .Uthree", "true", True),
    ("eq .Uthree .Ufour", "false", True),
    ("eq 3 4 5 6 3", "true", True),
    ("eq 3 4 5 6 7", "false", True),
    ("ne true true", "false", True),
    ("ne true false", "true", True),
    ("ne 1+2i 1+2i", "false", True),
    ("ne 1+2i 1+3i", "true", True),
    ("ne 1.5 1.5", "false", True),
    ("ne 1.5 2.5", "true", True),
    ("ne 1 1", "false", True),
    ("ne 1 2", "true", True),
    ("ne `xy` `xy`", "false", True),
    ("ne `xy` `xyz`", "true", True),
    ("ne .Uthree .Uthree", "false", True),
    ("ne .Uthree .Ufour", "true", True),
    ("lt 1.5 1.5", "false", True),
    ("lt 1.5 2.5", "true", True),
    ("lt 1 1", "false", True),
    ("lt 1 2", "true", True),
    ("lt `xy` `xy`", "false", True),
    ("lt `xy` `xyz`", "true", True),
    ("lt .Uthree .Uthree", "false", True),
    ("lt .Uthree .Ufour", "true", True),
    ("le 1.5 1.5", "true", True),
    ("le 1.5 2.5", "true", True),
    ("le 2.5 1.5", "false", True),
    ("le 1 1", "true", True),
    ("le 1 2", "true", True),
    ("le 2 1", "false", True),
    ("le `xy` `xy`", "true", True),
    ("le `xy` `xyz`", "true", True),
    ("le `xyz` `xy`", "false", True),
    ("le .Uthree .Uthree", "true", True),
    ("le .Uthree .Ufour", "true", True),
    ("le .Ufour .Uthree", "false", True),
    ("gt 1.5 1.5", "false", True),
    ("gt 1.5 2.5", "false", True),
    ("gt 1 1", "false", True),
    ("gt 2 1", "true", True),
    ("gt 1 2", "false", True),
    ("gt `xy` `xy`", "false", True),
    ("gt `xy` `xyz`", "false", True),
    ("gt .Uthree .Uthree", "false", True),
    ("gt .Uthree .Ufour", "false", True),
    ("gt .Ufour .Uthree", "true", True),
    ("ge 1.5 1.5", "true", True),
    ("ge 1.5 2.5", "false", True),
    ("ge 2.5 1.5", "true", True),
    ("ge 1 1", "true", True),
    ("ge 1 2", "false", True),
    ("ge 2 1", "true", True),
    ("ge `xy` `xy`", "true", True),
    ("ge `xy` `xyz`", "false", True),
    ("ge `xyz` `xy`", "true", True),
    ("ge .Uthree .Uthree", "true", True),
    ("ge .Uthree .Ufour", "false", True),
    ("ge .Ufour .Uthree", "true", True),
    ("eq .Uthree .Three", "true", True),
    ("eq .Three .Uthree", "true", True),
    ("le .Uthree .Three", "true", True),
    ("le .Three .Uthree", "true", True),
    ("ge .Uthree .Three", "true", True),
    ("ge .Three .Uthree", "true", True),
    ("lt .Uthree .Three", "false", True),
    ("lt .Three .Uthree", "false", True),
    ("gt .Uthree .Three", "false", True),
    ("gt .Three .Uthree", "false", True),
    ("eq .Ufour .Three", "false", True),
    ("lt .Ufour .Three", "false", True),
    ("gt .Ufour .Three", "true", True),
    ("eq .NegOne .Uthree", "false", True),
    ("eq .Uthree .NegOne", "false", True),
    ("ne .NegOne .Uthree", "true", True),
    ("ne .Uthree .NegOne", "true", True),
    ("lt .NegOne .Uthree", "true", True),
    ("lt .Uthree .NegOne", "false", True),
    ("le .NegOne .Uthree", "true", True),
    ("le .Uthree .NegOne", "false", True),
    ("gt .NegOne .Uthree", "false", True),
    ("gt .Uthree .NegOne", "true", True),
    ("ge .NegOne .Uthree", "false", True),
    ("ge .Uthree .NegOne", "true", True),
    ("eq (index `x` 0) 'x'", "true", True),
    ("eq (index `x` 0) 'y'", "false", True),
    ("eq .V1 .V2", "true", True),
    ("eq .Ptr .Ptr", "true", True),
    ("eq .Ptr .NilPtr", "false", True),
    ("eq .NilPtr .NilPtr", "true", True),
    ("eq .Iface1 .Iface1", "true", True),
    ("eq .Iface1 .NilIface", "false", True),
    ("eq .NilIface .NilIface", "true", True),
    ("eq .NilIface .Iface1", "false", True),
    ("eq .NilIface 0", "false", True),
    ("eq 0 .NilIface", "false", True),
    ("eq .Map .Map", "true", True),
    ("eq .Map nil", "true", True),
    ("eq nil .Map", "true", True),
    ("eq .Map .NonNilMap", "false", True),
    ("eq `xy` 1", "", False),
    ("eq 2 2.0", "", False),
    ("lt true true", "", False),
    ("lt 1+0i 1+0i", "", False),
    ("eq .Ptr 1", "", False),
    ("eq .Ptr .NegOne", "", False),
    ("eq .Map .V1", "", False),
    ("eq .NonNilMap .NonNilMap", "", False),
]


class _CmpStruct(GoObject):
    go_type = "*struct"
    go_fields = {  # noqa: RUF012
        name: name
        for name in [
            "Uthree",
            "Ufour",
            "NegOne",
            "Three",
            "Ptr",
            "NilPtr",
            "NonNilMap",
            "Map",
            "V1",
            "V2",
            "Iface1",
            "NilIface",
        ]
    }

    def __init__(self) -> None:
        self.Uthree = Uint(3)
        self.Ufour = Uint(4)
        self.NegOne = -1
        self.Three = 3
        self.Ptr = IntPointer(0)
        self.NilPtr = nil_of("*int")
        self.NonNilMap = MapIntInt()
        self.Map = nil_of("map[int]int")
        self.V1 = V(0)
        self.V2 = V(0)
        self.Iface1 = Text("")
        self.NilIface = None


@pytest.mark.parametrize("case", CMP_TESTS, ids=[c[0] for c in CMP_TESTS])
def test_comparison(case: tuple[str, str, bool]) -> None:
    expr, truth, ok = case
    text = f"{{{{if {expr}}}}}true{{{{else}}}}false{{{{end}}}}"
    if ok:
        assert _execute("empty", text, _CmpStruct()) == truth
    else:
        with pytest.raises(TemplateExecError):
            _execute("empty", text, _CmpStruct())


def test_missing_map_key() -> None:
    data = MapStringInt({"x": 99})
    for mode, want in (("default", "99 <no value>"), ("invalid", "99 <no value>"), ("zero", "99 0")):
        tset = TemplateSet(missingkey=mode)
        tset.parse("t1", "{{.x}} {{.y}}")
        assert tset.execute("t1", data) == want
    tset = TemplateSet(missingkey="error")
    tset.parse("t1", "{{.x}} {{.y}}")
    with pytest.raises(TemplateExecError, match='map has no entry for key "y"'):
        tset.execute("t1", data)
    with pytest.raises(TemplateExecError, match='nil data; no entry for key "x"'):
        tset.execute("t1", None)


def test_unterminated_string_error() -> None:
    from otterhelm.template import TemplateParseError

    with pytest.raises(TemplateParseError, match="X:3: unterminated raw quoted string"):
        TemplateSet().parse("X", "hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n")


def test_execute_gives_exec_error() -> None:
    with pytest.raises(TemplateExecError, match="field X in type int"):
        _execute("X", "hello, {{.X.Y}}", 0)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (1, True),
        (0, False),
        (uint8(1), True),
        (uint8(0), False),
        (1.0, True),
        (0.0, False),
        (1 + 0j, True),
        (0j, False),
        (True, True),
        (False, False),
        ([1, 2], True),
        ([], False),
        (b"abc", True),
        (b"", False),
        ({"a": 1, "b": 2}, True),
        ({}, False),
        (IntPointer(0), True),
        (nil_of("*int"), False),
    ],
)
def test_is_true(value: Any, want: bool) -> None:
    assert is_true(value) == want


def test_block_and_clone() -> None:
    tset = TemplateSet()
    tset.parse("outer", 'a({{block "inner" .}}bar({{.}})baz{{end}})b')
    overlay = tset.clone()
    overlay.parse("overlay", '{{define "inner"}}foo({{.}})bar{{end}}')
    assert tset.execute("outer", "hello") == "a(bar(hello)baz)b"
    assert overlay.execute("outer", "goodbye") == "a(foo(goodbye)bar)b"


@pytest.mark.parametrize(
    ("name", "src", "value", "want"),
    [
        (
            "MissingFieldOnNil",
            "{{.MissingField}}",
            "nilT",
            "can't evaluate field MissingField in type *template.T",
        ),
        (
            "MissingFieldOnNonNil",
            "{{.MissingField}}",
            "T",
            "can't evaluate field MissingField in type *template.T",
        ),
        ("ExistingFieldOnNil", "{{.X}}", "nilT", "nil pointer evaluating *template.T.X"),
        (
            "MissingKeyOnNilMap",
            "{{.MissingKey}}",
            "nilMap",
            "nil pointer evaluating *map[string]string.MissingKey",
        ),
        ("MissingKeyOnMapPtrToNil", "{{.MissingKey}}", "emptyMap", "<nil>"),
    ],
)
def test_eval_field_errors(name: str, src: str, value: str, want: str) -> None:
    from tests.template.gofixtures import T

    data = {
        "nilT": lambda: NilT(),
        "T": lambda: T(),
        "nilMap": lambda: nil_of("*map[string]string"),
        "emptyMap": lambda: {},
    }[value]()
    try:
        _execute("tmpl", src, data)
        got = "<nil>"
    except TemplateExecError as exc:
        got = str(exc)
    assert got.endswith(want)


def test_max_exec_depth() -> None:
    with pytest.raises(TemplateExecError, match="exceeded maximum template depth"):
        _execute("tmpl", '{{template "tmpl" .}}', None)


@pytest.mark.parametrize("text", ["{{range .}}{{.String}}{{end}}", "{{with index . 0}}{{.String}}{{end}}"])
def test_addr_of_index(text: str) -> None:
    assert _execute("tmpl", text, [V(1)]) == "<1>"


INTERFACE_VALUE_TESTS = [
    ("{{index .Nil 1}}", "ERROR: index of untyped nil"),
    ("{{index .Slice 2}}", "2"),
    ("{{index .Slice .Two}}", "2"),
    ("{{call .Nil 1}}", "ERROR: call of nil"),
    ("{{call .PlusOne 1}}", "2"),
    ("{{call .PlusOne .One}}", "2"),
    ("{{and (index .Slice 0) true}}", "0"),
    ("{{and .Zero true}}", "0"),
    ("{{and (index .Slice 1) false}}", "false"),
    ("{{and .One false}}", "false"),
    ("{{or (index .Slice 0) false}}", "false"),
    ("{{or .Zero false}}", "false"),
    ("{{or (index .Slice 1) true}}", "1"),
    ("{{or .One true}}", "1"),
    ("{{not (index .Slice 0)}}", "true"),
    ("{{not .Zero}}", "true"),
    ("{{not (index .Slice 1)}}", "false"),
    ("{{not .One}}", "false"),
    ("{{eq (index .Slice 0) .Zero}}", "true"),
    ("{{eq (index .Slice 1) .One}}", "true"),
    ("{{ne (index .Slice 0) .Zero}}", "false"),
    ("{{ne (index .Slice 1) .One}}", "false"),
    ("{{ge (index .Slice 0) .One}}", "false"),
    ("{{ge (index .Slice 1) .Zero}}", "true"),
    ("{{gt (index .Slice 0) .One}}", "false"),
    ("{{gt (index .Slice 1) .Zero}}", "true"),
    ("{{le (index .Slice 0) .One}}", "true"),
    ("{{le (index .Slice 1) .Zero}}", "false"),
    ("{{lt (index .Slice 0) .One}}", "true"),
    ("{{lt (index .Slice 1) .Zero}}", "false"),
]


@pytest.mark.parametrize(("text", "out"), INTERFACE_VALUE_TESTS)
def test_interface_values(text: str, out: str) -> None:
    data = {
        "PlusOne": Func(lambda n: n + 1, (INT,)),
        "Slice": [0, 1, 2, 3],
        "One": 1,
        "Two": 2,
        "Nil": None,
        "Zero": 0,
    }
    if out.startswith("ERROR:"):
        with pytest.raises(TemplateExecError, match=out.removeprefix("ERROR:").strip()):
            _execute("tmpl", text, data)
    else:
        assert _execute("tmpl", text, data) == out


def _do_panic() -> str:
    raise RuntimeError("custom panic string")


PANIC_TESTS = [
    (
        "{{doPanic}}",
        "nilT",
        'template: t:1:2: executing "t" at <doPanic>: error calling doPanic: custom panic string',
    ),
    (
        "{{call doPanic}}",
        "nilT",
        'template: t:1:7: executing "t" at <doPanic>: error calling doPanic: custom panic string',
    ),
    (
        "{{.GetU}}",
        "nilT",
        'template: t:1:2: executing "t" at <.GetU>: error calling GetU: '
        "runtime error: invalid memory address or nil pointer dereference",
    ),
    (
        "{{call .GetU}}",
        "nilT",
        'template: t:1:7: executing "t" at <.GetU>: error calling GetU: '
        "runtime error: invalid memory address or nil pointer dereference",
    ),
    (
        "{{call .PanicFunc}}",
        "tVal",
        'template: t:1:2: executing "t" at <call .PanicFunc>: error calling call: test panic',
    ),
    (
        "{{.NonEmptyInterfaceNil.Method0}}",
        "tVal",
        'template: t:1:23: executing "t" at <.NonEmptyInterfaceNil.Method0>: '
        "nil pointer evaluating template.I.Method0",
    ),
]


@pytest.mark.parametrize(("text", "data", "want"), PANIC_TESTS)
def test_execute_panic_during_call(text: str, data: str, want: str) -> None:
    value = NilT() if data == "nilT" else make_tval()
    with pytest.raises(TemplateExecError) as caught:
        _execute("t", text, value, {"doPanic": Func(_do_panic, ())})
    assert want in str(caught.value)


# TestFunctionCheckDuringCall rows left out: they call func values whose declared results
# are wrong (no result, three results, a non-error second result); Go checks a func's
# result types, while a Python callable declares none.
FUNCTION_CHECK_NOT_APPLICABLE = (
    "call too few return number func",
    "call too many return number func",
    "call invalid return type func",
)

FUNCTION_CHECK_TESTS = [
    ("{{call}}", "tVal", "wrong number of args for call: want at least 1 got 0"),
    ("{{call .True}}", "tVal", "error calling call: non-function .True of type bool"),
    (
        "{{call .BinaryFunc 1}}",
        "tVal",
        "error calling call: wrong number of args for .BinaryFunc: got 1 want 2",
    ),
    (
        "{{call .VariadicFuncInt}}",
        "tVal",
        "error calling call: wrong number of args for .VariadicFuncInt: got 0 want at least 1",
    ),
    ('{{call (len "test")}}', None, 'error calling call: non-function len "test" of type int'),
]


@pytest.mark.parametrize(("text", "data", "want"), FUNCTION_CHECK_TESTS)
def test_function_check_during_call(text: str, data: str | None, want: str) -> None:
    with pytest.raises(TemplateExecError) as caught:
        _execute("t", text, make_tval() if data else None, {})
    assert want in str(caught.value)


def test_issue_31810() -> None:
    assert _execute("", "{{ (.)  }}", "result") == "result"
    function = Func(lambda: "result", ())
    with pytest.raises(TemplateExecError):
        _execute("", "{{ (.)  }}", function)
    assert _execute("", "{{ (call .)  }}", function) == "result"
    assert _execute("", "{{ call . }}", function) == "result"


def test_missing_is_not_none() -> None:
    assert MISSING is not None and not is_true(MISSING)
