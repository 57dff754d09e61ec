"""Behaviours from the project's Helm facts (section 1), several checked against Go by
running text/template: trim markers, printing, comparisons, missing values, escaping
and error texts as Helm users see them."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.template import TemplateExecError, TemplateSet
from otterhelm.template.gotypes import Int64


def render(text: str, data: Any = None, missingkey: str = "zero") -> str:
    tset = TemplateSet(missingkey=missingkey)
    tset.parse("t", text)
    return tset.execute("t", data)


def error_of(text: str, data: Any = None, missingkey: str = "zero") -> str:
    with pytest.raises(TemplateExecError) as caught:
        render(text, data, missingkey)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "data", "want"),
    [
        ("{{-3}}|{{- 3}}|a  {{- 3 -}}  b", None, "-3|3|a3b"),
        ('{{print 1 2 "a" "b" 3 nil}}', None, "1 2ab3 <nil>"),
        ("{{ .Values.x }}", {"Values": {"x": 1234567.0}}, "1.234567e+06"),
        ("{{ .Values.x }}", {"Values": {"x": 3.0}}, "3"),
        ("{{ .Values.missing }}", {"Values": {}}, "<no value>"),
        ("{{ .Values.n }}", {"Values": {"n": None}}, "<no value>"),
        ("{{ eq .Values.n nil }}", {"Values": {"n": None}}, "true"),
        ("{{ eq .Values.s nil }}", {"Values": {"s": "x"}}, "false"),
        ("{{ eq .Values.replicas 3.0 }}", {"Values": {"replicas": 3.0}}, "true"),
        ("{{ eq .Values.replicas 3 }}", {"Values": {"replicas": Int64(3)}}, "true"),
        ("{{ range .Values.missing }}x{{ else }}none{{ end }}", {"Values": {}}, "none"),
        ('{{ if "0" }}true{{ end }}', None, "true"),
        ("{{ and 1 0 }} {{ or 0 1 }} {{ and 1 .Values.missing }}", {"Values": {}}, "0 1 <no value>"),
        ('{{ js "a\\nb" }}', None, "a\\u000Ab"),
        ('{{ urlquery "a b&c/d" }}', None, "a+b%26c%2Fd"),
        ("{{ html .Values.missing }}", {"Values": {}}, "&lt;no value&gt;"),
        ("{{ html \"<a href='x'>&</a>\" }}", None, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"),
        ("{{ .Values.m }}", {"Values": {"m": {"b": {"c": 2.0}, "a": 1.0}}}, "map[a:1 b:map[c:2]]"),
        ("{{ .Values.l }}", {"Values": {"l": [1.0, "two", None, {"a": 1.0}]}}, "[1 two <nil> map[a:1]]"),
        ("{{ (dict).k }}", None, "<no value>"),
        ("{{ 1e3 }} {{ typeOf 3 }}", None, "1000 int"),
        (
            "{{ $x := 1 }}{{ range $i, $v := .Values.l }}{{ $x = $v }}{{ end }}{{ $x }}",
            {"Values": {"l": [5.0]}},
            "5",
        ),
        ("{{ range 3 }}{{ . }}{{ end }}", None, "012"),
        (
            "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}",
            {"Values": {"m": {"b": 2.0, "a": 1.0}}},
            "a=1;b=2;",
        ),
        ('{{ index .Values.m "missing" }}', {"Values": {"m": {}}}, "<no value>"),
        ("{{ with .Values.x }}{{ . }}{{ else with .Values.y }}y{{ end }}", {"Values": {"y": True}}, "y"),
        (
            "{{ range .Values.l }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}",
            {"Values": {"l": [1.0, 2.0, 3.0]}},
            "1",
        ),
    ],
)
def test_rendering(text: str, data: Any, want: str) -> None:
    funcs_needed = "dict" in text or "typeOf" in text
    if funcs_needed:
        from otterhelm.funcs import helm_functions

        tset = TemplateSet(helm_functions(), missingkey="zero")
        tset.parse("t", text)
        assert tset.execute("t", data) == want
    else:
        assert render(text, data) == want


@pytest.mark.parametrize(
    ("text", "data", "want"),
    [
        (
            "{{ .Values.missing.x }}",
            {"Values": {}},
            'template: t:1:10: executing "t" at <.Values.missing.x>: nil pointer evaluating interface {}.x',
        ),
        (
            "{{ .Values.a.b }}",
            {"Values": {"a": 1.0}},
            'template: t:1:10: executing "t" at <.Values.a.b>: can\'t evaluate field b in type interface {}',
        ),
        (
            "{{ eq .Values.replicas 3 }}",
            {"Values": {"replicas": 3.0}},
            'template: t:1:3: executing "t" at <eq .Values.replicas 3>: error calling eq: '
            "incompatible types for comparison: float64 and int",
        ),
        (
            "{{ len .Values.missing }}",
            {"Values": {}},
            'template: t:1:3: executing "t" at <len .Values.missing>: error calling len: len of nil pointer',
        ),
        (
            "{{ index nil 1 }}",
            None,
            'template: t:1:3: executing "t" at <index nil 1>: error calling index: index of untyped nil',
        ),
        (
            '{{ template "nope" }}',
            None,
            'template: t:1:12: executing "t" at <{{template "nope"}}>: template "nope" not defined',
        ),
        (
            "{{ printf .Values.f }}",
            {"Values": {"f": 1.0}},
            'template: t:1:17: executing "t" at <.Values.f>: wrong type for value; expected string; got float64',
        ),
        (
            "{{ .Values.x | printf }}",
            {"Values": {}},
            'template: t:1:15: executing "t" at <printf>: invalid value; expected string',
        ),
    ],
)
def test_errors(text: str, data: Any, want: str) -> None:
    # A field chain such as .Values.a.b is positioned at its second field, as in Go's
    # parser (the chain node starts where the extra fields do).
    assert error_of(text, data) == want


def test_missingkey_default_keeps_going() -> None:
    assert render("{{ .Values.missing.x }}", {"Values": {}}, missingkey="default") == "<no value>"


def test_missingkey_error() -> None:
    assert error_of("{{ .Values.missing }}", {"Values": {}}, missingkey="error") == (
        'template: t:1:10: executing "t" at <.Values.missing>: map has no entry for key "missing"'
    )


def test_column_counts_bytes() -> None:
    # Go reports the column in bytes: "é" takes two, so `index` starts at byte 6.
    message = error_of("é {{ index nil 1 }}")
    assert message.startswith("template: t:1:6: ")


def test_define_precedence_empty_never_replaces() -> None:
    tset = TemplateSet()
    tset.parse("a.tpl", '{{define "x"}}first{{end}}')
    tset.parse("b.tpl", '{{define "x"}}{{end}}')
    tset.parse("t", '{{ template "x" }}')
    assert tset.execute("t", None) == "first"


def test_range_element_variable_is_an_interface_value() -> None:
    text = "{{ range $x := .Values.l }}{{ $x.name }}{{ end }}"
    assert error_of(text, {"Values": {"l": ["a"]}}).endswith("can't evaluate field name in type interface {}")
    text = "{{ with $x := .Values.s }}{{ $x.name }}{{ end }}"
    assert error_of(text, {"Values": {"s": "a"}}).endswith("can't evaluate field name in type string")
