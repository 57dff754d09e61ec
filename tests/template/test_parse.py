"""Go's parse_test.go tables: number literals, tree strings, parse errors, IsEmptyTree."""

from __future__ import annotations

import re

import pytest

from otterhelm.template import TemplateParseError
from otterhelm.template.lexer import Item
from otterhelm.template.nodes import Source, is_empty_tree, tree_string
from otterhelm.template.parser import new_number, parse_text
from otterhelm.template.strconv import StrconvError
from tests.template.parse_cases import (
    ERROR_TESTS,
    IS_EMPTY_TESTS,
    NUMBER_TESTS,
    PARSE_TESTS,
    PARSE_WITH_COMMENTS_TESTS,
)

# parse_test.go's function map, and its lowered parenthesis limit.
_FUNCS = {"printf", "contains"}
_TEST_MAX_DEPTH = 3
_COMPLEX = re.compile(r"[+-]?[0-9.]+([eE][+-]?[0-9]+)?[+-][0-9.]+([eE][+-]?[0-9]+)?i")


def _parse(name: str, text: str, funcs: set[str] = _FUNCS, comments: bool = False) -> str:
    trees = parse_text(name, text, funcs.__contains__, max_depth=_TEST_MAX_DEPTH, parse_comments=comments)
    root = trees[name].root
    assert root is not None
    return tree_string(root, quote_text=True)


@pytest.mark.parametrize("case", NUMBER_TESTS, ids=[str(c[0]) for c in NUMBER_TESTS])
def test_number_parse(case: tuple[object, ...]) -> None:
    text = str(case[0])
    if text.startswith("'"):
        typ = Item.CHAR_CONSTANT
    elif _COMPLEX.fullmatch(text):
        typ = Item.COMPLEX
    else:
        typ = Item.NUMBER
    if len(case) == 1:
        with pytest.raises(StrconvError):
            new_number(0, Source("t", text), text, typ)
        return
    _, is_int, is_uint, is_float, is_complex, int64, uint64, float64, complex128 = case
    node = new_number(0, Source("t", text), text, typ)
    assert node.is_complex == is_complex
    assert node.is_int == is_int
    assert node.is_uint == is_uint
    assert node.is_float == is_float
    if is_int:
        assert node.int64 == int64
    if is_uint:
        assert node.uint64 == uint64
    if is_float:
        assert node.float64 == float64
    if is_complex:
        assert node.complex128 == complex128


@pytest.mark.parametrize("case", PARSE_TESTS, ids=[f"{i}-{c[0]}" for i, c in enumerate(PARSE_TESTS)])
def test_parse(case: tuple[str, str, bool, str]) -> None:
    name, text, ok, result = case
    if not ok:
        with pytest.raises(TemplateParseError) as caught:
            _parse(name, text)
        if "depth" in result:
            assert result in str(caught.value)
        return
    assert _parse(name, text) == result


@pytest.mark.parametrize("case", PARSE_WITH_COMMENTS_TESTS, ids=[c[0] for c in PARSE_WITH_COMMENTS_TESTS])
def test_parse_with_comments(case: tuple[str, str, str]) -> None:
    name, text, result = case
    assert _parse(name, text, comments=True) == result


def test_keywords_and_funcs() -> None:
    text = "{{range .X}}{{break 20}}{{end}}"
    assert _parse("k", text, {"break"}) == "{{range .X}}{{break 20}}{{end}}"
    with pytest.raises(TemplateParseError):
        _parse("k", text, set())


@pytest.mark.parametrize("case", IS_EMPTY_TESTS, ids=[c[0] for c in IS_EMPTY_TESTS])
def test_is_empty(case: tuple[str, str, bool]) -> None:
    _, text, empty = case
    trees = parse_text("root", text, lambda name: False)
    assert is_empty_tree(trees["root"].root) == empty


def test_is_empty_nil() -> None:
    assert is_empty_tree(None)


@pytest.mark.parametrize("case", ERROR_TESTS, ids=[c[0] for c in ERROR_TESTS])
def test_errors(case: tuple[str, str, str]) -> None:
    name, text, expected = case
    with pytest.raises(TemplateParseError) as caught:
        parse_text(name, text, lambda fn: False)
    assert expected in str(caught.value)


def test_block() -> None:
    trees = parse_text("outer", 'a{{block "inner" .}}bar{{.}}baz{{end}}b', lambda fn: False)
    assert str(trees["outer"].root) == 'a{{template "inner" .}}b'
    assert str(trees["inner"].root) == "bar{{.}}baz"


def test_line_numbers() -> None:
    from otterhelm.template.nodes import ActionNode

    trees = parse_text("bench", "{{printf 1234}}\n" * 3, _FUNCS.__contains__)
    root = trees["bench"].root
    assert root is not None
    for index in range(0, len(root.nodes), 2):
        action = root.nodes[index]
        assert isinstance(action, ActionNode) and action.pipe is not None
        assert action.line == 1 + index // 2
        assert action.pipe.line == 1 + index // 2


def test_parse_error_message_format() -> None:
    with pytest.raises(TemplateParseError) as caught:
        parse_text("t", "x\n{{ end }}", lambda fn: False)
    assert str(caught.value) == "template: t:2: unexpected {{end}}"
