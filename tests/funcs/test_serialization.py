"""Helm's serialization functions through the template engine.

TestFuncs rows come from helm v4.3.1 pkg/engine/funcs_test.go (`lookup` and the duration
helpers belong to other families); the remaining cases pin the lenient/strict split and the
sprig JSON variants (sprig v3.3.0 defaults.go)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from otterhelm.funcs import helm_functions
from otterhelm.template import TemplateExecError, TemplateSet


def render(template: str, data: Any = None) -> str:
    templates = TemplateSet(helm_functions())
    templates.parse("test", template)
    return templates.execute("test", data)


# (template, expected output, data): pkg/engine/funcs_test.go TestFuncs.
HELM_FUNCS_TEST = [
    ("{{ toYaml . }}", "foo: bar", {"foo": "bar"}),
    ("{{ toYamlPretty . }}", "baz:\n  - 1\n  - 2\n  - 3", {"baz": [1, 2, 3]}),
    ("{{ toToml . }}", 'foo = "bar"\n', {"foo": "bar"}),
    ("{{ fromToml . }}", "map[hello:world]", 'hello = "world"'),
    (
        "{{ fromToml . }}",
        "map[table:map[keyInTable:valueInTable subtable:map[keyInSubtable:valueInSubTable]]]",
        '\n[table]\nkeyInTable = "valueInTable"\n[table.subtable]\nkeyInSubtable = "valueInSubTable"',
    ),
    (
        "{{ fromToml . }}",
        "map[tableArray:[map[keyInElement0:valueInElement0] map[keyInElement1:valueInElement1]]]",
        '\n[[tableArray]]\nkeyInElement0 = "valueInElement0"\n[[tableArray]]\nkeyInElement1 = "valueInElement1"',
    ),
    ("{{ fromToml . }}", "map[Error:toml: line 1: unexpected EOF; expected key separator '=']", "one"),
    ("{{ toJson . }}", '{"foo":"bar"}', {"foo": "bar"}),
    ("{{ fromYaml . }}", "map[hello:world]", "hello: world"),
    ("{{ fromYamlArray . }}", "[one 2 map[name:helm]]", "- one\n- 2\n- name: helm\n"),
    ("{{ fromYamlArray . }}", "[one 2 map[name:helm]]", '["one", 2, { "name": "helm" }]'),
    ("{{ toToml . }}", '[mast]\n  sail = "white"\n', {"mast": {"sail": "white"}}),
    (
        "{{ fromYaml . }}",
        "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]",
        "- one\n- two\n",
    ),
    ("{{ fromJson .}}", "map[hello:world]", '{"hello":"world"}'),
    (
        "{{ fromJson . }}",
        "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]",
        '["one", "two"]',
    ),
    ("{{ fromJsonArray . }}", "[one 2 map[name:helm]]", '["one", 2, { "name": "helm" }]'),
    (
        "{{ fromJsonArray . }}",
        "[json: cannot unmarshal object into Go value of type []interface {}]",
        '{"hello": "world"}',
    ),
    (
        "{{ merge .dict (fromYaml .yaml) }}",
        "map[a:map[b:c]]",
        {"dict": {"a": {"b": "c"}}, "yaml": '{"a":{"b":"d"}}'},
    ),
    (
        "{{ merge (fromYaml .yaml) .dict }}",
        "map[a:map[b:d]]",
        {"dict": {"a": {"b": "c"}}, "yaml": '{"a":{"b":"d"}}'},
    ),
    (
        "{{ fromYaml . }}",
        "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]",
        '["one", "two"]',
    ),
    (
        "{{ fromYamlArray . }}",
        "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]",
        "hello: world",
    ),
]


@pytest.mark.parametrize(("template", "expected", "data"), HELM_FUNCS_TEST)
def test_helm_funcs_table(template: str, expected: str, data: Any) -> None:
    assert render(template, data) == expected


def _loop_map() -> dict[str, Any]:
    loop: dict[str, Any] = {"foo": "bar"}
    loop["loop"] = [loop]
    return loop


def test_lenient_encoders_swallow_errors() -> None:
    # funcs_test.go mustFuncsTests: toYaml/toJson of a cyclic map render "".
    assert render("{{ toYaml . }}", _loop_map()) == ""
    assert render("{{ toJson . }}", _loop_map()) == ""
    assert render("{{ toYamlPretty . }}", {"f": math.nan}) == "f: .nan"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{ mustToYaml . }}",
            "error marshaling into JSON: json: unsupported value: encountered a cycle via",
        ),
        ("{{ mustToJson . }}", "json: unsupported value: encountered a cycle via"),
    ],
)
def test_must_encoders_fail_on_cycles(template: str, message: str) -> None:
    with pytest.raises(TemplateExecError) as caught:
        render(template, _loop_map())
    assert message in str(caught.value)


def test_must_to_toml() -> None:
    assert render("{{ mustToToml . }}", {"foo": "bar"}) == 'foo = "bar"\n'
    with pytest.raises(TemplateExecError) as caught:
        render("{{ mustToToml . }}", {"l": [1, None]})
    assert "toml: cannot encode array with nil element" in str(caught.value)
    assert render("{{ toToml . }}", {"l": [1, None]}) == "toml: cannot encode array with nil element"


def test_to_yaml_reads_back_as_values_do() -> None:
    text = render("{{ toYaml . }}", {"a": "yes", "b": "0777", "c": 1234567.0, "d": "x: y", "e": ""})
    assert text == 'a: "yes"\nb: "0777"\nc: 1234567\nd: \'x: y\'\ne: ""'


def test_sprig_json_variants() -> None:
    data = {"k": "<a&b>", "l": [1, 2.5]}
    assert render("{{ toJson . }}", data) == '{"k":"\\u003ca\\u0026b\\u003e","l":[1,2.5]}'
    assert render("{{ toRawJson . }}", data) == '{"k":"<a&b>","l":[1,2.5]}'
    assert render("{{ mustToRawJson . }}", data) == '{"k":"<a&b>","l":[1,2.5]}'
    assert (
        render("{{ toPrettyJson . }}", data)
        == '{\n  "k": "\\u003ca\\u0026b\\u003e",\n  "l": [\n    1,\n    2.5\n  ]\n}'
    )
    assert render("{{ mustToPrettyJson . }}", {}) == "{}"


def test_from_json_numbers_are_float64() -> None:
    assert (
        render('{{ $n := (fromJson .).n }}{{ printf "%T %v" $n $n }}', '{"n": 1234567}')
        == "float64 1.234567e+06"
    )
    assert render('{{ mustFromJson . | printf "%T" }}', "[1]") == "[]interface {}"
    assert render("{{ fromJson . }}", "null") == "map[]"
    assert render("{{ fromJsonArray . }}", "null") == "[]"


def test_must_from_json_reports_syntax_errors() -> None:
    with pytest.raises(TemplateExecError) as caught:
        render("{{ mustFromJson . }}", "{")
    assert "error calling mustFromJson: unexpected end of JSON input" in str(caught.value)
    assert render("{{ fromJson . }}", "{") == "map[Error:unexpected end of JSON input]"


def test_from_yaml_types() -> None:
    assert render('{{ $v := fromYaml . }}{{ printf "%T %T %v" $v.a $v.b $v.o }}', "a: 1\nb: on\no: 0777") == (
        "float64 bool 511"
    )
    # YAML 1.1: the key `n` is the boolean false, which becomes the string key "false".
    assert render('{{ index (fromYaml .) "false" }}', "n: x") == "x"
    assert render("{{ fromYaml . }}", "") == "map[]"
    assert render("{{ fromYaml . }}", "a: [1") == (
        "map[Error:error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']']"
    )


def test_from_toml_dates_are_go_times() -> None:
    # Output of helm v4.3.1 (BurntSushi/toml v1.6.0) for the same template and document.
    document = (
        "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T07:32:00\n"
        "d = 1979-05-27\ne = 07:32:00\nf = 1979-05-27T07:32:00.999999Z\n"
    )
    template = "{{ $m := fromToml . }}{{ $m.a }}|{{ $m.b }}|{{ $m.c }}|{{ $m.d }}|{{ $m.e }}|{{ $m.f }}|{{ typeOf $m.a }}"
    assert render(template, document) == (
        "1979-05-27 07:32:00 +0000 UTC|1979-05-27 00:32:00 -0700 -0700|1979-05-27 07:32:00 +0000 datetime-local|"
        "1979-05-27 00:00:00 +0000 date-local|0000-01-01 07:32:00 +0000 time-local|"
        "1979-05-27 07:32:00.999999 +0000 UTC|time.Time"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # helm v4.3.1's output for each template.
        ('{{ toToml "x" }}', '"x"'),
        ("{{ toToml (list 1 2) }}", "[1, 2]"),
        ('{{ toToml (list (dict "a" 1)) }}', "toml: top-level values must be Go maps or structs"),
        ("{{ toToml 1.5 }}", "1.5"),
        ('{{ toToml (dict "a" (list (dict "b" 1) 2)) }}', "a = [{b = 1}, 2]\n"),
        (
            '{{ toToml (dict "a b" (dict "c.d" (dict "e" (list (dict "f" nil "g" 1))))) }}',
            '["a b"]\n  ["a b"."c.d"]\n\n    [["a b"."c.d".e]]\n      g = 1\n',
        ),
        ('{{ toToml (dict "t" (dict)) }}', "[t]\n"),
        ('{{ toToml (dict "x" (list nil)) }}', "toml: cannot encode array with nil element"),
    ],
)
def test_to_toml_shapes(template: str, expected: str) -> None:
    assert render(template) == expected


def test_to_toml_of_nil_fails_the_template() -> None:
    with pytest.raises(TemplateExecError) as caught:
        render("{{ toToml nil }}")
    assert "error calling toToml: reflect: call of reflect.Value.Type on zero Value" in str(caught.value)
