"""nil may be passed only where Go's reflect.CanBeNil allows it (text/template exec.go
validateType): interfaces, maps, slices and pointers, never a named struct such as time.Time."""

import pytest

from otterhelm.funcs import helm_functions
from otterhelm.template import TemplateExecError, TemplateSet


def _run(text: str) -> str:
    templates = TemplateSet(helm_functions(), missingkey="zero")
    templates.parse("t", text)
    return templates.execute("t", {})


def test_nil_for_a_struct_parameter_is_refused_as_go_does() -> None:
    with pytest.raises(TemplateExecError) as caught:
        _run("{{ unixEpoch nil }}")
    assert str(caught.value) == 'template: t:1:13: executing "t" at <nil>: cannot assign nil to time.Time'


@pytest.mark.parametrize(("text", "expected"), [("{{ empty nil }}", "true"), ("{{ kindOf nil }}", "invalid")])
def test_nil_for_interface_parameters_is_accepted(text: str, expected: str) -> None:
    assert _run(text) == expected
