"""Helm's engine, with the cases of pkg/engine/engine_test.go (Helm v4.3.1) as data."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.chart.model import Chart, File, Metadata
from otterhelm.funcs import helm_functions
from otterhelm.render.engine import (
    Engine,
    EngineOptions,
    Renderable,
    RenderError,
    TemplateCache,
    all_templates,
    parse_trace_step,
    sort_templates,
)
from otterhelm.values.coalesce import coalesce_values

FUNCS = helm_functions()


def make_chart(
    name: str,
    templates: dict[str, str],
    *,
    files: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    subcharts: tuple[Chart, ...] = (),
    chart_type: str = "",
) -> Chart:
    chart = Chart(
        metadata=Metadata(name=name, version="1.2.3", api_version="v2", type=chart_type),
        templates=[File(k, v.encode()) for k, v in templates.items()],
        files=[File(k, v.encode()) for k, v in (files or {}).items()],
        values=values or {},
    )
    chart.add_subchart(*subcharts)
    return chart


def render(chart: Chart, top: dict[str, Any], **options: Any) -> dict[str, str]:
    return Engine(FUNCS, EngineOptions(**options)).render(chart, top)


def render_raw(templates: dict[str, str], data: dict[str, Any], **options: Any) -> dict[str, str]:
    renderables = {name: Renderable(text, data, "") for name, text in templates.items()}
    return Engine(FUNCS, EngineOptions(**options)).render_templates(renderables)


def test_sort_templates() -> None:
    names = [
        "/mychart/templates/foo.tpl",
        "/mychart/templates/charts/foo/charts/bar/templates/foo.tpl",
        "/mychart/templates/bar.tpl",
        "/mychart/templates/charts/foo/templates/bar.tpl",
        "/mychart/templates/_foo.tpl",
        "/mychart/templates/charts/foo/templates/foo.tpl",
        "/mychart/templates/charts/bar/templates/foo.tpl",
    ]
    assert sort_templates(names) == [
        "/mychart/templates/charts/foo/charts/bar/templates/foo.tpl",
        "/mychart/templates/charts/foo/templates/foo.tpl",
        "/mychart/templates/charts/foo/templates/bar.tpl",
        "/mychart/templates/charts/bar/templates/foo.tpl",
        "/mychart/templates/foo.tpl",
        "/mychart/templates/bar.tpl",
        "/mychart/templates/_foo.tpl",
    ]


def test_func_map() -> None:
    assert "env" not in FUNCS and "expandenv" not in FUNCS
    for name in ("toYaml", "fromYaml", "toToml", "fromToml", "toJson", "fromJson"):
        assert name in FUNCS, name
    # The engine binds the rest; lookup without a cluster is Helm's stub (an empty map).
    out = render_raw(
        {
            "t": '{{ lookup "v1" "Pod" "ns" "x" }}|{{ include "d" . }}|{{ tpl "{{ 1 }}" . }}|{{ required "m" 2 }}',
            "_d": '{{ define "d" }}D{{ end }}',
        },
        {},
    )
    assert out == {"t": "map[]|D|1|2"}


def test_render() -> None:
    chart = make_chart(
        "moby",
        {
            "templates/test1": "{{.Values.outer | title }} {{.Values.inner | title}}",
            "templates/test2": "{{.Values.global.callme | lower }}",
            "templates/test3": "{{.noValue}}",
            "templates/test4": "{{toJson .Values}}",
            "templates/test5": '{{getHostByName "helm.sh"}}',
        },
        values={"outer": "DEFAULT", "inner": "DEFAULT"},
    )
    user = {"outer": "spouter", "inner": "inn", "global": {"callme": "Ishmael"}}
    out = render(chart, {"Values": coalesce_values(chart, user)})
    assert out == {
        "moby/templates/test1": "Spouter Inn",
        "moby/templates/test2": "ishmael",
        "moby/templates/test3": "",
        "moby/templates/test4": '{"global":{"callme":"Ishmael"},"inner":"inn","outer":"spouter"}',
        "moby/templates/test5": "",
    }


def test_render_refs_ordering() -> None:
    child = make_chart("child", {"templates/_helpers.tpl": '{{- define "test" -}}child value{{- end -}}'})
    parent = make_chart(
        "parent",
        {
            "templates/_helpers.tpl": '{{- define "test" -}}parent value{{- end -}}',
            "templates/test.yaml": '{{ tpl "{{ include \\"test\\" . }}" . }}',
        },
        subcharts=(child,),
    )
    for _ in range(5):
        assert render(parent, {})["parent/templates/test.yaml"] == "parent value"


def test_render_internals() -> None:
    data = {"Name": "one", "Value": "two"}
    out = render_raw(
        {
            "one": "Hello {{title .Name}}",
            "two": "Goodbye {{upper .Value}}",
            "three": '{{template "two" dict "Value" "three"}}',
        },
        data,
    )
    assert out == {"one": "Hello One", "two": "Goodbye TWO", "three": "Goodbye THREE"}


def test_parse_errors() -> None:
    with pytest.raises(RenderError) as err:
        render_raw({"undefined_function": "{{foo}}"}, {"Values": {}})
    assert str(err.value) == 'parse error at (undefined_function:1): function "foo" not defined'


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "missing_required",
            '{{required "foo is required" .Values.foo}}',
            "execution error at (missing_required:1:2): foo is required",
        ),
        (
            "missing_required_with_colons",
            '{{required ":this: message: has many: colons:" .Values.foo}}',
            "execution error at (missing_required_with_colons:1:2): :this: message: has many: colons:",
        ),
        (
            "issue6044",
            '{{ $someEmptyValue := "" }}\n{{ $myvar := "abc" }}\n'
            '{{- required (printf "%s: something is missing" $myvar) $someEmptyValue | repeat 0 }}',
            "execution error at (issue6044:3:4): abc: something is missing",
        ),
        (
            "issue9981",
            '{{required "foo is required\\nmore info after the break" .Values.foo}}',
            "execution error at (issue9981:1:2): foo is required\nmore info after the break",
        ),
        (
            "issue9981",
            '{{fail "something is wrong\\nlinebreak"}}',
            "execution error at (issue9981:1:2): something is wrong\nlinebreak",
        ),
    ],
)
def test_exec_errors(name: str, text: str, expected: str) -> None:
    with pytest.raises(RenderError) as err:
        render_raw({name: text}, {"Values": {}})
    assert str(err.value) == expected


def test_fail_errors_and_lint_mode() -> None:
    templates = {"failtpl": 'All your base are belong to us{{ fail "This is an error" }}'}
    with pytest.raises(RenderError) as err:
        render_raw(templates, {"Values": {}})
    assert str(err.value) == "execution error at (failtpl:1:33): This is an error"
    assert render_raw(templates, {"Values": {}}, lint_mode=True) == {
        "failtpl": "All your base are belong to us"
    }


def test_all_templates() -> None:
    dep2 = make_chart("same thing we do every night", {"templates/innermost": "innermost"})
    dep1 = make_chart(
        "laboratory mice", {"templates/pinky": "pinky", "templates/brain": "brain"}, subcharts=(dep2,)
    )
    ch1 = make_chart("ch1", {"templates/foo": "foo", "templates/bar": "bar"}, subcharts=(dep1,))
    assert len(all_templates(ch1, {})) == 5


def test_chart_values_contains_is_root() -> None:
    child = make_chart("child", {"templates/isroot": "{{.Chart.IsRoot}}"})
    parent = make_chart("parent", {"templates/isroot": "{{.Chart.IsRoot}}"}, subcharts=(child,))
    out = render(parent, {})
    assert out["parent/charts/child/templates/isroot"] == "false"
    assert out["parent/templates/isroot"] == "true"


def test_render_dependency() -> None:
    inner = make_chart("innerchart", {"templates/inner": '{{define "myblock"}}World{{end}}'})
    outer = make_chart("outerchart", {"templates/outer": 'Hello {{template "myblock"}}'}, subcharts=(inner,))
    out = render(outer, {})
    assert len(out) == 2
    assert out["outerchart/templates/outer"] == "Hello World"


def test_render_nested_values() -> None:
    deepest = make_chart(
        "deepest",
        {
            "templates/inner.tpl": "And this same {{.Values.what}} that smiles {{.Values.global.when}}",
            "templates/release.tpl": 'Tomorrow will be {{default "happy" .Release.Name }}',
        },
        values={"what": "milkshake", "where": "here"},
    )
    inner = make_chart(
        "herrick",
        {"templates/inner.tpl": "Old {{.Values.who}} is still a-flyin'"},
        values={"who": "Robert", "what": "glasses"},
        subcharts=(deepest,),
    )
    outer = make_chart(
        "top",
        {
            "templates/outer.tpl": "Gather ye {{.Values.what}} while ye may",
            "templates/subcharts.tpl": "The glorious Lamp of {{.Subcharts.herrick.Subcharts.deepest.Values.where}}, the {{.Subcharts.herrick.Values.what}}",
        },
        values={"what": "stinkweed", "who": "me", "herrick": {"who": "time", "what": "Sun"}},
        subcharts=(inner,),
    )
    user = {
        "what": "rosebuds",
        "herrick": {"deepest": {"what": "flower", "where": "Heaven"}},
        "global": {"when": "to-day"},
    }
    out = render(outer, {"Values": coalesce_values(outer, user), "Release": {"Name": "dyin"}})
    assert out["top/templates/outer.tpl"] == "Gather ye rosebuds while ye may"
    assert out["top/charts/herrick/templates/inner.tpl"] == "Old time is still a-flyin'"
    assert (
        out["top/charts/herrick/charts/deepest/templates/inner.tpl"]
        == "And this same flower that smiles to-day"
    )
    assert out["top/charts/herrick/charts/deepest/templates/release.tpl"] == "Tomorrow will be dyin"
    assert out["top/templates/subcharts.tpl"] == "The glorious Lamp of Heaven, the Sun"


def test_render_builtin_values() -> None:
    inner = make_chart(
        "Latium",
        {
            "templates/Lavinia": "{{.Template.Name}}{{.Chart.Name}}{{.Release.Name}}",
            "templates/From": '{{.Files.author | printf "%s"}} {{.Files.Get "book/title.txt"}}',
        },
        files={"author": "Virgil", "book/title.txt": "Aeneid"},
    )
    outer = make_chart(
        "Troy",
        {
            "templates/Aeneas": "{{.Template.Name}}{{.Chart.Name}}{{.Release.Name}}",
            "templates/Amata": '{{.Subcharts.Latium.Chart.Name}} {{.Subcharts.Latium.Files.author | printf "%s"}}',
        },
        subcharts=(inner,),
    )
    out = render(outer, {"Values": "", "Release": {"Name": "Aeneid"}})
    assert out == {
        "Troy/charts/Latium/templates/Lavinia": "Troy/charts/Latium/templates/LaviniaLatiumAeneid",
        "Troy/templates/Aeneas": "Troy/templates/AeneasTroyAeneid",
        "Troy/templates/Amata": "Latium Virgil",
        "Troy/charts/Latium/templates/From": "Virgil Aeneid",
    }


def test_include() -> None:
    chart = make_chart(
        "conrad",
        {
            "templates/quote": '{{include "conrad/templates/_partial" . | indent 2}} dead.',
            "templates/_partial": "{{.Release.Name}} - he",
        },
    )
    assert (
        render(chart, {"Values": "", "Release": {"Name": "Mistah Kurtz"}})["conrad/templates/quote"]
        == "  Mistah Kurtz - he dead."
    )
    nested = make_chart(
        "nested",
        {
            "templates/quote": '{{include "nested/templates/quote" . | indent 2}} dead.',
            "templates/_partial": "x",
        },
    )
    with pytest.raises(RenderError):
        render(nested, {"Values": "", "Release": {"Name": "Mistah Kurtz"}})


def test_required() -> None:
    chart = make_chart(
        "conan",
        {
            "templates/quote": "All your base are belong to {{ required \"A valid 'who' is required\" .Values.who }}",
            "templates/bases": "All {{ required \"A valid 'bases' is required\" .Values.bases }} of them!",
        },
    )
    out = render(chart, {"Values": {"who": "us", "bases": 2}, "Release": {"Name": "That 90s meme"}})
    assert out["conan/templates/quote"] == "All your base are belong to us"
    assert out["conan/templates/bases"] == "All 2 of them!"
    out = render(chart, {"Values": {"who": "us"}, "Release": {"Name": "x"}}, lint_mode=True)
    assert out["conan/templates/bases"] == "All  of them!"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Evaluate tpl {{tpl "Value: {{ .Values.value}}" .}}', "Evaluate tpl Value: myvalue"),
        ('Evaluate tpl {{tpl "Value: {{ .Values.value | quote}}" .}}', 'Evaluate tpl Value: "myvalue"'),
    ],
)
def test_tpl(text: str, expected: str) -> None:
    chart = make_chart("TplFunction", {"templates/base": text})
    assert (
        render(chart, {"Values": {"value": "myvalue"}, "Release": {"Name": "r"}})[
            "TplFunction/templates/base"
        ]
        == expected
    )


def test_tpl_include_sees_template_name() -> None:
    chart = make_chart(
        "TplFunction",
        {
            "templates/base": '{{ tpl "{{include `TplFunction/templates/_partial` .  | quote }}" .}}',
            "templates/_partial": "{{.Template.Name}}",
        },
    )
    assert (
        render(chart, {"Values": {}, "Release": {"Name": "r"}})["TplFunction/templates/base"]
        == '"TplFunction/templates/base"'
    )


def test_recursion_limit() -> None:
    bad = make_chart(
        "bad",
        {
            "templates/base": '{{include "recursion" . }}',
            "templates/recursion": '{{define "recursion"}}{{include "recursion" . }}{{end}}',
        },
    )
    with pytest.raises(RenderError) as err:
        render(bad, {"Values": ""})
    assert str(err.value).endswith(
        "rendering template has a nested reference name: recursion: unable to execute template"
    )
    phrase = "All work and no play makes Jack a dull boy"
    many = make_chart(
        "overlook",
        {
            "templates/quote": '{{include "overlook" . }}' * 4000,
            "templates/_function": '{{define "overlook"}}{{printf "' + phrase + '\\n"}}{{end}}',
        },
    )
    assert render(many, {"Values": ""})["overlook/templates/quote"] == (phrase + "\n") * 4000


def test_tpl_from_file() -> None:
    chart = make_chart(
        "TplLoadFromFile",
        {
            "templates/base": "{{ tpl (.Files.Get .Values.filename) . }}",
            "templates/_function": '{{define "test-function"}}test-function{{end}}',
        },
        files={
            "test": "{{ tpl (.Files.Get .Values.filename2) .}}",
            "test2": '{{include "test-function" .}}{{define "nested-define"}}nested-define-content{{end}} {{include "nested-define" .}}',
        },
    )
    out = render(chart, {"Values": {"filename": "test", "filename2": "test2"}})
    assert out["TplLoadFromFile/templates/base"] == "test-function nested-define-content"


def test_tpl_empty() -> None:
    chart = make_chart(
        "TplEmpty",
        {
            "templates/empty-string": '{{tpl "" .}}',
            "templates/empty-action": '{{tpl "{{ \\"\\"}}" .}}',
            "templates/only-defines": '{{tpl "{{define \\"not-invoked\\"}}not-rendered{{end}}" .}}',
        },
    )
    assert set(render(chart, {"Release": {"Name": "r"}}).values()) == {""}


def test_tpl_template_names() -> None:
    chart = make_chart(
        "TplTemplateNames",
        {
            "templates/default-basepath": '{{tpl "{{ .Template.BasePath }}" .}}',
            "templates/default-name": '{{tpl "{{ .Template.Name }}" .}}',
            "templates/modified-basepath": '{{tpl "{{ .Template.BasePath }}" .Values.dot}}',
            "templates/modified-name": '{{tpl "{{ .Template.Name }}" .Values.dot}}',
            "templates/modified-field": '{{tpl "{{ .Template.Field }}" .Values.dot}}',
        },
    )
    dot = {"Template": {"BasePath": "path/to/template", "Name": "name-of-template", "Field": "extra-field"}}
    out = render(chart, {"Values": {"dot": dot}})
    assert out == {
        "TplTemplateNames/templates/default-basepath": "TplTemplateNames/templates",
        "TplTemplateNames/templates/default-name": "TplTemplateNames/templates/default-name",
        "TplTemplateNames/templates/modified-basepath": "path/to/template",
        "TplTemplateNames/templates/modified-name": "name-of-template",
        "TplTemplateNames/templates/modified-field": "extra-field",
    }


def test_tpl_redefines_do_not_leak() -> None:
    chart = make_chart(
        "TplRedefines",
        {
            "templates/_partials": '{{define "partial"}}original-in-partial{{end}}',
            "templates/partial": 'before: {{include "partial" .}}\\n{{tpl .Values.partialText .}}\\nafter: {{include "partial" .}}',
            "templates/manifest": '{{define "manifest"}}original-in-manifest{{end}}'
            'before: {{include "manifest" .}}\\n{{tpl .Values.manifestText .}}\\nafter: {{include "manifest" .}}',
            "templates/manifest-only": '{{define "manifest-only"}}only-in-manifest{{end}}'
            'before: {{include "manifest-only" .}}\\n{{tpl .Values.manifestOnlyText .}}\\nafter: {{include "manifest-only" .}}',
            "templates/nested": '{{define "nested"}}original-in-manifest{{end}}'
            '{{define "nested-outer"}}original-outer-in-manifest{{end}}'
            'before: {{include "nested" .}} {{include "nested-outer" .}}\\n'
            "{{tpl .Values.nestedText .}}\\n"
            'after: {{include "nested" .}} {{include "nested-outer" .}}',
        },
    )
    values = {
        "partialText": '{{define "partial"}}redefined-in-tpl{{end}}tpl: {{include "partial" .}}',
        "manifestText": '{{define "manifest"}}redefined-in-tpl{{end}}tpl: {{include "manifest" .}}',
        "manifestOnlyText": 'tpl: {{include "manifest-only" .}}',
        "nestedText": '{{define "nested"}}redefined-in-tpl{{end}}'
        '{{define "nested-outer"}}redefined-outer-in-tpl{{end}}'
        'before-inner-tpl: {{include "nested" .}} {{include "nested-outer" . }}\\n'
        "{{tpl .Values.innerText .}}\\n"
        'after-inner-tpl: {{include "nested" .}} {{include "nested-outer" . }}',
        "innerText": '{{define "nested"}}redefined-in-inner-tpl{{end}}inner-tpl: {{include "nested" .}} {{include "nested-outer" . }}',
    }
    out = render(chart, {"Values": values})
    assert (
        out["TplRedefines/templates/partial"]
        == "before: original-in-partial\\ntpl: redefined-in-tpl\\nafter: original-in-partial"
    )
    assert (
        out["TplRedefines/templates/manifest"]
        == "before: original-in-manifest\\ntpl: redefined-in-tpl\\nafter: original-in-manifest"
    )
    assert (
        out["TplRedefines/templates/manifest-only"]
        == "before: only-in-manifest\\ntpl: only-in-manifest\\nafter: only-in-manifest"
    )
    assert out["TplRedefines/templates/nested"] == (
        "before: original-in-manifest original-outer-in-manifest\\n"
        "before-inner-tpl: redefined-in-tpl redefined-outer-in-tpl\\n"
        "inner-tpl: redefined-in-inner-tpl redefined-outer-in-tpl\\n"
        "after-inner-tpl: redefined-in-tpl redefined-outer-in-tpl\\n"
        "after: original-in-manifest original-outer-in-manifest"
    )


def test_tpl_missing_key() -> None:
    chart = make_chart(
        "TplMissingKey", {"templates/manifest": 'missingValue: {{tpl "{{.Values.noSuchKey}}" .}}'}
    )
    assert render(chart, {"Values": {}})["TplMissingKey/templates/manifest"] == "missingValue: "
    with pytest.raises(RenderError, match="noSuchKey"):
        render(chart, {"Values": {}}, strict=True)


def test_nested_helpers_produce_multiline_trace() -> None:
    chart = make_chart(
        "NestedHelperFunctions",
        {
            "templates/svc.yaml": 'name: {{ include "nested_helper.name" . }}',
            "templates/_helpers_1.tpl": '{{- define "nested_helper.name" -}}{{- include "common.names.get_name" . -}}{{- end -}}',
            "charts/common/templates/_helpers_2.tpl": '{{- define "common.names.get_name" -}}{{- .Values.nonexistant.key | trunc 63 | trimSuffix "-" -}}{{- end -}}',
        },
    )
    with pytest.raises(RenderError) as err:
        render(chart, {"Values": coalesce_values(chart, {})})
    assert str(err.value) == (
        "NestedHelperFunctions/templates/svc.yaml:1:9\n"
        '  executing "NestedHelperFunctions/templates/svc.yaml" at <include "nested_helper.name" .>:\n'
        "    error calling include:\n"
        "NestedHelperFunctions/templates/_helpers_1.tpl:1:39\n"
        '  executing "nested_helper.name" at <include "common.names.get_name" .>:\n'
        "    error calling include:\n"
        "NestedHelperFunctions/charts/common/templates/_helpers_2.tpl:1:49\n"
        '  executing "common.names.get_name" at <.Values.nonexistant.key>:\n'
        "    nil pointer evaluating interface {}.key"
    )


def test_multiline_no_template_associated_error() -> None:
    chart = make_chart(
        "multiline",
        {
            "templates/svc.yaml": 'name: {{ include "nested_helper.name" . }}',
            "templates/test.yaml": "{{ toYaml .Values }}",
            "charts/common/templates/_helpers_2.tpl": "{{ toYaml .Values }}",
        },
    )
    with pytest.raises(RenderError) as err:
        render(chart, {"Values": coalesce_values(chart, {})})
    assert str(err.value) == (
        "multiline/templates/svc.yaml:1:9\n"
        '  executing "multiline/templates/svc.yaml" at <include "nested_helper.name" .>:\n'
        "    error calling include:\n"
        'template: no template "nested_helper.name" associated with template "gotpl"'
    )


def test_traceable_error_forms() -> None:
    step = parse_trace_step(
        'template: a/b.yaml:1:2: executing "a/b.yaml" at <.Values.x>: boom template: more'
    )
    assert (
        step is not None and str(step) == 'a/b.yaml:1:2\n  executing "a/b.yaml" at <.Values.x>:\n    boom\n'
    )
    simple = parse_trace_step("template: a/b.yaml:3: some problem")
    assert simple is not None and str(simple) == "a/b.yaml:3\n  some problem\n"
    missing = parse_trace_step('template: no template "x" associated with template "gotpl"')
    assert (
        missing is not None and str(missing) == 'template: no template "x" associated with template "gotpl"\n'
    )
    assert parse_trace_step("index out of range: 5") is None


def test_library_chart_keeps_only_partials() -> None:
    lib = make_chart(
        "lib",
        {"templates/_h.tpl": '{{define "lib.x"}}from lib{{end}}', "templates/cm.yaml": "not rendered"},
        chart_type="library",
    )
    app = make_chart("app", {"templates/a.yaml": '{{include "lib.x" .}}'}, subcharts=(lib,))
    assert render(app, {}) == {"app/templates/a.yaml": "from lib"}


def test_template_cache_reuses_parsed_sets() -> None:
    cache = TemplateCache()
    chart = make_chart("c", {"templates/a": "{{ .Values.x }}"})
    engine = Engine(FUNCS, cache=cache)
    assert engine.render(chart, {"Values": {"x": 1}}) == {"c/templates/a": "1"}
    assert engine.render(chart, {"Values": {"x": 2}}) == {"c/templates/a": "2"}
    assert len(cache._entries) == 1


class MemoryReader:
    """Objects keyed by (apiVersion, kind, namespace, name); an empty name lists, as the
    cluster-backed reader does (engine_test TestRenderWithClientProvider's expectations)."""

    def __init__(self, objects: list[dict[str, Any]]) -> None:
        self.objects = objects

    def lookup(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        found = [
            o
            for o in self.objects
            if o["apiVersion"] == api_version
            and o["kind"] == kind
            and (not namespace or o["metadata"].get("namespace", "") == namespace)
        ]
        if not name:
            return {"items": found} if found else {}
        return next((o for o in found if o["metadata"]["name"] == name), {})


def _obj(kind: str, name: str, namespace: str = "") -> dict[str, Any]:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "v1", "kind": kind, "metadata": meta}


def test_lookup_uses_the_bound_reader() -> None:
    reader = MemoryReader(
        [
            _obj("Namespace", "default"),
            _obj("Pod", "pod1", "default"),
            _obj("Pod", "pod2", "ns1"),
            _obj("Pod", "pod3", "ns1"),
        ]
    )
    cases = {
        "ns-single": ('{{ (lookup "v1" "Namespace" "" "default").metadata.name }}', "default"),
        "ns-list": ('{{ (lookup "v1" "Namespace" "" "").items | len }}', "1"),
        "ns-missing": ('{{ (lookup "v1" "Namespace" "" "absent") }}', "map[]"),
        "pod-single": ('{{ (lookup "v1" "Pod" "default" "pod1").metadata.name }}', "pod1"),
        "pod-list": ('{{ (lookup "v1" "Pod" "ns1" "").items | len }}', "2"),
        "pod-all": ('{{ (lookup "v1" "Pod" "" "").items | len }}', "3"),
        "pod-missing": ('{{ (lookup "v1" "Pod" "" "ns2") }}', "map[]"),
    }
    chart = make_chart("moby", {f"templates/{k}": v[0] for k, v in cases.items()})
    out = Engine(FUNCS, lookup=reader).render(chart, {"Values": {}})
    assert out == {f"moby/templates/{k}": v[1] for k, v in cases.items()}
    # Lint mode never talks to a cluster: the stub answers even for objects that exist.
    probe = make_chart("moby", {"templates/p": '{{ lookup "v1" "Pod" "default" "pod1" }}'})
    assert Engine(FUNCS, EngineOptions(lint_mode=True), lookup=reader).render(probe, {}) == {
        "moby/templates/p": "map[]"
    }
