"""Named corner cases of go-yaml's emitter, with the outputs sigs.k8s.io/yaml v1.6.0
(go-yaml v2.4.4), go-yaml v3.0.5 at indent 2 and encoding/json gave for them (the Go
program described in test_go_vectors.py): folding at 80 columns at several depths, quoting
of indicators and of strings that would read back as something else, escapes, literal block
headers (`|-`, `|+`, `|2-`), key order and complex keys, number forms, empty collections,
and a DEL character that makes go-yaml refuse the intermediate JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otterhelm.codec import json as go_json
from otterhelm.codec import yaml as go_yaml
from otterhelm.codec.errors import CodecError

CASES: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parent / "data" / "go_corner_cases.json").read_text("utf-8")
)


def _attempt(produce: Any) -> str:
    try:
        return str(produce())
    except CodecError as error:
        return f"ERROR: {error}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_to_yaml(name: str) -> None:
    case = CASES[name]
    value = go_yaml.load(case["input"])
    assert _attempt(lambda: go_yaml.marshal(value)) == case["yaml"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_to_yaml_pretty(name: str) -> None:
    case = CASES[name]
    value = go_yaml.load(case["input"])
    assert go_yaml.to_yaml_pretty(value) + "\n" == case["pretty"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_to_json(name: str) -> None:
    case = CASES[name]
    assert go_json.to_json(go_yaml.load(case["input"])) == case["json"]


def test_helm_trims_one_final_newline() -> None:
    assert go_yaml.to_yaml({"a": "x\n\n"}) == "a: |+\n  x\n"
    assert go_yaml.to_yaml("abc") == "abc"
    assert go_yaml.to_yaml(None) == "null"
    assert go_yaml.marshal(None) == "null\n"


def test_specific_layouts() -> None:
    folded = go_yaml.to_yaml({"k": " ".join(["word"] * 40)}).splitlines()
    assert [len(line) for line in folded] == [82, 81, 41]
    assert go_yaml.to_yaml({"l": [1, {"a": [2]}]}) == "l:\n- 1\n- a:\n  - 2"
    assert go_yaml.to_yaml_pretty({"l": [1, {"a": [2]}]}) == "l:\n  - 1\n  - a:\n      - 2"
    assert go_yaml.to_yaml({"m": 1234567.0, "f": 1234567.5}) == "f: 1.2345675e+06\nm: 1234567"
    assert go_yaml.to_yaml({"n": "no"}) == '"n": "no"'
    assert go_yaml.to_yaml_pretty({"m": 1234567.0}) == "m: 1.234567e+06"


def test_alias_bombs_are_refused_like_go_yaml() -> None:
    # go-yaml v2.4's alias-ratio guard; helm v4.3.1 gives exactly this message for this text.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    with pytest.raises(CodecError) as caught:
        go_yaml.load("\n".join(lines) + "\n")
    assert str(caught.value) == "error converting YAML to JSON: yaml: document contains excessive aliasing"
    # A few aliases are fine.
    assert go_yaml.load("a: &x {b: 1}\nc: *x\nd: *x\n") == {"a": {"b": 1.0}, "c": {"b": 1.0}, "d": {"b": 1.0}}


def test_nesting_up_to_go_yamls_limit() -> None:
    # go-yaml v2 accepts 10000 levels and refuses the 10001st (helm v4.3.1 messages below);
    # the rendering of the deepest list is what helm's toYaml, toYamlPretty and toJson gave.
    deepest = go_yaml.load("[" * 10000 + "]" * 10000)
    assert go_yaml.marshal(deepest) == "- " * 9999 + "[]\n"
    assert go_yaml.to_yaml_pretty(deepest) == "- " * 9999 + "[]"
    assert go_json.to_json(deepest) == "[" * 10000 + "]" * 10000
    with pytest.raises(CodecError) as flow:
        go_yaml.load("[" * 10001 + "]" * 10001)
    assert str(flow.value) == "error converting YAML to JSON: yaml: exceeded max depth of 10000"
    block = "a:\n" + "".join(" " * (level + 1) + "a:\n" for level in range(10001))
    with pytest.raises(CodecError) as indented:
        go_yaml.load(block)
    assert (
        str(indented.value) == "error converting YAML to JSON: yaml: line 10001: exceeded max depth of 10000"
    )


def test_self_containing_anchor() -> None:
    with pytest.raises(CodecError) as caught:
        go_yaml.load("a: &a [*a]\n")
    assert str(caught.value) == "error converting YAML to JSON: yaml: anchor 'a' value contains itself"
