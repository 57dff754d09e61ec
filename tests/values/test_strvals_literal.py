"""Vectors from helm pkg/strvals/literal_parser_test.go (TestParseLiteral, TestParseLiteralInto)."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.values import strvals
from otterhelm.values.strvals import StrvalsError

LITERAL_OK = [
    ("name=", {"name": ""}),
    ("name=value", {"name": "value"}),
    ("long_int_string=1234567890", {"long_int_string": "1234567890"}),
    ("boolean=true", {"boolean": "true"}),
    ("is_null=null", {"is_null": "null"}),
    ("zero=0", {"zero": "0"}),
    ("name1=null,name2=value2", {"name1": "null,name2=value2"}),
    ("name1=value,,,tail", {"name1": "value,,,tail"}),
    ("leading_zeros=00009", {"leading_zeros": "00009"}),
    ("name=one two three", {"name": "one two three"}),
    ("outer.inner=value", {"outer": {"inner": "value"}}),
    ("outer.middle.inner=value", {"outer": {"middle": {"inner": "value"}}}),
    ("name1.name2=", {"name1": {"name2": ""}}),
    ("name1={value1,value2}", {"name1": "{value1,value2}"}),
    ("list[0]=foo", {"list": ["foo"]}),
    ("list[0].foo=bar", {"list": [{"foo": "bar"}]}),
    ("list[3]=bar", {"list": [None, None, None, "bar"]}),
    ("noval[0]", {"noval": []}),
    ("noval[0]=", {"noval": [""]}),
    ("nested[0][0]=1", {"nested": [["1"]]}),
    ("nested[1][1]=1", {"nested": [None, [None, "1"]]}),
    ("name1.name2[0].foo=bar", {"name1": {"name2": [{"foo": "bar"}]}}),
    ("name1.name2[1].foo=bar", {"name1": {"name2": [None, {"foo": "bar"}]}}),
    ("]={}].", {"]": "{}]."}),
    ("name=val,val", {"name": "val,val"}),
    ("name=val.val", {"name": "val.val"}),
    ("name=val=val", {"name": "val=val"}),
    ("name=val$val", {"name": "val$val"}),
    ("name=(value", {"name": "(value"}),
    ("name=value)", {"name": "value)"}),
    ("name=(value)", {"name": "(value)"}),
    ("name={value", {"name": "{value"}),
    ("name=value}", {"name": "value}"}),
    ("name={value}", {"name": "{value}"}),
    ("name={value1,value2}", {"name": "{value1,value2}"}),
    ("name=val\\val", {"name": "val\\val"}),
    ("name=val\\\\val", {"name": "val\\\\val"}),
    ("name=val\\\\\\val", {"name": "val\\\\\\val"}),
    ("name={val,.?*v\\0a!l)some", {"name": "{val,.?*v\\0a!l)some"}),
    (
        "name=em%GT)tqUDqz,i-\\h+Mbqs-!:.m\\\\rE=mkbM#rR}@{-k@",
        {"name": "em%GT)tqUDqz,i-\\h+Mbqs-!:.m\\\\rE=mkbM#rR}@{-k@"},
    ),
]

LITERAL_ERRORS = [
    "name",
    "name1.name2",
    "name1.=name2",
    "name1.,name2",
    "list[-30].hello=world",
    "illegal[0]name.foo=bar",
]


@pytest.mark.parametrize(("text", "expect"), LITERAL_OK)
def test_parse_literal(text: str, expect: dict[str, Any]) -> None:
    assert strvals.parse_literal(text) == expect


@pytest.mark.parametrize("text", LITERAL_ERRORS)
def test_parse_literal_errors(text: str) -> None:
    with pytest.raises(StrvalsError):
        strvals.parse_literal(text)


def test_parse_literal_into_keeps_the_rest_as_one_value() -> None:
    got: dict[str, Any] = {"outer": {"inner1": "overwrite", "inner2": "value2"}}
    strvals.parse_literal_into("outer.inner1=value1,outer.inner3=value3,outer.inner4=4", got)
    assert got == {"outer": {"inner1": "value1,outer.inner3=value3,outer.inner4=4", "inner2": "value2"}}


def test_parse_literal_into_nested_lists() -> None:
    got: dict[str, Any] = {}
    strvals.parse_literal_into("listOuter[0][0].type=listValue", got)
    strvals.parse_literal_into("listOuter[0][0].status=alive", got)
    assert got == {"listOuter": [[{"type": "listValue", "status": "alive"}]]}
    got = {}
    strvals.parse_literal_into("listOuter[0][0].type=listValue", got)
    strvals.parse_literal_into("listOuter[1][0].status=alive", got)
    assert got == {"listOuter": [[{"type": "listValue"}], [{"status": "alive"}]]}
    got = {"listOuter": [[[{"exited": "old"}]]]}
    strvals.parse_literal_into("listOuter[0][1][0].type=listValue", got)
    strvals.parse_literal_into("listOuter[0][0][1].status=alive", got)
    assert got == {"listOuter": [[[{"exited": "old"}, {"status": "alive"}], [{"type": "listValue"}]]]}
