"""A persistent cache of the code generated from parse trees, so a process rendering a
chart it has rendered before neither lexes, parses nor generates code, and runs each
template's code without building its nodes.

Entries are keyed by everything parsing depends on: the template name (it appears in
error locations), the text, the delimiters and the set of function names (the parser
rejects unknown functions and treats `break`/`continue` as keywords only when no function
has that name), and by the interpreter (code objects are specific to its version). The
directory must be private to the user: entries hold code that is run.

An entry is marshaled: for each tree of the text, its name, whether it has a root and
whether that is empty (Go's define precedence), and the marshaled code codegen made of it
if the tree was ever executed: code is generated for a tree when it first runs, and the
entry is written again then, so templates never executed cost no code generation. A hit
registers every template of a file by name at the cost of reading a few strings; a tree's
code is unmarshaled when the tree is first executed (most `define`s of a chart's helpers
are never included by a given render). Nodes are not stored: the rare reader of a cached
tree's nodes (an error report, which quotes a node and its position) gets them by parsing
the entry's text again, which gives the same trees, as the key says.
"""

from __future__ import annotations

import marshal
import os
import sys

# blake2b from the interpreter's own module: hashlib would initialise OpenSSL (~3 ms).
from _blake2 import blake2b
from collections.abc import Callable, Iterable

from otterhelm.cachedir import PrivateDirectory, cache_root
from otterhelm.template.nodes import ListNode, Source
from otterhelm.template.tree import Tree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class TreeCache(Protocol):
        """Storage for the trees one text parses into."""

        def get(self, key: str, source: Source, parse: Parse) -> dict[str, Tree] | None:
            """The trees of the text `source` holds (which the key was made from), or None."""
            ...

        def put(self, key: str, trees: dict[str, Tree]) -> None: ...

        def flush(self) -> None:
            """Store what `put` (and code generated since) left pending; a render ends with it."""
            ...


# Bumped whenever the entry layout, the node classes or the generated code change shape,
# so old entries are never read.
FORMAT_VERSION = 10


Parse = Callable[[], dict[str, Tree]]
"""Parses the text a key was made from again (what a cached tree's nodes come from)."""


def functions_fingerprint(names: Iterable[str]) -> str:
    return blake2b("\0".join(sorted(names)).encode(), digest_size=32).hexdigest()


def cache_key(name: str, text: str, delims: tuple[str, str], functions: str) -> str:
    digest = blake2b(digest_size=32)
    # Code objects are only valid for the interpreter version that compiled them.
    for part in (
        str(FORMAT_VERSION),
        sys.implementation.cache_tag or "",
        name,
        delims[0],
        delims[1],
        functions,
    ):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class MemoryTreeCache:
    """Trees kept in memory in front of an optional persistent cache, so that a text parsed
    again (`tpl` runs the same small templates many times a render) is neither re-parsed
    nor re-read. `entries` may be shared between renders by a long-lived owner; when it
    holds `capacity` entries it starts over."""

    def __init__(
        self, entries: dict[str, dict[str, Tree]], backing: TreeCache | None = None, capacity: int = 4096
    ) -> None:
        self.entries = entries
        self.backing = backing
        self.capacity = capacity

    def get(self, key: str, source: Source, parse: Parse) -> dict[str, Tree] | None:
        trees = self.entries.get(key)
        if trees is None and self.backing is not None:
            trees = self.backing.get(key, source, parse)
            if trees is not None:
                self._remember(key, trees)
        # Callers get their own mapping; the trees themselves are immutable and shared.
        return None if trees is None else dict(trees)

    def put(self, key: str, trees: dict[str, Tree]) -> None:
        self._remember(key, trees)
        if self.backing is not None:
            self.backing.put(key, trees)

    def flush(self) -> None:
        if self.backing is not None:
            self.backing.flush()

    def _remember(self, key: str, trees: dict[str, Tree]) -> None:
        if len(self.entries) >= self.capacity:
            self.entries.clear()
        self.entries[key] = dict(trees)


class DiskTreeCache:
    """Entries marshaled in a private directory (see otterhelm.cachedir: they hold code that
    is run, so only a directory nobody else can write to is read); unreadable entries are
    misses."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self._files = PrivateDirectory(directory)
        # Entries to write at the next flush: an entry changes each time one of its trees
        # gets code, so it is written once per render, not once per change.
        self._pending: dict[str, dict[str, Tree]] = {}

    def get(self, key: str, source: Source, parse: Parse) -> dict[str, Tree] | None:
        data = self._files.read(key)
        if data is None:
            return None
        try:
            trees = decode_entry(marshal.loads(data), source, parse)
        except Exception:
            return None
        self._keep_code(key, trees)
        return trees

    def put(self, key: str, trees: dict[str, Tree]) -> None:
        if not self._files.trusted():
            return
        self._pending[key] = trees
        self._keep_code(key, trees)

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for key, trees in pending.items():
            self._files.write(key, marshal.dumps(encode_entry(trees)))

    def _keep_code(self, key: str, trees: dict[str, Tree]) -> None:
        """Write the entry again when one of its trees gets code (is first executed)."""
        for tree in trees.values():
            if tree.has_root() and tree.marshaled_code() is None:
                tree.when_code_set(lambda: self._pending.update({key: trees}))


# An entry: (format version, [(tree name, has a root, root is empty, marshaled TreeCode
# or None)]). The text is the reader's: it made the key.
Entry = tuple[int, list[tuple[str, bool, bool, bytes | None]]]


def encode_entry(trees: dict[str, Tree]) -> Entry:
    """Trees parsed from one text, with the code of those that have some, as a cache entry."""
    parts = [(name, tree.has_root(), tree.is_empty(), tree.marshaled_code()) for name, tree in trees.items()]
    return (FORMAT_VERSION, parts)


def decode_entry(entry: object, source: Source, parse: Parse) -> dict[str, Tree]:
    """The trees of an entry for the text `source` holds, each loading its code on first
    use and its nodes, from `parse`, when they are read; ValueError when the entry is not
    of encode_entry's shape."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] == FORMAT_VERSION):
        raise ValueError("not a tree cache entry")
    parts = entry[1]
    if not isinstance(parts, list):
        raise ValueError("not a tree cache entry")
    reparsed = _Reparse(parse)
    trees: dict[str, Tree] = {}
    for part in parts:
        name, has_root, empty, code = part
        if not (isinstance(name, str) and isinstance(code, (bytes, type(None)))):
            raise ValueError("not a tree cache entry")
        trees[name] = Tree.deferred(
            name, source, reparsed.root_loader(name), has_root=bool(has_root), empty=bool(empty), code=code
        )
    return trees


class _Reparse:
    """The trees of an entry's text parsed again, once for all of them."""

    def __init__(self, parse: Parse) -> None:
        self.parse = parse
        self.trees: dict[str, Tree] | None = None

    def root_loader(self, name: str) -> Callable[[], ListNode | None]:
        def load() -> ListNode | None:
            if self.trees is None:
                self.trees = self.parse()
            return self.trees[name].root

        return load


def default_cache_directory() -> str:
    """`$XDG_CACHE_HOME/otterhelm/templates`, or `~/.cache/otterhelm/templates`."""
    return os.path.join(cache_root(), "templates")
