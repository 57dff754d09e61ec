"""A persistent cache of parse trees, so a process rendering a chart it has rendered
before skips lexing and parsing (unpickling is about six times faster than parsing).

Entries are keyed by everything parsing depends on: the template name (it appears in
error locations), the text, the delimiters and the set of function names (the parser
rejects unknown functions and treats `break`/`continue` as keywords only when no function
has that name). The directory must be private to the user: entries are pickles.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from otterhelm.template.parser import Tree

# Bumped whenever the node classes change shape, so old entries are never read.
FORMAT_VERSION = 1


class TreeCache(Protocol):
    """Storage for the trees one text parses into."""

    def get(self, key: str) -> dict[str, Tree] | None: ...

    def put(self, key: str, trees: dict[str, Tree]) -> None: ...


def functions_fingerprint(names: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()


def cache_key(name: str, text: str, delims: tuple[str, str], functions: str) -> str:
    digest = hashlib.sha256()
    for part in (str(FORMAT_VERSION), name, delims[0], delims[1], functions):
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

    def get(self, key: str) -> dict[str, Tree] | None:
        trees = self.entries.get(key)
        if trees is None and self.backing is not None:
            trees = self.backing.get(key)
            if trees is not None:
                self._remember(key, trees)
        # Callers get their own mapping; the trees themselves are immutable and shared.
        return None if trees is None else dict(trees)

    def put(self, key: str, trees: dict[str, Tree]) -> None:
        self._remember(key, trees)
        if self.backing is not None:
            self.backing.put(key, trees)

    def _remember(self, key: str, trees: dict[str, Tree]) -> None:
        if len(self.entries) >= self.capacity:
            self.entries.clear()
        self.entries[key] = dict(trees)


class DiskTreeCache:
    """Trees pickled under `directory/<key[:2]>/<key>`; unreadable entries are misses."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._trusted: bool | None = None

    def _is_trusted(self) -> bool:
        """Unpickling runs code, so entries are read only from a directory that nobody
        but this user can write to."""
        if self._trusted is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
                info = self.directory.stat()
                self._trusted = info.st_uid == os.getuid() and not info.st_mode & 0o022
            except OSError:
                self._trusted = False
        return self._trusted

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str) -> dict[str, Tree] | None:
        if not self._is_trusted():
            return None
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            trees = pickle.loads(data)
        except Exception:
            return None
        if not isinstance(trees, dict) or not all(isinstance(tree, Tree) for tree in trees.values()):
            return None
        return trees

    def put(self, key: str, trees: dict[str, Tree]) -> None:
        if not self._is_trusted():
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            data = pickle.dumps(trees, protocol=pickle.HIGHEST_PROTOCOL)
            import tempfile  # only writers need it; cache hits stay cheap

            # Write then rename, so a concurrent reader never sees half an entry.
            handle, temporary = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            return


def default_cache_directory() -> Path:
    """`$XDG_CACHE_HOME/otterhelm/templates`, or `~/.cache/otterhelm/templates`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "otterhelm" / "templates"
