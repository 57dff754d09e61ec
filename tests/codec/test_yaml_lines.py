"""The line reader of plain block-style YAML gives exactly what the full decoder gives (value
for value, type for type, key order included), or steps aside: over every values file and
every document helm rendered for the corpus, over corner cases and over random edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otterhelm.codec import yaml as go_yaml
from otterhelm.codec.yaml_compose import compose_first_document
from otterhelm.codec.yaml_lines import NotInSubset, read_block_document, read_block_nodes
from otterhelm.codec.yaml_load import decode
from otterhelm.codec.yaml_nodes import MappingNode, Node, ScalarNode, from_composed

from .test_yaml_cache import assert_identical

CHARTS = Path(__file__).resolve().parents[2].parent / "shared" / "charts"
VALUES_FILES = sorted(
    json.loads((Path(__file__).parent / "data" / "corpus_values_render_sha256.json").read_text("utf-8"))
)


def _full(text: str) -> tuple[str, Any]:
    try:
        return ("value", decode(text))
    except Exception as error:
        return ("error", f"{type(error).__name__}: {error}")


def _agrees(text: str) -> bool:
    """True when the reader accepted the text; then the decoder must give the same value."""
    try:
        fast = read_block_document(text)
    except NotInSubset:
        return False
    kind, full = _full(text)
    assert kind == "value", (text, full)
    assert_identical(fast, full, repr(text[:200]))
    return True


def test_corpus_values_files() -> None:
    accepted = total = 0
    for relative in VALUES_FILES:
        text = (CHARTS / relative).read_text("utf-8")
        for document in go_yaml.split_documents(text if text.endswith("\n") else text + "\n"):
            total += 1
            accepted += _agrees(document)
    assert total > 500
    assert accepted > 0.8 * total


def test_corpus_rendered_documents() -> None:
    from otterhelm.render.manifests import split_manifests

    accepted = total = 0
    for path in sorted((CHARTS / "golden").glob("*.yaml")):
        for document in split_manifests(path.read_text("utf-8")):
            total += 1
            accepted += _agrees(document)
    assert total > 2000
    assert accepted > 0.8 * total


CORNER_CASES = [
    "a: 1\nb: 1.5\nc: -2\nd: 0x10\ne: 0o17\nf: 017\ng: 1_000\nh: 1e3\ni: .5\nj: +1\n",
    "a: true\nb: yes\nc: off\nd: ~\ne: null\nf: \ng: 2024-01-02\nh: 1:20\ni: 12:30:45\n",
    "a: 9223372036854775807\nb: 18446744073709551615\nc: 18446744073709551616\nd: -0\ne: -0.0\n",
    "a: 1e400\nb: 0b101\nc: -0b11\nd: 0x\n",
    "a: text with spaces\nb: 'single ''quoted'''\nc: \"double \\\"quoted\\\" \\\\ \\t \\n \\x41 \\N \\_ \\L \\P \\e \\0 \\ \"\n",
    'a: ""\nb: \'\'\nc: "  padded  "\n',
    "a: [x, 'y', \"z\", 1, true, null, 1.5]\nb: []\nc: {}\nd: [ a ,b ]\n",
    "a: [.nan]\n",
    "a: {cpu: 250m, memory: 512Mi}\nb: { x: 'q', y: \"d\" , z: 1 }\nc: {a: b, a: c}\n",
    "a: {y: 1}\n",
    "{" + "k" * 1030 + ": v}\n",
    "a: {" + "k" * 300 + ": v}\n",
    "k" * 1030 + ": v\n",
    "a: {k: .nan}\n",
    "a: {k:v}\n",
    "a: {k: v: w}\n",
    "a: :4244\nb: ?x\nc: ::\nd: ? x\ne: :\n",
    "- :x\n- ?y\n",
    "a: |\n  line 1\n  line 2\nb: 1\n",
    "a: |-\n  line 1\n\n  line 2\n\n\nb: 1\n",
    "a: |+\n  line 1\n\n\nb: 1\n",
    "a: |+\n  line 1\n\n",
    "a: |\n  line 1\n\n",
    "a: |\n\n\n  after blanks\n",
    "a: |\n    deeper\n  shallower\n",
    "a: |\n  x\n      more indented\n  y\n",
    "a: |\n  x\n     \n  y\n",
    "a: |\n  x\n  \n  y\n",
    "a: |\n  x",
    "a: |\n",
    "a: |\nb: 1\n",
    "a: |+\n\nb: 1\n",
    "a: |-\n",
    "a: >\n  folded\n  text\n",
    "a: >-\n  folded\n  text\n\n  para\n   indented\n  back\n\n\nb: 1\n",
    "a: >+\n   lead space\n  next\n\n",
    "a: plain\n  folded\n\n  over\n\n\n  lines\nb: 1\n",
    "- plain\n  item\n- next\n",
    "- a\n",
    "{}",
    "{}\n",
    "[]\n# c\n",
    "{}\nx\n",
    "plain\n",
    "plain\nmore\n\n  text\n",
    "plain\nkey: x\n",
    "'quoted'\n",
    "'quoted\nlines'\n",
    '"dq" # c\n',
    "1.5\n",
    "null\n",
    ".nan\n",
    "[a, 1]\n",
    "|\n  x\n",
    "|\nx\n",
    "a:\n  - 1\n  - b: 2\n    c: [3]\n  -\n    d: 4\n  -\n  - |\n    lit\n",
    "a:\n- x\n-\n- y\nb:\n",
    "a: 1\na: 2\nb:\n  c: 1\nb: 3\n",
    "a:\n  b: 1\n  b:\n    c: 2\n",
    "'quoted key': 1\n\"dq\": 2\n'it''s': 3\n",
    "a: plain # comment\nb: 'q' # comment\nc: [1] # comment\nd: |  # comment\n  x\n",
    "a: b\n  continued\n",
    "a: b\n\n  continued\n",
    "a: 'multi\n  line'\n",
    'a: "multi\\\n  line"\n',
    "k: caf\u00e9 \u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9 \U0001f600\n",
    "a: \u00a0\n",
    "a:\n  b:\n    c:\n      d: deep\n",
    "# only comments\n# here\n",
    "",
    "\n\n",
    "a: 1\n  \n",
    "x: -\n",
    "x: -1\n",
    "x: - 1\n",
    "a: !!str 1\n",
    "a: &x 1\nb: *x\n",
    "<<: {a: 1}\n",
    "1: a\n",
    "true: a\n",
    "a:\tb\n",
    "a: b\r\n",
]


@pytest.mark.parametrize("text", CORNER_CASES)
def test_corner_cases(text: str) -> None:
    _agrees(text)
    fast_or_full = go_yaml.load(text) if _full(text)[0] == "value" else None
    if fast_or_full is not None:
        assert_identical(fast_or_full, _full(text)[1])


_LINES = [
    "a: 1",
    "b: text",
    "c:",
    "  d: 'q'",
    '  e: "x\\ty"',
    "  f: [1, a]",
    "  fm: {a: 1, b: x}",
    "  colon: :80",
    "  g:",
    "  - 1",
    "  - h: 2",
    "    i: |",
    "      lit",
    "",
    "      more",
    "    j: |-",
    "      x",
    "  k: {}",
    "l: plain",
    "  cont",
    "m: >-",
    "  fold",
    "   more",
    "# c",
]
_EDITS = st.sampled_from(
    ["", " ", "  ", "- ", "-", "#", ":", ": ", "'", '"', "|", "|+", "[", "{}", "x", "\\", "y"]
)


@settings(max_examples=800, deadline=None)
@given(
    st.lists(st.sampled_from(_LINES), min_size=1, max_size=14),
    st.lists(st.tuples(st.integers(0, 13), st.integers(0, 10), _EDITS), max_size=3),
)
def test_random_block_documents(lines: list[str], edits: list[tuple[int, int, str]]) -> None:
    for line_index, column, text in edits:
        if line_index < len(lines):
            line = lines[line_index]
            lines[line_index] = line[:column] + text + line[column:]
    _agrees("\n".join(lines) + "\n")
    _agrees("\n".join(lines))


def _same_graph(actual: Node | None, expected: Node | None, where: str = "") -> None:
    assert type(actual) is type(expected), where
    if actual is None or expected is None:
        return
    assert actual.tag == expected.tag, where
    if isinstance(expected, ScalarNode):
        assert actual.value == expected.value, where
    elif isinstance(expected, MappingNode):
        assert len(actual.value) == len(expected.value), where
        for (key, item), (expected_key, expected_item) in zip(actual.value, expected.value, strict=True):
            _same_graph(key, expected_key, where)
            _same_graph(item, expected_item, f"{where}.{expected_key.value}")
    else:
        assert len(actual.value) == len(expected.value), where
        for index, (item, expected_item) in enumerate(zip(actual.value, expected.value, strict=True)):
            _same_graph(item, expected_item, f"{where}[{index}]")


def _nodes_agree(text: str) -> bool:
    try:
        fast = read_block_nodes(text)
    except NotInSubset:
        return False
    composed = compose_first_document(text)
    _same_graph(fast, None if composed is None else from_composed(composed), repr(text[:200]))
    return True


def test_node_graphs_of_corpus_chart_files() -> None:
    names = ("Chart.yaml", "Chart.lock", "requirements.yaml", "requirements.lock")
    paths = [path for name in names for path in (CHARTS / "src").rglob(name)]
    assert len(paths) > 200
    accepted = sum(_nodes_agree(path.read_text("utf-8")) for path in paths)
    assert accepted > 0.8 * len(paths)


@pytest.mark.parametrize("text", CORNER_CASES)
def test_node_graphs_of_corner_cases(text: str) -> None:
    _nodes_agree(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_LINES), min_size=1, max_size=14),
    st.lists(st.tuples(st.integers(0, 13), st.integers(0, 10), _EDITS), max_size=3),
)
def test_node_graphs_of_random_block_documents(lines: list[str], edits: list[tuple[int, int, str]]) -> None:
    for line_index, column, text in edits:
        if line_index < len(lines):
            line = lines[line_index]
            lines[line_index] = line[:column] + text + line[column:]
    _nodes_agree("\n".join(lines) + "\n")
