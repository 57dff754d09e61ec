"""Vectors from helm pkg/strvals/parser_test.go (TestParseSet, TestParseInto,
TestParseIntoString, TestParseJSON, TestParseFile, TestParseSetNestedLevels, TestSetIndex)."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.template.gotypes import Int64
from otterhelm.values import strvals
from otterhelm.values.strvals import MAX_INDEX, MAX_NESTED_NAME_LEVEL, StrvalsError


def _yaml_equal_form(value: Any) -> Any:
    """The tests compare through YAML, where int, int64 and integral floats are equal."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict):
        return {k: _yaml_equal_form(v) for k, v in value.items()}
    return [_yaml_equal_form(v) for v in value]


PARSE_SET_STRING = [
    ("long_int_string=1234567890", {"long_int_string": "1234567890"}),
    ("boolean=true", {"boolean": "true"}),
    ("is_null=null", {"is_null": "null"}),
    ("zero=0", {"zero": "0"}),
]

PARSE_SET_OK = [
    ("name1=null,f=false,t=true", {"name1": None, "f": False, "t": True}),
    ("name1=value1", {"name1": "value1"}),
    ("name1=value1,name2=value2", {"name1": "value1", "name2": "value2"}),
    ("name1=value1,name2=value2,", {"name1": "value1", "name2": "value2"}),
    ("name1=,name2=value2", {"name1": "", "name2": "value2"}),
    ("leading_zeros=00009", {"leading_zeros": "00009"}),
    ("zero_int=0", {"zero_int": 0}),
    ("long_int=1234567890", {"long_int": 1234567890}),
    ("boolean=true", {"boolean": True}),
    ("is_null=null", {"is_null": None}),
    ("name1=one\\,two,name2=three\\,four", {"name1": "one,two", "name2": "three,four"}),
    ("name1=one\\=two,name2=three\\=four", {"name1": "one=two", "name2": "three=four"}),
    ("name1=one two three,name2=three two one", {"name1": "one two three", "name2": "three two one"}),
    ("outer.inner=value", {"outer": {"inner": "value"}}),
    ("outer.middle.inner=value", {"outer": {"middle": {"inner": "value"}}}),
    ("outer.inner1=value,outer.inner2=value2", {"outer": {"inner1": "value", "inner2": "value2"}}),
    (
        "outer.inner1=value,outer.middle.inner=value",
        {"outer": {"inner1": "value", "middle": {"inner": "value"}}},
    ),
    ("name1.name2=", {"name1": {"name2": ""}}),
    ("name1={value1,value2}", {"name1": ["value1", "value2"]}),
    (
        "name1={value1,value2},name2={value1,value2}",
        {"name1": ["value1", "value2"], "name2": ["value1", "value2"]},
    ),
    ("name1={1021,902}", {"name1": [1021, 902]}),
    ("name1.name2={value1,value2}", {"name1": {"name2": ["value1", "value2"]}}),
    ("list[0]=foo", {"list": ["foo"]}),
    ("list[0].foo=bar", {"list": [{"foo": "bar"}]}),
    ("list[0].foo=bar,list[0].hello=world", {"list": [{"foo": "bar", "hello": "world"}]}),
    ("list[0]=foo,list[1]=bar", {"list": ["foo", "bar"]}),
    ("list[0]=foo,list[1]=bar,", {"list": ["foo", "bar"]}),
    ("list[0]=foo,list[3]=bar", {"list": ["foo", None, None, "bar"]}),
    ("noval[0]", {"noval": []}),
    ("noval[0]=", {"noval": [""]}),
    ("nested[0][0]=1", {"nested": [[1]]}),
    ("nested[1][1]=1", {"nested": [None, [None, 1]]}),
    (
        "name1.name2[0].foo=bar,name1.name2[1].foo=bar",
        {"name1": {"name2": [{"foo": "bar"}, {"foo": "bar"}]}},
    ),
    (
        "name1.name2[1].foo=bar,name1.name2[0].foo=bar",
        {"name1": {"name2": [{"foo": "bar"}, {"foo": "bar"}]}},
    ),
    ("name1.name2[1].foo=bar", {"name1": {"name2": [None, {"foo": "bar"}]}}),
]

PARSE_SET_ERRORS = [
    "name1=value1,,,,name2=value2,",
    "name1,name2=",
    "name1,name2=value2",
    "name1,name2=value2\\",
    "name1,name2",
    "name1.name2",
    "name1.name2,name1.name3",
    "name1.=name2",
    "name1.,name2",
    "name1={1021,902",
    "list[0].foo=bar,list[-30].hello=world",
    "list[0]=foo,list[-20]=bar",
    "illegal[0]name.foo=bar",
    "]={}].",
]


@pytest.mark.parametrize(("text", "expect"), PARSE_SET_OK)
def test_parse_set(text: str, expect: dict[str, Any]) -> None:
    assert _yaml_equal_form(strvals.parse(text)) == _yaml_equal_form(expect)


@pytest.mark.parametrize("text", PARSE_SET_ERRORS)
def test_parse_set_errors(text: str) -> None:
    with pytest.raises(StrvalsError):
        strvals.parse(text)


@pytest.mark.parametrize(("text", "expect"), PARSE_SET_STRING)
def test_parse_set_string(text: str, expect: dict[str, Any]) -> None:
    assert strvals.parse_string(text) == expect


def test_set_integers_are_int64_and_other_numbers_strings() -> None:
    got = strvals.parse("a=1234567890,b=-5,c=1.5,d=1e3,e=0x10,f=9223372036854775808,g=0")
    assert got == {
        "a": 1234567890,
        "b": -5,
        "c": "1.5",
        "d": "1e3",
        "e": "0x10",
        "f": "9223372036854775808",
        "g": 0,
    }
    assert type(got["a"]) is Int64 and type(got["b"]) is Int64 and type(got["g"]) is Int64


def test_set_literals_are_case_insensitive() -> None:
    assert strvals.parse("a=TRUE,b=False,c=NULL") == {"a": True, "b": False, "c": None}


PARSE_INTO = [
    (
        "outer.inner1=value1,outer.inner3=value3,outer.inner4=4",
        "",
        {"outer": {"inner1": "overwrite", "inner2": "value2"}},
        {"outer": {"inner1": "value1", "inner2": "value2", "inner3": "value3", "inner4": 4}},
    ),
    (
        "listOuter[0][0].type=listValue",
        "listOuter[0][0].status=alive",
        {},
        {"listOuter": [[{"type": "listValue", "status": "alive"}]]},
    ),
    (
        "listOuter[0][0].type=listValue",
        "listOuter[1][0].status=alive",
        {},
        {"listOuter": [[{"type": "listValue"}], [{"status": "alive"}]]},
    ),
    (
        "listOuter[0][1][0].type=listValue",
        "listOuter[0][0][1].status=alive",
        {"listOuter": [[[{"exited": "old"}]]]},
        {"listOuter": [[[{"exited": "old"}, {"status": "alive"}], [{"type": "listValue"}]]]},
    ),
]


@pytest.mark.parametrize(("first", "second", "start", "expect"), PARSE_INTO)
def test_parse_into(first: str, second: str, start: dict[str, Any], expect: dict[str, Any]) -> None:
    strvals.parse_into(first, start)
    if second:
        strvals.parse_into(second, start)
    assert _yaml_equal_form(start) == _yaml_equal_form(expect)


def test_parse_into_string() -> None:
    got: dict[str, Any] = {"outer": {"inner1": "overwrite", "inner2": "value2"}}
    strvals.parse_into_string("outer.inner1=1,outer.inner3=3", got)
    assert got == {"outer": {"inner1": "1", "inner2": "value2", "inner3": "3"}}


PARSE_JSON = [
    (
        'outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true"',
        {"outer": {"inner1": "overwrite", "inner2": "value2"}},
        {"outer": {"inner1": "1", "inner2": "value2", "inner3": 3, "inner4": True, "inner5": "true"}},
    ),
    (
        'outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],'
        'outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5=[{"A":"1","B":2,"C":[1,2,3]}]',
        {"outer": {"inner1": {"x": "overwrite"}, "inner2": "value2", "inner3": ["overwrite"]}},
        {
            "outer": {
                "inner1": {"a": "1", "b": 2, "c": [1, 2, 3]},
                "inner2": "value2",
                "inner3": ["new value 1", "new value 2"],
                "inner4": {"aa": "1", "bb": 2, "cc": [1, 2, 3]},
                "inner5": [{"A": "1", "B": 2, "C": [1, 2, 3]}],
            }
        },
    ),
    (
        'outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null',
        {"outer": {"inner1": {"x": "overwrite"}, "inner2": "value2"}},
        {"outer": {"inner1": None, "inner2": "value2", "inner3": {"aa": "1", "bb": 2, "cc": [1, None, 3]}}},
    ),
]


@pytest.mark.parametrize(("text", "start", "expect"), PARSE_JSON)
def test_parse_json(text: str, start: dict[str, Any], expect: dict[str, Any]) -> None:
    strvals.parse_json(text, start)
    assert _yaml_equal_form(start) == _yaml_equal_form(expect)


def test_parse_json_numbers_are_float64() -> None:
    got: dict[str, Any] = {}
    strvals.parse_json("a=3,b=[1]", got)
    assert type(got["a"]) is float and type(got["b"][0]) is float


def test_parse_json_syntax_error() -> None:
    text = (
        'outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],'
        'outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5={"A":"1","B":2,"C":[1,2,3]}]'
    )
    with pytest.raises(StrvalsError):
        strvals.parse_json(text, {})


def _file_reader(path: str) -> Any:
    assert path == "path1"
    return "value1"


def test_parse_file() -> None:
    assert strvals.parse_file("name1=path1", _file_reader) == {"name1": "value1"}


def test_parse_into_file() -> None:
    got: dict[str, Any] = {}
    strvals.parse_into_file("name1=path1", got, _file_reader)
    assert got == {"name1": "value1"}


def test_nested_levels() -> None:
    assert strvals.parse("outer.middle.inner=value") == {"outer": {"middle": {"inner": "value"}}}
    parts = [f"name{i}" for i in range(1, MAX_NESTED_NAME_LEVEL + 3)]
    with pytest.raises(StrvalsError) as info:
        strvals.parse(".".join(parts) + "=value")
    assert str(info.value) == (
        f"value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
    )


@pytest.mark.parametrize(
    ("initial", "index", "expect", "error"),
    [
        ([0, 1], 2, [0, 1, 2], None),
        ([0, 1], 1, [0, 2], None),
        ([0, 1, 2, 3, 4, 5], 3, [0, 1, 2, 2, 4, 5], None),
        ([0, 1, 2, 3, 4, 5], -1, None, "negative -1 index not allowed"),
        (
            [0, 1, 2, 3, 4, 5],
            MAX_INDEX + 1,
            None,
            f"index of {MAX_INDEX + 1} is greater than maximum supported index of {MAX_INDEX}",
        ),
    ],
)
def test_list_index_limits(
    initial: list[Any], index: int, expect: list[Any] | None, error: str | None
) -> None:
    # TestSetIndex, driven through the grammar: `a[N]=2` on an existing list.
    data: dict[str, Any] = {"a": list(initial)}
    if error is None:
        strvals.parse_into(f"a[{index}]=2", data)
        assert data["a"] == expect
    else:
        with pytest.raises(StrvalsError) as info:
            strvals.parse_into(f"a[{index}]=2", data)
        assert str(info.value) == error


def test_error_messages() -> None:
    cases = {
        "a=b,c": 'key "c" has no value',
        "name1,name2=": 'key "name1" has no value (cannot end with ,)',
        "a.=x": 'key map "a" has no value',
        "a[0]x=1": 'unexpected data at end of array index: "x"',
        "a={b,c": "list must terminate with '}'",
    }
    for text, message in cases.items():
        with pytest.raises(StrvalsError) as info:
            strvals.parse(text)
        assert str(info.value) == message


def test_index_into_non_list_is_an_error() -> None:
    with pytest.raises(StrvalsError) as info:
        strvals.parse_into("a[0]=1", {"a": "text"})
    assert str(info.value).startswith("unable to parse key: interface conversion")
