"""The public TemplateSet API: parsing, define precedence, execution, errors, limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import pytest

from otterhelm.errors import InvalidArgument, ResourceExhausted
from otterhelm.template import (
    ExecLimits,
    TemplateError,
    TemplateExecError,
    TemplateLimitError,
    TemplateParseError,
    TemplateSet,
)
from otterhelm.template.gotypes import STRING, Func, FuncError, GoObject


def render(text: str, data: object = None, missingkey: str = "default") -> str:
    tset = TemplateSet(missingkey=missingkey)
    tset.parse("t", text)
    return tset.execute("t", data)


def test_text_fields_pipelines_and_control() -> None:
    data = {"a": 1.5, "l": [1, "two", None], "b": False, "m": {"x": 1000000.0}}
    text = (
        "{{- /* c */ -}}\nA{{ .a }} {{ range $i, $v := .l }}[{{$i}}={{$v}}]{{end}} "
        '{{ if .b }}yes{{else}}no{{end}} {{ with .m }}{{.x}}{{end}} {{ .m.x | printf "%v" }}'
    )
    assert render(text, data) == "A1.5 [0=1][1=two][2=<no value>] no 1e+06 1e+06"


def test_define_precedence_across_parses() -> None:
    tset = TemplateSet()
    tset.parse("a", '{{define "x"}}first{{end}}')
    tset.parse("b", '{{define "x"}}  {{end}}')
    tset.parse("main", '{{template "x"}}')
    assert tset.execute("main", None) == "first"
    tset.parse("c", '{{define "x"}}second{{end}}')
    assert tset.execute("main", None) == "second"


def test_missingkey_modes() -> None:
    assert render("{{.a.b}}", {}) == "<no value>"
    with pytest.raises(TemplateExecError) as caught:
        render("{{.Values.missing.x}}", {"Values": {}}, missingkey="zero")
    assert str(caught.value) == (
        'template: t:1:9: executing "t" at <.Values.missing.x>: nil pointer evaluating interface {}.x'
    )
    with pytest.raises(TemplateExecError) as caught:
        render("{{.a}}", {}, missingkey="error")
    assert str(caught.value) == 'template: t:1:2: executing "t" at <.a>: map has no entry for key "a"'


def test_function_errors_are_wrapped_with_structure() -> None:
    def fail(message: str) -> str:
        raise FuncError(message)

    tset = TemplateSet({"fail": Func(fail, (STRING,))})
    tset.parse("t", 'x\n  {{ fail "boom" }}')
    with pytest.raises(TemplateExecError) as caught:
        tset.execute("t", None)
    err = caught.value
    assert str(err) == 'template: t:2:5: executing "t" at <fail "boom">: error calling fail: boom'
    assert (err.location, err.template_name, err.node_text) == ("t:2:5", "t", 'fail "boom"')
    assert isinstance(err.cause, FuncError)
    assert isinstance(err, InvalidArgument) and isinstance(err, TemplateError)


def test_template_calls_are_recorded() -> None:
    tset = TemplateSet()
    tset.parse("t", '{{define "inner"}}{{ index . 3 }}{{end}}{{template "inner" .}}')
    with pytest.raises(TemplateExecError) as caught:
        tset.execute("t", [1])
    err = caught.value
    assert str(err).startswith('template: t:1:21: executing "inner" at <index . 3>')
    assert [call.template_name for call in err.template_calls] == ["t"]
    assert err.template_calls[0].node_text == '{{template "inner" .}}'


def test_parse_error_format() -> None:
    with pytest.raises(TemplateParseError) as caught:
        render("a\n{{ required 1 }}")
    assert str(caught.value) == 'template: t:2: function "required" not defined'


def test_unknown_template() -> None:
    tset = TemplateSet()
    with pytest.raises(TemplateExecError) as caught:
        tset.execute("x", None)
    assert str(caught.value) == 'template: no template "x" associated with template "gotpl"'


def test_clone_is_independent() -> None:
    tset = TemplateSet()
    tset.parse("a", "A")
    copy = tset.clone()
    copy.parse("b", "B")
    assert copy.has("a") and copy.has("b") and not tset.has("b")


class _Host(GoObject):
    go_type: ClassVar[str] = "*host.Thing"
    go_fields: ClassVar[Mapping[str, str]] = {"Name": "name"}
    go_methods: ClassVar[Mapping[str, Func]] = {
        "Greet": Func(lambda self, who: f"{self.name} greets {who}", (STRING,))
    }

    def __init__(self) -> None:
        self.name = "otter"


def test_host_object_fields_and_methods() -> None:
    assert render('{{.Name}}: {{.Greet "you"}}', _Host()) == "otter: otter greets you"


def test_host_object_missing_member() -> None:
    with pytest.raises(TemplateExecError, match=r"can't evaluate field Nope in type \*host.Thing"):
        render("{{.Nope.x}}", _Host())


def test_recursion_depth_limit() -> None:
    tset = TemplateSet()
    tset.parse("t", '{{define "loop"}}{{template "loop" .}}{{end}}{{template "loop" .}}')
    with pytest.raises(TemplateLimitError, match=r"exceeded maximum template depth \(100000\)") as caught:
        tset.execute("t", None)
    assert isinstance(caught.value, ResourceExhausted)


def test_step_budget() -> None:
    tset = TemplateSet(limits=ExecLimits(max_steps=1000))
    tset.parse("t", "{{range 100000}}{{end}}")
    with pytest.raises(TemplateLimitError, match=r"exceeded execution step budget \(1000\)"):
        tset.execute("t", None)


def test_time_budget() -> None:
    tset = TemplateSet(limits=ExecLimits(timeout=0.05))
    tset.parse("t", "{{range 100000000}}{{end}}")
    with pytest.raises(TemplateLimitError, match=r"exceeded execution time budget"):
        tset.execute("t", None)


def test_shared_budget_spans_nested_executions() -> None:
    from otterhelm.template import ExecBudget

    tset = TemplateSet()
    tset.parse("inner", "{{ range 600 }}{{ end }}")
    budget = ExecBudget(max_steps=1000)
    tset.execute("inner", None, budget=budget)
    assert budget.used == 600
    with pytest.raises(TemplateLimitError, match=r"exceeded execution step budget \(1000\)"):
        tset.execute("inner", None, budget=budget)


@pytest.mark.parametrize("name", ["_", "a", "a1", "Ӵ"])
def test_good_function_names(name: str) -> None:
    # exec_test.go TestGoodFuncNames
    TemplateSet({name: Func(lambda: 0, ())})


@pytest.mark.parametrize("name", ["", "2", "a-b"])
def test_bad_function_names(name: str) -> None:
    # exec_test.go TestBadFuncNames: Go's Funcs panics; here TemplateError is raised.
    with pytest.raises(TemplateError, match="is not a valid identifier"):
        TemplateSet({name: Func(lambda: 0, ())})
    with pytest.raises(TemplateError, match="is not a valid identifier"):
        TemplateSet().add_funcs({name: Func(lambda: 0, ())})
