"""Go's multi_test.go: several templates in one set, define precedence, clone."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.template import TemplateParseError, TemplateSet
from otterhelm.template.parser import parse_text
from tests.template.exec_cases import make_data
from tests.template.gofixtures import FUNCS

# (name, input, ok, template names, tree strings)
MULTI_PARSE_TESTS: list[tuple[str, str, bool, list[str], list[str]]] = [
    ("empty", "", True, [], []),
    ("one", '{{define "foo"}} FOO {{end}}', True, ["foo"], [" FOO "]),
    (
        "two",
        '{{define "foo"}} FOO {{end}}{{define "bar"}} BAR {{end}}',
        True,
        ["foo", "bar"],
        [" FOO ", " BAR "],
    ),
    ("missing end", '{{define "foo"}} FOO ', False, [], []),
    ("malformed name", '{{define "foo}} FOO ', False, [], []),
]


@pytest.mark.parametrize("case", MULTI_PARSE_TESTS, ids=[c[0] for c in MULTI_PARSE_TESTS])
def test_multi_parse(case: tuple[str, str, bool, list[str], list[str]]) -> None:
    _, text, ok, names, results = case
    tset = TemplateSet()
    if not ok:
        with pytest.raises(TemplateParseError):
            tset.parse("root", text)
        return
    tset.parse("root", text)
    assert sorted(tset.names()) == sorted(["root", *names])
    for name, result in zip(names, results, strict=True):
        tree = tset.template(name)
        assert tree is not None
        assert str(tree.root) == result


MULTI_EXEC_TESTS: list[tuple[str, str, str, Any, bool]] = [
    ("empty", "", "", None, True),
    ("text", "some text", "some text", None, True),
    ("invoke x", '{{template "x" .SI}}', "TEXT", "tVal", True),
    ("invoke x no args", '{{template "x"}}', "TEXT", "tVal", True),
    ("invoke dot int", '{{template "dot" .I}}', "17", "tVal", True),
    ("invoke dot []int", '{{template "dot" .SI}}', "[3 4 5]", "tVal", True),
    ("invoke dotV", '{{template "dotV" .U}}', "v", "tVal", True),
    ("invoke nested int", '{{template "nested" .I}}', "17", "tVal", True),
    (
        "variable declared by template",
        '{{template "nested" $x:=.SI}},{{index $x 1}}',
        "[3 4 5],4",
        "tVal",
        True,
    ),
    ("testFunc literal", '{{oneArg "joe"}}', "oneArg=joe", "tVal", True),
    ("testFunc .", "{{oneArg .}}", "oneArg=joe", "joe", True),
]

MULTI_TEXT1 = """
\t{{define "x"}}TEXT{{end}}
\t{{define "dotV"}}{{.V}}{{end}}
"""

MULTI_TEXT2 = """
\t{{define "dot"}}{{.}}{{end}}
\t{{define "nested"}}{{template "dot" .}}{{end}}
"""


@pytest.mark.parametrize("case", MULTI_EXEC_TESTS, ids=[c[0] for c in MULTI_EXEC_TESTS])
def test_multi_execute(case: tuple[str, str, str, Any, bool]) -> None:
    name, text, output, data, _ = case
    tset = TemplateSet(FUNCS)
    tset.parse("root", MULTI_TEXT1)
    tset.parse("root", MULTI_TEXT2)
    tset.parse(name, text)
    assert tset.execute(name, make_data(data)) == output


CLONE_TEXT1 = '{{define "a"}}{{template "b"}}{{template "c"}}{{end}}'
CLONE_TEXT2 = '{{define "b"}}b{{end}}'
CLONE_TEXT3 = '{{define "c"}}root{{end}}'
CLONE_TEXT4 = '{{define "c"}}clone{{end}}'


def test_clone() -> None:
    root = TemplateSet()
    root.parse("root", CLONE_TEXT1)
    root.parse("root", CLONE_TEXT2)
    clone = root.clone()
    root.parse("root", CLONE_TEXT3)
    clone.parse("root", CLONE_TEXT4)
    assert root.execute("a", 0) == "broot"
    assert clone.execute("a", 0) == "bclone"


def test_add_parse_tree() -> None:
    root = TemplateSet()
    root.parse("root", CLONE_TEXT1)
    root.parse("root", CLONE_TEXT2)
    trees = parse_text("cloneText3", CLONE_TEXT3, lambda name: False)
    root.add_tree("c", trees["c"])
    assert root.execute("a", 0) == "broot"


def test_add_parse_tree_to_unparsed_template() -> None:
    tset = TemplateSet()
    trees = parse_text("master", '{{define "master"}}{{end}}', lambda name: False)
    tset.add_tree("master", trees["master"])
    assert tset.execute("master", None) == ""


def test_redefinition() -> None:
    tset = TemplateSet()
    tset.parse("tmpl1", '{{define "test"}}foo{{end}}')
    tset.parse("tmpl1", '{{define "test"}}bar{{end}}')
    tset.parse("tmpl2", '{{define "test"}}bar{{end}}')
    assert tset.execute("test", None) == "bar"


def test_template_lookup() -> None:
    tset = TemplateSet()
    assert not tset.has("foo")
    tset.parse("t1", '{{define "foo"}}test{{end}}')
    assert tset.has("foo")


def test_parse_keeps_non_empty_definition() -> None:
    tset = TemplateSet()
    tset.parse("test", '{{define "test"}}{{end}}')
    tset.parse("test", '{{define "test"}}{{/* this is a comment */}}{{end}}')
    tset.parse("test", '{{define "test"}}foo{{end}}')
    assert tset.execute("test", None) == "foo"


# TestEmptyTemplate: each text is parsed in turn as template `name`. Go's test executes
# the *Template object the last Parse returned; a set is addressed by name (as Helm's
# ExecuteTemplate does), so the last row checks the entry the set keeps: an empty
# definition never replaces a non-empty one.
EMPTY_TEMPLATE_CASES: list[tuple[list[str], str, str]] = [
    (["x", "y"], "", "y"),
    ([""], "once", ""),
    (["", ""], "twice", ""),
    (["{{.}}", "{{.}}"], "twice", "twice"),
    (["{{/* a comment */}}", "{{/* a comment */}}"], "comment", ""),
    (["{{.}}", ""], "twice", "twice"),
]


@pytest.mark.parametrize("case", EMPTY_TEMPLATE_CASES)
def test_empty_template(case: tuple[list[str], str, str]) -> None:
    definitions, name, want = case
    tset = TemplateSet()
    for text in definitions:
        tset.parse(name, text)
    assert tset.execute(name, name) == want


def test_issue_19294() -> None:
    for _ in range(10):
        tset = TemplateSet()
        tset.parse("title.xhtml", '{{template "xhtml" .}}')
        tset.parse("stylesheet", '{{define "stylesheet"}}stylesheet{{end}}')
        tset.parse("xhtml", '{{block "stylesheet" .}}{{end}}')
        assert tset.execute("title.xhtml", 0) == "stylesheet"
