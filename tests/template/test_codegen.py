"""Templates run as generated Python code: nesting beyond CPython's static limits, code
kept in the tree cache (run without nodes, errors still exact), functions looked up per
execution, and the imports a process running cached templates avoids."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from otterhelm.template import DiskTreeCache, TemplateExecError, TemplateSet
from otterhelm.template.codegen import generate
from otterhelm.template.gotypes import STRING, Func
from otterhelm.template.parser import parse_text

DATA = {"one": [0], "four": [1, 2, 3, 4], "yes": True, "m": {"a": {"b": "deep"}}}


def run(text: str, data: Any = DATA, cache: Path | None = None) -> str:
    trees = DiskTreeCache(cache) if cache is not None else None
    tset = TemplateSet(tree_cache=trees)
    tset.parse("t", text)
    output = tset.execute("t", data)
    if trees is not None:
        trees.flush()  # what a render does when it ends
    return output


def nested(opening: str, depth: int, inner: str, closing: str = "{{end}}") -> str:
    return opening * depth + inner + closing * depth


LOOP_BODY = "{{if eq . 3}}{{break}}{{end}}{{if eq . 1}}{{continue}}{{end}}{{.}}"


def test_ifs_nested_past_the_indentation_limit() -> None:
    assert run(nested("{{if $.yes}}", 150, "in") + "out") == "inout"


def test_withs_nested_past_the_indentation_limit_keep_their_dot() -> None:
    text = "{{with .m}}" + nested("{{with .}}", 120, "{{.a.b}}") + "{{end}}{{.yes}}"
    assert run(text) == "deeptrue"


def test_else_if_chain_longer_than_the_indentation_limit() -> None:
    chain = "".join(f"{{{{else if eq $.n {i}}}}}{i}" for i in range(1, 200))
    text = "{{if eq $.n 0}}zero" + chain + "{{else}}none{{end}}"
    assert run(text, {"n": 0}) == "zero"
    assert run(text, {"n": 150}) == "150"
    assert run(text, {"n": 500}) == "none"


def test_ranges_nested_past_the_static_block_limit() -> None:
    # 30 nested loops (CPython allows 20 in one function); break and continue act on the
    # innermost range, and each outer level goes on after it.
    inner = "{{range $.four}}" + LOOP_BODY + "{{end}};"
    assert run(nested("{{range $.one}}", 30, inner)) == "2;"
    root = parse_text("t", nested("{{range $.one}}", 30, inner), "eq".__eq__)["t"].root
    assert root is not None and "def body" in generate(root)[0]
    two = nested(
        "{{range $.one}}", 25, "{{range $i, $e := $.four}}{{if eq $i 2}}{{break}}{{end}}{{$e}}{{end}}"
    )
    assert run("{{range $.four}}" + two + "|{{end}}") == "12|12|12|12|"


@pytest.mark.parametrize("depth", [10, 45, 100])
def test_break_and_continue_from_bodies_nested_in_conditions(depth: int) -> None:
    # Past the indentation limit the conditions' bodies are functions of their own, and
    # {{break}} / {{continue}} travel out of them to the loop.
    text = "{{range $.four}}" + nested("{{if $.yes}}", depth, LOOP_BODY) + ";{{end}}"
    assert run(text) == "2;"
    root = parse_text("t", text, "eq".__eq__)["t"].root
    assert root is not None
    assert ("return 1" in generate(root)[0]) == (depth > 40)


def test_generated_module_holds_no_node_and_no_function() -> None:
    trees = parse_text("t", '{{include "x" .Values.a | nindent 4}}', {"include", "nindent"}.__contains__)
    root = trees["t"].root
    assert root is not None
    source, constants = generate(root)
    compile(source, "<test>", "exec")
    assert "Node" not in source

    def plain(value: Any) -> bool:
        if isinstance(value, tuple):
            return all(plain(item) for item in value)
        return value is None or isinstance(value, (str, int, float, complex))

    # The call sites, as data: functions by name (looked up when called), the literal
    # "x", the field names of .Values.a.
    assert plain(constants)
    assert [site[0] for site in constants if site[0] in ("include", "nindent")] == ["include", "nindent"]
    assert "'x'" in str(constants) and "('Values', 'a')" in str(constants)


def test_cached_code_runs_without_loading_nodes(tmp_path: Path) -> None:
    text = '{{define "x"}}[{{.}}]{{end}}{{range .}}{{template "x" .}}{{end}}'
    assert run(text, [1, 2], tmp_path) == "[1][2]"
    tset = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    tset.parse("t", text)
    trees = [tset.template("t"), tset.template("x")]
    assert all(tree is not None and tree.code is not None for tree in trees)
    assert tset.execute("t", [3]) == "[3]"
    assert all(tree is not None and tree._pending is not None for tree in trees)


ERRORS = [
    ('{{define "x"}}\n  {{.a.b}}{{end}}line\n{{template "x" .}}', {"a": None}),
    ("{{range $i, $e := 5}}{{end}}", {}),
    ("{{printf 1 2}}", {}),
    ('{{index .l "a"}}', {"l": [1]}),
    ("{{with $x := .m}}{{$x.a.b.c.d}}{{end}}", {"m": {"a": {"b": 1}}}),
    ("{{.m.a | len | printf | len 3}}", {"m": {"a": "x"}}),
    ('{{range .l}}\n\n   {{template "nope"}}{{end}}', {"l": [1]}),
    ("{{1.5 | printf}}{{nindent 1.5 .}}", {}),
]


@pytest.mark.parametrize(("text", "data"), ERRORS)
def test_errors_from_cached_code_match_uncached(tmp_path: Path, text: str, data: Any) -> None:
    def message(cache: Path | None) -> str:
        trees = DiskTreeCache(cache) if cache is not None else None
        tset = TemplateSet(
            {"nindent": Func(lambda n, s: s, (STRING, STRING))}, missingkey="error", tree_cache=trees
        )
        tset.parse("t", text)
        with pytest.raises(TemplateExecError) as caught:
            tset.execute("t", data)
        if trees is not None:
            trees.flush()
        return str(caught.value)

    fresh = message(None)
    assert fresh.startswith("template: t:") or fresh.startswith("template: x:")
    message(tmp_path)  # fills the cache
    assert message(tmp_path) == fresh


def test_cached_code_calls_the_functions_of_each_execution(tmp_path: Path) -> None:
    def tset(result: str) -> TemplateSet:
        tset = TemplateSet({"f": Func(lambda: result, ())}, tree_cache=DiskTreeCache(tmp_path))
        tset.parse("t", "{{f}}")
        return tset

    assert tset("a").execute("t", None) == "a"
    assert tset("b").execute("t", None) == "b"


def test_running_cached_templates_imports_neither_parser_nor_pickle_nor_hashlib(tmp_path: Path) -> None:
    script = f"""
import sys
from pathlib import Path
from otterhelm.template import DiskTreeCache, TemplateSet
trees = DiskTreeCache(Path({str(tmp_path)!r}))
tset = TemplateSet(tree_cache=trees)
tset.parse("t", '{{{{define "x"}}}}[{{{{.}}}}]{{{{end}}}}{{{{range .}}}}{{{{template "x" .}}}}{{{{end}}}}')
print(tset.execute("t", [1, 2]))
trees.flush()
print(*sorted(set(sys.modules) & {{"pickle", "hashlib", "otterhelm.template.parser", "otterhelm.template.codegen"}}))
"""
    outputs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert outputs[0].splitlines()[0] == outputs[1].splitlines()[0] == "[1][2]"
    assert "otterhelm.template.parser" in outputs[0]
    assert outputs[1].splitlines()[1:] == [""]


# Every construct codegen emits, so that a change to the generated code shows here.
SAMPLE = (
    '{{define "d"}}{{.}}{{end}}{{$x := .a | default "z" | quote}}{{$x = 1}}'
    "{{range $i, $e := .l}}{{if eq $i 1}}{{continue}}{{else if $e.b}}{{break}}{{end}}{{end}}"
    '{{with $y := (print 1.5 nil true)}}{{$y}}{{else}}-{{end}}{{template "d" .}}{{(.m).k.Get "k"}}'
    "{{.Files.Get `p`}}{{$.a}}{{-3}}"
)
# What the code generated for SAMPLE and the runtime it calls are, when FORMAT_VERSION was
# last bumped.
RECORDED_DIGEST = "edf20f4027cad3ba8260c010d686299453d58b105324ca1072db7c4ab894da37"


def test_cache_format_version_changes_with_the_generated_code() -> None:
    """Code in the tree cache runs against exec.RUNTIME: when the generated code or the
    helpers it calls change, treecache.FORMAT_VERSION must change (and this digest with it)."""
    import inspect
    from hashlib import sha256

    from otterhelm.template.exec import RUNTIME
    from otterhelm.template.treecache import FORMAT_VERSION

    trees = parse_text("t", SAMPLE, {"default", "quote", "eq", "print"}.__contains__)
    parts = [str(FORMAT_VERSION)]
    for name in sorted(trees):
        root = trees[name].root
        assert root is not None
        source, constants = generate(root)
        parts += [name, source, repr(constants)]
    for name, value in sorted(RUNTIME.items()):
        parts.append(f"{name}={inspect.signature(value) if callable(value) else type(value).__name__}")
    digest = sha256("\n".join(parts).encode()).hexdigest()
    assert digest == RECORDED_DIGEST, f"bump treecache.FORMAT_VERSION, then record {digest}"
