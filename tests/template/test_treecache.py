"""The persistent parse-tree cache: hits give the same templates, misses parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from otterhelm.template import DiskTreeCache, MemoryTreeCache, TemplateParseError, TemplateSet
from otterhelm.template.gotypes import STRING, Func
from otterhelm.template.nodes import Source, tree_string
from otterhelm.template.tree import Tree
from otterhelm.template.treecache import Parse, cache_key, functions_fingerprint

TEXT = '{{define "x"}}[{{ . }}]{{end}}{{ range $i, $v := . }}{{ template "x" $v }}{{ end }}'


def entries(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


def cached_set(directory: Path, *texts: tuple[str, str]) -> tuple[TemplateSet, DiskTreeCache]:
    """A set over a disk cache with `texts` (name, text) parsed; flush the cache to store
    what it has pending, as a render does when it ends."""
    trees = DiskTreeCache(directory)
    tset = TemplateSet(tree_cache=trees)
    for name, text in texts:
        tset.parse(name, text)
    return tset, trees


def test_entries_are_written_when_the_cache_is_flushed(tmp_path: Path) -> None:
    tset, trees = cached_set(tmp_path, ("t", TEXT))
    assert entries(tmp_path) == []
    trees.flush()
    [entry] = entries(tmp_path)
    written = entry.stat().st_mtime_ns
    # Code generated for its trees changes the entry: written once more at the next flush.
    assert tset.execute("t", [1]) == "[1]"
    assert entry.stat().st_mtime_ns == written
    trees.flush()
    trees.flush()  # nothing pending: nothing written
    assert len(entries(tmp_path)) == 1


def test_second_parse_reads_the_cache(tmp_path: Path) -> None:
    first, trees = cached_set(tmp_path, ("t", TEXT))
    trees.flush()
    assert len(entries(tmp_path)) == 1
    second = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    second.parse("t", TEXT)
    assert len(entries(tmp_path)) == 1
    for name in ("t", "x"):
        one, two = first.template(name), second.template(name)
        assert one is not None and two is not None and one is not two
        assert one.root is not None and two.root is not None
        assert tree_string(one.root, quote_text=True) == tree_string(two.root, quote_text=True)
    assert first.execute("t", [1, 2]) == second.execute("t", [1, 2]) == "[1][2]"


def test_executed_trees_are_cached_with_their_code(tmp_path: Path) -> None:
    tset, trees = cached_set(tmp_path, ("t", TEXT))
    tset.execute("t", [1])
    trees.flush()
    again = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    again.parse("t", TEXT)
    tree = again.template("t")
    assert tree is not None and tree.compiled is None and tree.code is not None
    assert again.execute("t", [3]) == "[3]"


def test_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cached_set(tmp_path, ("t", TEXT))[1].flush()
    for path in entries(tmp_path):
        path.write_bytes(b"not a pickle")
    tset = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    tset.parse("t", TEXT)
    assert tset.execute("t", [5]) == "[5]"


def test_key_depends_on_functions_name_and_delimiters() -> None:
    plain = functions_fingerprint(["print"])
    more = functions_fingerprint(["print", "upper"])
    base = cache_key("t", TEXT, ("{{", "}}"), plain)
    assert base != cache_key("t", TEXT, ("{{", "}}"), more)
    assert base != cache_key("u", TEXT, ("{{", "}}"), plain)
    assert base != cache_key("t", TEXT, ("[[", "]]"), plain)
    assert base == cache_key("t", TEXT, ("{{", "}}"), plain)


def test_function_checks_still_apply(tmp_path: Path) -> None:
    with_upper = TemplateSet({"upper": Func(str.upper, (STRING,))}, tree_cache=DiskTreeCache(tmp_path))
    with_upper.parse("t", '{{ upper "a" }}')
    without = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    with pytest.raises(TemplateParseError, match='function "upper" not defined'):
        without.parse("t", '{{ upper "a" }}')


class CountingCache:
    """A TreeCache that records every call, standing in for a slow persistent one."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, Tree]] = {}
        self.gets = 0
        self.flushes = 0

    def get(self, key: str, source: Source, parse: Parse) -> dict[str, Tree] | None:
        self.gets += 1
        return self.stored.get(key)

    def put(self, key: str, trees: dict[str, Tree]) -> None:
        self.stored[key] = trees

    def flush(self) -> None:
        self.flushes += 1


def test_memory_cache_answers_repeated_parses_without_the_backing_cache() -> None:
    backing = CountingCache()
    entries_in_memory: dict[str, dict[str, Tree]] = {}
    first = TemplateSet(tree_cache=MemoryTreeCache(entries_in_memory, backing))
    first.parse("t", TEXT)
    assert backing.gets == 1 and len(backing.stored) == 1
    # A later set sharing the entries (as renders sharing a TemplateCache do) reads memory.
    second = TemplateSet(tree_cache=MemoryTreeCache(entries_in_memory, backing))
    second.parse("t", TEXT)
    assert backing.gets == 1
    assert second.template("t") is first.template("t")
    assert first.execute("t", [1]) == "[1]"
    assert second.execute("t", [2, 3]) == "[2][3]"


def test_memory_cache_remembers_backing_hits_and_starts_over_when_full() -> None:
    backing = CountingCache()
    TemplateSet(tree_cache=backing).parse("t", TEXT)
    memory = MemoryTreeCache({}, backing, capacity=1)
    TemplateSet(tree_cache=memory).parse("t", TEXT)
    TemplateSet(tree_cache=memory).parse("t", TEXT)
    assert backing.gets == 2  # the first set's miss, then one read through memory
    remembered = set(memory.entries)
    TemplateSet(tree_cache=memory).parse("u", TEXT)
    assert len(memory.entries) == 1 and set(memory.entries) != remembered


def test_replacing_functions_keeps_the_parse_cache_key() -> None:
    # The renderer replaces include and tpl on a clone for every tpl call; the text
    # parsed there must still hit the trees parsed before.
    backing = CountingCache()
    upper = {"upper": Func(str.upper, (STRING,))}
    tset = TemplateSet(upper, tree_cache=MemoryTreeCache({}, backing))
    tset.parse("tpl", '{{ upper "a" }}')
    clone = tset.clone()
    clone.add_funcs({"upper": Func(str.lower, (STRING,))})
    clone.parse("tpl", '{{ upper "a" }}')
    assert backing.gets == 1
    assert clone.execute("tpl", None) == "a" and tset.execute("tpl", None) == "A"


HELPERS = '{{define "used"}}u{{end}}{{define "unused"}}n{{end}}{{define "blank"}} {{/* c */}} {{end}}'


def test_cached_trees_load_their_nodes_only_when_read(tmp_path: Path) -> None:
    first, trees = cached_set(tmp_path, ("h", HELPERS))
    assert first.execute("used", None) == "u"
    trees.flush()
    tset = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    tset.parse("h", HELPERS)
    assert set(tset.names()) == {"h", "used", "unused", "blank"}
    assert tset.execute("used", None) == "u"
    used, unused = tset.template("used"), tset.template("unused")
    assert used is not None and unused is not None
    # Executing a cached tree runs its cached code: its nodes stay unloaded.
    assert used._pending is not None and unused._pending is not None
    assert used.root is not None and used._pending is None
    # Every tree of one entry still shares the source it was parsed from.
    assert unused.root is not None and unused.source is used.source
    assert unused._pending is None and tree_string(unused.root, quote_text=True) == '"n"'


def test_code_is_generated_for_trees_that_run_and_kept_with_them(tmp_path: Path) -> None:
    made: list[DiskTreeCache] = []

    def cached() -> TemplateSet:
        for earlier in made:  # each earlier set's render has ended
            earlier.flush()
        tset, trees = cached_set(tmp_path, ("h", HELPERS))
        made.append(trees)
        return tset

    cached()
    assert all(cached().template(name).marshaled_code() is None for name in ("used", "unused"))  # type: ignore[union-attr]
    assert cached().execute("used", None) == "u"
    later = cached()
    used, unused = later.template("used"), later.template("unused")
    assert used is not None and unused is not None
    assert used.marshaled_code() is not None and unused.marshaled_code() is None
    # A tree first run from the cache is parsed again for its code, which is then kept.
    assert later.execute("unused", None) == "n"
    assert unused._pending is None
    again = cached()
    assert all(again.template(name).marshaled_code() is not None for name in ("used", "unused"))  # type: ignore[union-attr]
    assert again.execute("unused", None) == "n"
    assert again.template("unused")._pending is not None  # type: ignore[union-attr]


def test_cached_trees_keep_define_precedence_without_loading(tmp_path: Path) -> None:
    # Go's AddParseTree: an empty redefinition leaves the existing template in place,
    # a non-empty one replaces it; a cached tree answers emptiness from the entry.
    cached_set(tmp_path, ("h", HELPERS))[1].flush()
    tset = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    tset.parse("a", '{{define "blank"}}kept{{end}}')
    tset.parse("h", HELPERS)
    blank = tset.template("blank")
    assert blank is not None and blank.is_empty() is False
    assert tset.execute("blank", None) == "kept"
    cached = TemplateSet(tree_cache=DiskTreeCache(tmp_path))
    cached.parse("h", HELPERS)
    tree = cached.template("blank")
    assert tree is not None and tree.has_root() and tree.is_empty() and tree._pending is not None
    cached.parse("b", '{{define "blank"}}new{{end}}')
    assert cached.execute("blank", None) == "new"
