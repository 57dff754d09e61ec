"""The codecs against outputs of the Go libraries Helm v4.3.1 links.

The vectors in data/ were produced by a Go program built against helm.sh/helm/v4 v4.3.1's
module graph (sigs.k8s.io/yaml v1.6.0 over go.yaml.in/yaml/v2 v2.4.4, its goyaml.v3 alias of
go.yaml.in/yaml/v3 v3.0.5, encoding/json, BurntSushi/toml v1.6.0, and Helm's
loader.LoadValues). Each marshal case is a document read with yaml.Unmarshal into
interface{} and written back with yaml.Marshal (Helm's toYaml before its newline trim), the
v3 encoder at indent 2 (toYamlPretty), json.Marshal (toJson) and toml's Encoder (toToml).
Each unmarshal case records json.Marshal of what yaml.Unmarshal (op "load") or
loader.LoadValues (op "loadvalues") returned, or the error text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otterhelm.codec import json as go_json
from otterhelm.codec import toml as go_toml
from otterhelm.codec import yaml as go_yaml
from otterhelm.codec.errors import CodecError

DATA = Path(__file__).parent / "data"
MARSHAL_CASES: list[dict[str, Any]] = json.loads((DATA / "go_marshal_cases.json").read_text("utf-8"))
UNMARSHAL_CASES: list[dict[str, Any]] = json.loads((DATA / "go_unmarshal_cases.json").read_text("utf-8"))


def _result(produce: Any) -> str:
    try:
        return str(produce())
    except CodecError as error:
        return f"ERROR: {error}"


def test_vector_files_are_substantial() -> None:
    assert len(MARSHAL_CASES) > 2000
    assert len(UNMARSHAL_CASES) > 500


@pytest.mark.parametrize("kind", ["yaml", "pretty", "json", "toml"])
def test_marshal_matches_go(kind: str) -> None:
    mismatches = []
    for case in MARSHAL_CASES:
        value = go_yaml.load(case["input"])
        if kind == "yaml":
            got = _result(lambda value=value: go_yaml.marshal(value))
        elif kind == "pretty":
            got = _result(lambda value=value: go_yaml.to_yaml_pretty(value) + "\n")
        elif kind == "json":
            got = _result(lambda value=value: go_json.to_json(value))
        else:
            got = _result(lambda value=value: go_toml.to_toml(value))
        if got != case[kind]:
            mismatches.append((case["input"], case[kind], got))
    assert mismatches == []


def test_unmarshal_matches_go() -> None:
    mismatches = []
    for case in UNMARSHAL_CASES:
        load = go_yaml.load if case["op"] == "load" else go_yaml.load_values
        try:
            got = go_json.to_json(load(case["input"]))
        except CodecError as error:
            got = f"ERR {error}"
        want = case["json"] if case["error"] is None else f"ERR {case['error']}"
        if got != want:
            mismatches.append((case["op"], case["input"], want, got))
    assert mismatches == []
