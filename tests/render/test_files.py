"""`.Files` and its glob, with the vectors of Helm's pkg/engine/files_test.go."""

from __future__ import annotations

import json
from typing import Any

import pytest

from otterhelm.render.files import Files
from otterhelm.render.glob import GlobSyntaxError, compile_glob, helm_glob_matcher

CASES = {
    "ship/captain.txt": "The Captain",
    "ship/stowaway.txt": "Legatt",
    "story/name.txt": "The Secret Sharer",
    "story/author.txt": "Joseph Conrad",
    "multiline/test.txt": "bar\nfoo\n",
    "multiline/test_with_blank_lines.txt": "bar\nfoo\n\n\n",
    "empty/empty.txt": "",
    "empty/newline_only.txt": "\n",
}


def simple_yaml(value: Any) -> str:
    """A stand-in for toYaml that is exact for flat maps of plain strings, sorted by key."""
    return "\n".join(f"{k}: {v}" for k, v in sorted(value.items()))


@pytest.fixture
def files() -> Files:
    return Files(((k, v.encode()) for k, v in CASES.items()), to_yaml=simple_yaml)


def test_new_files(files: Files) -> None:
    assert len(files) == len(CASES)
    for path, data in CASES.items():
        assert files.get_bytes(path) == data.encode()
        assert files.get_string(path) == data
    assert files.get_string("missing") == ""
    assert files.get_bytes("missing") == b""


def test_glob(files: Files) -> None:
    matched = files.glob("story/**")
    assert len(matched) == 2
    assert matched.get_string("story/author.txt") == "Joseph Conrad"


def test_as_config(files: Files) -> None:
    assert files.glob("**/captain.txt").as_config() == "captain.txt: The Captain"
    assert files.glob("ship/**").as_config() == "captain.txt: The Captain\nstowaway.txt: Legatt"


def test_as_secrets(files: Files) -> None:
    assert files.glob("ship/**").as_secrets() == "captain.txt: VGhlIENhcHRhaW4=\nstowaway.txt: TGVnYXR0"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("multiline/test.txt", ["bar", "foo"]),
        ("multiline/test_with_blank_lines.txt", ["bar", "foo", "", ""]),
        ("empty/empty.txt", []),
        ("empty/newline_only.txt", [""]),
        ("nonexistent.txt", []),
    ],
)
def test_lines(files: Files, path: str, expected: list[str]) -> None:
    assert files.lines(path) == expected


def test_methods_are_exposed_to_templates(files: Files) -> None:
    assert set(Files.go_methods) == {"Get", "GetBytes", "Glob", "AsConfig", "AsSecrets", "Lines"}
    assert Files.go_methods["Get"].fn(files, "ship/captain.txt") == "The Captain"
    assert Files.go_methods["Lines"].fn(files, "multiline/test.txt") == ["bar", "foo"]
    assert files.go_type == "engine.files"


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("*", "a.txt", True),
        ("*", "dir/a.txt", False),
        ("**", "dir/sub/a.txt", True),
        ("dir/*", "dir/a.txt", True),
        ("dir/*", "dir/sub/a.txt", False),
        ("dir/**", "dir/sub/a.txt", True),
        ("**/a.txt", "a.txt", False),
        ("**.txt", "dir/sub/a.txt", True),
        ("?.txt", "a.txt", True),
        ("?.txt", "/.txt", False),
        ("[abc].txt", "b.txt", True),
        ("[!abc].txt", "b.txt", False),
        ("[a-c].txt", "c.txt", True),
        ("{conf,data}/*.yaml", "data/x.yaml", True),
        ("{conf,data}/*.yaml", "other/x.yaml", False),
        ("files/{*.json,**/*.yaml}", "files/a/b.yaml", True),
        ("\\*.txt", "*.txt", True),
        ("\\*.txt", "a.txt", False),
        ("a.txt", "a.txt", True),
        ("a+b(c).txt", "a+b(c).txt", True),
    ],
)
def test_glob_semantics(pattern: str, name: str, matches: bool) -> None:
    assert compile_glob(pattern)(name) is matches


@pytest.mark.parametrize("pattern", ["[abc", "{a,b", "a\\", "[]"])
def test_invalid_glob_falls_back_to_match_all(pattern: str) -> None:
    with pytest.raises(GlobSyntaxError):
        compile_glob(pattern)
    assert helm_glob_matcher(pattern)("any/thing")


def test_as_config_uses_basenames() -> None:
    seen: list[Any] = []

    def capture(value: Any) -> str:
        seen.append(value)
        return json.dumps(value, sort_keys=True)

    Files([("a/x.conf", b"1"), ("b/y.conf", b"2")], to_yaml=capture).as_config()
    assert seen == [{"x.conf": "1", "y.conf": "2"}]
