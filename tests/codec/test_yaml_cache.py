"""The persistent cache of decoded YAML documents: what it gives back equals a fresh decode,
value for value and type for type, over every values file and chart of the corpus; errors
are never stored; entries live in a private directory; a warm chart load needs no YAML
parser."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart.loader import load
from otterhelm.chart.metadata import ChartFileError, decode_metadata
from otterhelm.chart.model import Chart
from otterhelm.codec import yaml as go_yaml
from otterhelm.codec.errors import YamlError
from otterhelm.codec.yaml_cache import DiskDocumentCache, YamlDocuments, default_document_cache_directory
from otterhelm.codec.yaml_nodes import MappingNode, Node, NotStorable, ScalarNode, from_tuples, to_tuples

CHARTS = Path(__file__).resolve().parents[2].parent / "shared" / "charts"
VALUES_FILES = sorted(
    json.loads((Path(__file__).parent / "data" / "corpus_values_render_sha256.json").read_text("utf-8"))
)


class CountingCache(DiskDocumentCache):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.hits = self.misses = self.stores = 0

    def get(self, key: str) -> object | None:
        value = super().get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        self.stores += 1
        super().put(key, value)


def assert_identical(actual: Any, expected: Any, where: str = "") -> None:
    """Equal, with the same type at every level and keys in the same order."""
    assert type(actual) is type(expected), (where, actual, expected)
    if isinstance(expected, dict):
        assert list(actual) == list(expected), where
        for key in expected:
            assert_identical(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), where
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            assert_identical(left, right, f"{where}[{index}]")
    elif isinstance(expected, float):
        assert repr(actual) == repr(expected), where  # keeps -0.0 apart from 0.0
    else:
        assert actual == expected, where


def test_every_corpus_values_file_reads_back_identical(tmp_path: Path) -> None:
    assert len(VALUES_FILES) > 500
    cache = CountingCache(tmp_path / "documents")
    distinct = set()
    for relative in VALUES_FILES:
        data = (CHARTS / relative).read_bytes()
        distinct.add(data)
        fresh = go_yaml.load_values(data)
        stored = YamlDocuments(cache).values(data)
        assert_identical(stored, fresh, relative)
        cached = YamlDocuments(cache).values(data)
        assert_identical(cached, fresh, relative)
        # Each call gets its own map: callers change values in place.
        assert cached is not stored
    # Files with the same text (several charts ship the same values) share an entry.
    assert cache.misses == len(distinct)
    assert cache.hits == 2 * len(VALUES_FILES) - len(distinct)


def _assert_same_chart(actual: Chart, expected: Chart) -> None:
    assert actual.metadata == expected.metadata
    assert actual.lock == expected.lock
    assert_identical(actual.values, expected.values, actual.name)
    assert [c.name for c in actual.subcharts] == [c.name for c in expected.subcharts]
    for left, right in zip(actual.subcharts, expected.subcharts, strict=True):
        _assert_same_chart(left, right)


def test_every_corpus_chart_loads_the_same_from_the_cache(tmp_path: Path) -> None:
    charts = sorted(path.parent for path in (CHARTS / "src").glob("*/*/Chart.yaml"))
    assert len(charts) > 100
    cache = CountingCache(tmp_path / "documents")
    for path in charts:
        fresh = load(path)
        _assert_same_chart(load(path, documents=YamlDocuments(cache)), fresh)
        misses = cache.misses
        _assert_same_chart(load(path, documents=YamlDocuments(cache)), fresh)
        assert cache.misses == misses, path  # the second load decodes nothing
    assert cache.hits > 2 * len(charts)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\nb: c: d\n", "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: "),
        ("- a\n", "cannot unmarshal yaml document: error unmarshaling JSON"),
        ("a: .nan\n", "cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported"),
    ],
)
def test_values_errors_are_not_stored(tmp_path: Path, text: str, message: str) -> None:
    cache = CountingCache(tmp_path / "documents")
    for _ in range(2):
        with pytest.raises(YamlError) as raised:
            YamlDocuments(cache).values(text)
        assert str(raised.value).startswith(message)
        with pytest.raises(YamlError) as fresh:
            go_yaml.load_values(text)
        assert str(raised.value) == str(fresh.value)
    assert cache.stores == 0


def test_chart_yaml_errors_are_not_stored(tmp_path: Path) -> None:
    cache = CountingCache(tmp_path / "documents")
    bad = b"name: a\nversion: [1\n"
    messages = set()
    for documents in (YamlDocuments(cache), YamlDocuments(cache), YamlDocuments()):
        with pytest.raises(ChartFileError) as raised:
            decode_metadata(bad, documents=documents)
        messages.add(str(raised.value))
    assert len(messages) == 1
    assert cache.stores == 0


def test_type_errors_of_a_cached_chart_yaml_read_as_before(tmp_path: Path) -> None:
    cache = CountingCache(tmp_path / "documents")
    text = b"apiVersion: v2\nname: a\nversion: 1.0.0\nmaintainers: text\n"
    errors = []
    for documents in (YamlDocuments(), YamlDocuments(cache), YamlDocuments(cache)):
        with pytest.raises(ChartFileError) as raised:
            decode_metadata(text, documents=documents)
        errors.append(str(raised.value))
    assert cache.hits == 1
    assert errors[0].startswith("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string")
    assert errors == [errors[0]] * 3


def test_aliases_stay_shared_and_self_containing_graphs_are_not_stored(tmp_path: Path) -> None:
    cache = CountingCache(tmp_path / "documents")
    text = "apiVersion: v2\nname: &n demo\nversion: 1.0.0\nkeywords: [*n, *n]\n"
    graph = YamlDocuments(cache).first_node(text)
    again = YamlDocuments(cache).first_node(text)
    assert isinstance(graph, MappingNode) and isinstance(again, MappingNode)
    assert cache.hits == 1
    keywords = again.value[3][1].value
    assert keywords[0] is keywords[1] is again.value[1][1]
    assert isinstance(keywords[0], ScalarNode) and keywords[0].value == "demo"

    cyclic = MappingNode("tag:yaml.org,2002:map", [])
    cyclic.value.append((ScalarNode("!otterhelm/plain", "self"), cyclic))
    with pytest.raises(NotStorable):
        to_tuples(cyclic)


def test_node_tuples_round_trip() -> None:
    leaf = ScalarNode("tag:yaml.org,2002:str", "x")
    root: Node = MappingNode("tag:yaml.org,2002:map", [(leaf, leaf)])
    back = from_tuples(to_tuples(root))
    assert isinstance(back, MappingNode)
    key, value = back.value[0]
    assert key is value and key.value == "x" and key.tag == leaf.tag
    with pytest.raises(ValueError):
        from_tuples(("s", "tag", ["not", "a", "string"]))


def test_entries_live_in_a_private_directory(tmp_path: Path) -> None:
    directory = tmp_path / "documents"
    YamlDocuments(DiskDocumentCache(directory)).values("a: 1\n")
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    entries = [path for path in directory.rglob("*") if path.is_file()]
    assert len(entries) == 1
    # A directory others can write to is neither read nor written.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    cache = CountingCache(shared)
    YamlDocuments(cache).values("a: 1\n")
    YamlDocuments(cache).values("a: 1\n")
    assert cache.hits == 0
    assert not any(path.is_file() for path in shared.rglob("*"))


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    directory = tmp_path / "documents"
    YamlDocuments(DiskDocumentCache(directory)).values("a: 1\n")
    (entry,) = [path for path in directory.rglob("*") if path.is_file()]
    entry.write_bytes(b"\x00garbage")
    assert YamlDocuments(DiskDocumentCache(directory)).values("a: 1\n") == {"a": 1.0}


def test_default_directory_honours_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Path(default_document_cache_directory()) == tmp_path / "otterhelm" / "documents"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert Path(default_document_cache_directory()) == Path.home() / ".cache" / "otterhelm" / "documents"


_LOAD_AND_REPORT = """
import sys
from pathlib import Path
from otterhelm.chart.loader import load
from otterhelm.codec.yaml_cache import DiskDocumentCache, YamlDocuments
chart = load(sys.argv[1], documents=YamlDocuments(DiskDocumentCache(Path(sys.argv[2]))))
print(chart.name, len(chart.values), "yaml" in sys.modules)
"""


def test_a_warm_load_does_not_import_the_yaml_parser(tmp_path: Path) -> None:
    chart = CHARTS / "src" / "bitnami+charts" / "postgresql"
    command = [sys.executable, "-c", _LOAD_AND_REPORT, str(chart), str(tmp_path / "documents")]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    cold = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout.split()
    warm = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout.split()
    assert cold[:2] == warm[:2] and cold[0] == "postgresql"
    assert warm[2] == "False"


def test_decoded_keeps_what_marshal_holds_and_returns_fresh_values(tmp_path: Path) -> None:
    calls: list[str] = []

    def decode(text: str) -> object:
        calls.append(text)
        return {"text": text, "items": [1, 2.5, None, True]}

    first = YamlDocuments(DiskDocumentCache(tmp_path)).decoded("demo", "a: 1", decode)
    later = YamlDocuments(DiskDocumentCache(tmp_path))
    again = later.decoded("demo", "a: 1", decode)
    assert again == first and again is not later.decoded("demo", "a: 1", decode)
    assert calls == ["a: 1"]
    # Another kind of decoding of the same text is its own entry.
    later.decoded("other", "a: 1", decode)
    assert calls == ["a: 1", "a: 1"]

    class Opaque:
        pass

    made: list[Opaque] = []

    def opaque(text: str) -> object:
        made.append(Opaque())
        return made[-1]

    documents = YamlDocuments(DiskDocumentCache(tmp_path))
    assert documents.decoded("opaque", "x", opaque) is made[0]
    assert documents.decoded("opaque", "x", opaque) is made[1]  # not kept: decoded again
