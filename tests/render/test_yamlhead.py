"""The line reader of document heads gives what the full decoder gives, or steps aside.

For every document it accepts, the Head (or the error) Helm's SimpleHead decoding produces
from its answer must equal the one produced from the full sigs.k8s.io/yaml decode; a
document the full decoder rejects must never be accepted. Checked over every document helm
rendered for the corpus cases, over hand-written corner cases, and over random edits of
block documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otterhelm.codec import yaml as go_yaml
from otterhelm.render.manifests import ManifestParseError, head_from_data, split_manifests
from otterhelm.render.yamlhead import NotInSubset, load_head_yaml, read_block_head

GOLDEN = Path(__file__).resolve().parents[2].parent / "shared" / "charts" / "golden"


def _outcome(load: Any, document: str) -> tuple[Any, ...]:
    try:
        data = load(document)
    except Exception as error:
        return ("load error", type(error).__name__, str(error))
    try:
        head = head_from_data(data)
    except ManifestParseError as error:
        return ("head error", str(error))
    return ("head", head.api_version, head.kind, head.has_metadata, head.name, head.annotations)


def _agrees(document: str) -> bool:
    """True when the line reader accepted the document (and then it must agree)."""
    try:
        fast = read_block_head(document)
    except NotInSubset:
        return False
    full = _outcome(go_yaml.load, document)
    assert full[0] != "load error", (document, full)
    assert _outcome(lambda _: fast, document) == full, document
    return True


def test_corpus_documents() -> None:
    assert GOLDEN.is_dir(), f"chart corpus not found at {GOLDEN}"
    accepted = total = 0
    for path in sorted(GOLDEN.glob("*.yaml")):
        for document in split_manifests(path.read_text("utf-8")):
            total += 1
            accepted += _agrees(document)
    assert total > 2000
    # The reader exists to take the common case: nearly every rendered document.
    assert accepted > 0.95 * total


CORNER_CASES = [
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: pre-install\n",
    'kind: "Pod"\nmetadata:\n  name: \'it\'\'s\'\n  annotations:\n    "helm.sh/hook-weight": "-5"\n',
    "kind: Pod\nmetadata:\n  name: 12\n  annotations:\n    w: 1.5\n    t: true\n    n: null\n    x: ~\n",
    "kind: Pod\nmetadata:\n  name: 1e3\n",
    "kind: Pod\nmetadata:\n  name: 0x1F\n",
    "kind: Pod\nmetadata:\n  name: 2024-01-01\n",
    "kind: Pod\nmetadata: {}\n",
    "kind: Pod\nmetadata: []\n",
    "kind: Pod\nmetadata: text\n",
    "kind: Pod\nmetadata:\n",
    "kind: Pod\nmetadata:\n  annotations: {}\n",
    "kind: Pod\nmetadata:\n  annotations:\n",
    "kind: Pod\nmetadata:\n  annotations: text\n",
    "kind: Pod\nmetadata:\n  annotations:\n    a: |\n      x\n",
    "kind: Pod\nmetadata:\n  annotations:\n    a:\n      b: c\n",
    "kind: [a]\n",
    "kind:\n  a: b\n",
    "kind:\n  Pod\n",
    "kind:\n  - Pod\n",
    "Kind: Pod\nkind: Job\nKIND: Deployment\n",
    "metadata:\n  name: a\nmetadata:\n  name: b\n",
    "MetaData:\n  Name: a\n  ANNOTATIONS:\n    x: y\n",
    "kind: Pod # the kind\nmetadata: # meta\n  name: a # name\n",
    "kind: Pod#x\n",
    "# only a comment\n",
    "",
    "just text\n",
    "- a\n- b\n",
    "a: 1\nb: c: d\n",
    "a: b\n  c: d\n",
    "a: b\n  more text\nc: d\n",
    "a: b\n\n  more text\n",
    "a: b\n  # comment\n  c\n",
    "a: b # c\n  more\n",
    "a:\n  b: 1\n c: 2\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n- x\n b: 1\n",
    "a:\n  - x\n  b: 1\n",
    "a:\n  - x\nb: 1\n",
    "a:\n  - b: 1\n    c: 2\n  - d: 3\n",
    "a:\n  - b: 1\n   c: 2\n",
    "a:\n  - b:\n    - x\n  - c\n",
    "a:\n  -\n    b: 1\n  -\n  - c\n",
    "a:\n  - - x\n",
    "a: - x\n",
    "a: -\n",
    "a: -1\n",
    "a: .nan\n",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: [.nan]\n",
    "a: 1e400\n",
    "null: x\n",
    "~: x\n",
    "y: x\n",
    "on: x\n",
    "1: x\n",
    "18446744073709551616: x\n",
    "9223372036854775808: x\n",
    ".5: x\n",
    "<<: {a: 1}\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !x 1\n",
    "a: %x\n",
    "a: @x\n",
    "a: `x\n",
    "a: ,x\n",
    "a: ]\n",
    "a: {b: 1}\n",
    "a: [b, 'c', \"d\"]\n",
    "a: [b, c\n",
    "a: [b, c] d\n",
    'a: ["", "apps"]\nkind: Role\n',
    "a: []\nb: {}\n",
    "a: [] # x\n",
    "a: []x\n",
    "a:\n    {}\nb: 1\n",
    "a:\n    {}\n    c: 1\n",
    "a: |\n  x\n  y\nb: 1\n",
    "a: |-\n  x\n\n  y\n\nb: 1\n",
    "a: >+\n  x\n   y\nb: 1\n",
    "a: |2\n   x\n",
    "a: |\n\n      \n  x\n",
    "a: |\n    x\n  y\n",
    "a: |\n  x\n # c\n  y\n",
    "a: |\nb: 1\n",
    "a: | x\n",
    "a: |#x\n",
    "a: | # x\n  y\n",
    "a:\n  |\n    x\nb: 1\n",
    "- |\n  x\n- y\n",
    "a: 'x\n  y'\nb: 1\n",
    "a: 'x\ny'\n",
    "a: 'x'y\n",
    "a: 'x' # c\n",
    'a: "x\\ny\\t\\"\\\\ \\x41"\n',
    'a: "x\\/y"\n',
    'a: "\\u0041"\n',
    'a: "\\q"\n',
    'a: "x\\\n  y"\n',
    'a: "x\n\n  y"\nb: 1\n',
    "\"a\": 1\n'b': 2\n",
    '"a" : 1\n',
    '"a\\"b": 1\n',
    "a:b\n",
    "a:: b\n",
    "a\tb: c\n",
    "a: b\tc\n",
    "a: b\r\nc: d\n",
    "a: b\x85c\n",
    "a: b\u2028c\n",
    "a: \x7f\n",
    "\ufeffa: b\n",
    "a: caf\u00e9\nkind: Caf\u00e9\n",
    "a: b\n---\nc: d\n",
    "a: b\n...\nc: d\n",
    "%YAML 1.1\n---\na: b\n",
    "  a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "a: 1\n  \n",
    "? a\n: b\n",
    "a: ? b\n",
    "a: : b\n",
    "a: b:\n",
    "a: b: \n",
    "a: 'b': c\n",
    "-a: b\n",
    "./a: b\n",
    "$ref: b\n",
    "a.b/c-d: e\n",
    "a: b\n- c\n",
    'kind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    args: ["--a", "--b=1"]\n    env:\n    - name: X\n      value: "1"\n',
]


@pytest.mark.parametrize("document", CORNER_CASES)
def test_corner_cases(document: str) -> None:
    _agrees(document)
    assert _outcome(load_head_yaml, document) == _outcome(go_yaml.load, document)


_LINES = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: demo",
    "  annotations:",
    '    helm.sh/hook: "pre-install"',
    "    helm.sh/hook-weight: '5'",
    "spec:",
    "  containers:",
    "  - name: app",
    "    args: [a, 'b']",
    "    env:",
    "      - name: X",
    "        value: |",
    "          text",
    "",
    "        other: plain text",
    "          continued",
    "    # comment",
    "  list:",
    "  -",
    "    k: v",
    '  quoted: "multi',
    '    line"',
    "  empty: {}",
]
_EDITS = st.sampled_from(["", " ", "  ", "- ", "-", "#", ":", ": ", "'", '"', "|", "[", "{}", "x", "\\"])


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_LINES), min_size=1, max_size=14),
    st.lists(st.tuples(st.integers(0, 13), st.integers(0, 12), _EDITS), max_size=3),
)
def test_random_block_documents(lines: list[str], edits: list[tuple[int, int, str]]) -> None:
    for line_index, column, text in edits:
        if line_index < len(lines):
            line = lines[line_index]
            lines[line_index] = line[:column] + text + line[column:]
    document = "\n".join(lines) + "\n"
    _agrees(document)


def test_heads_kept_in_the_document_cache_read_as_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """head_reader keeps what load_head_yaml returns per document text: a later run (a new
    YamlDocuments over the same directory) gets the same outcome, without decoding again;
    documents that fail are decoded (and fail) every time."""
    import otterhelm.render.yamlhead as yamlhead
    from otterhelm.codec.yaml_cache import DiskDocumentCache, YamlDocuments

    documents = [*CORNER_CASES, "kind: Pod\nmetadata: [\n", "\tkind: Pod\n"]
    sample = sorted(GOLDEN.glob("*.yaml"))[:5]
    documents += [d for path in sample for d in split_manifests(path.read_text("utf-8"))]
    expected = [_outcome(load_head_yaml, d) for d in documents]

    first = yamlhead.head_reader(YamlDocuments(DiskDocumentCache(tmp_path)))
    assert [_outcome(first, d) for d in documents] == expected

    decoded: list[str] = []

    def counting(document: str) -> Any:
        decoded.append(document)
        return load_head_yaml(document)

    monkeypatch.setattr(yamlhead, "load_head_yaml", counting)
    later = yamlhead.head_reader(YamlDocuments(DiskDocumentCache(tmp_path)))
    assert [_outcome(later, d) for d in documents] == expected
    failing = {d for d, outcome in zip(documents, expected, strict=True) if outcome[0] == "load error"}
    assert failing and set(decoded) == failing


def test_without_a_cache_heads_are_decoded_directly() -> None:
    from otterhelm.codec.yaml_cache import YamlDocuments
    from otterhelm.render.yamlhead import head_reader

    assert head_reader(None) is load_head_yaml
    assert head_reader(YamlDocuments()) is load_head_yaml
