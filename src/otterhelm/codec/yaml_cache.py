"""Decoded YAML documents kept between runs, so a chart loaded before has its values files
and Chart.yaml read back without parsing (and without importing the YAML parser at all).

An entry is keyed by a digest of everything the decode depends on: the document's text,
what it is decoded into (a values map, or the node graph of its first document), this
format's version and the size and modification time of the decoder's modules (an edited
decoder never meets entries an older one wrote). Entries are stored with `marshal`, which
holds exactly the types decoding produces (dict, list, str, float, bool, None; nodes as
nested tuples) and, unlike pickle, runs no code when read. Only successful decodes are
stored: a document that fails is decoded again, and fails with the same message.
"""

from __future__ import annotations

import marshal
import os

# blake2b from the interpreter's own module: hashlib would initialise OpenSSL (~3 ms).
from _blake2 import blake2b

from otterhelm.cachedir import PrivateDirectory, cache_root
from otterhelm.codec.yaml_lines import NotInSubset, read_block_nodes
from otterhelm.codec.yaml_nodes import Node, NotStorable, from_composed, from_tuples, to_tuples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Protocol

    class DocumentCache(Protocol):
        """Storage for marshal-able decoded documents."""

        def get(self, key: str) -> object | None: ...

        def put(self, key: str, value: Any) -> None: ...


# Bumped whenever what an entry holds changes shape.
FORMAT_VERSION = 2
# The modules whose code decides what a document decodes to.
_DECODER_MODULES = (
    "yaml.py",
    "yaml_load.py",
    "yaml_compose.py",
    "yaml_resolve.py",
    "yaml_nodes.py",
    "yaml_cache.py",
    "yaml_lines.py",
    "depth.py",
    "gofloat.py",
)
_VALUES, _NODES = "values", "nodes"


class DiskDocumentCache:
    """Marshaled entries in a private directory (see otterhelm.cachedir); unreadable entries
    are misses."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self._files = PrivateDirectory(directory)

    def get(self, key: str) -> object | None:
        data = self._files.read(key)
        if data is None:
            return None
        try:
            value: object = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        return value

    def put(self, key: str, value: Any) -> None:
        try:
            data = marshal.dumps(value)
        except ValueError:
            return  # a type marshal cannot hold: the entry is simply not kept
        self._files.write(key, data)


def default_document_cache_directory() -> str:
    """`$XDG_CACHE_HOME/otterhelm/documents`, or `~/.cache/otterhelm/documents`."""
    return os.path.join(cache_root(), "documents")


def kept_documents() -> YamlDocuments:
    """Decodes kept in the user's cache directory between runs (what the CLI uses)."""
    return YamlDocuments(DiskDocumentCache(default_document_cache_directory()))


def decoder_fingerprint() -> str:
    """The size and modification time of each decoder module."""
    here = os.path.dirname(__file__)
    return ";".join(f"{name}:{file_stamp(os.path.join(here, name))}" for name in _DECODER_MODULES)


def file_stamp(path: str) -> str:
    """`size:mtime_ns` of a module's file, which changes when the module does ("-" when it
    cannot be read): part of the key of what the module's code decodes."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}"


class YamlDocuments:
    """The YAML decodes chart loading needs (values files, Chart.yaml-like files), through
    an optional persistent cache. Without one, every call decodes."""

    def __init__(self, cache: DocumentCache | None = None) -> None:
        self.cache = cache
        self._fingerprint: str | None = None
        # Chart.yaml is read twice per load (its apiVersion first); its graph is read-only.
        self._graphs: dict[str, Node | None] = {}

    def _key(self, kind: str, text: str) -> str:
        if self._fingerprint is None:
            self._fingerprint = decoder_fingerprint()
        digest = blake2b(digest_size=32)
        for part in (str(FORMAT_VERSION), self._fingerprint, kind):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def decoded(self, kind: str, text: str, decode: Callable[[str], object]) -> object:
        """decode(text), kept under `kind` (which names the decoding: a new name whenever what
        it returns changes): a fresh value each call. Errors, and results marshal cannot hold,
        are not kept."""
        cache = self.cache
        if cache is None:
            return decode(text)
        key = self._key(kind, text)
        stored = cache.get(key)
        if isinstance(stored, list) and len(stored) == 1:
            return stored[0]
        value = decode(text)
        cache.put(key, [value])
        return value

    def values(self, data: str | bytes) -> dict[str, Any]:
        """codec.yaml.load_values(data): a fresh map each call. Raises as it does."""
        text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
        values = self.decoded(_VALUES, text, _load_values)
        assert isinstance(values, dict)
        return values

    def first_node(self, text: str) -> Node | None:
        """The node graph of the first document (yaml_compose.compose_first_document), or
        None for an empty stream; the graph must not be changed. Raises YamlError."""
        if text in self._graphs:
            return self._graphs[text]
        cache = self.cache
        key = ""
        if cache is not None:
            key = self._key(_NODES, text)
            stored = cache.get(key)
            if isinstance(stored, list) and len(stored) == 1:
                try:
                    graph = None if stored[0] is None else from_tuples(stored[0])
                except (ValueError, RecursionError):
                    pass
                else:
                    self._graphs[text] = graph
                    return graph
        try:
            graph = read_block_nodes(text)
        except NotInSubset:
            from otterhelm.codec.yaml_compose import compose_first_document

            composed = compose_first_document(text)
            graph = None if composed is None else from_composed(composed)
        self._graphs[text] = graph
        if cache is not None:
            try:
                cache.put(key, [None if graph is None else to_tuples(graph)])
            except (NotStorable, RecursionError):
                return graph  # kept for this process only
        return graph


def _load_values(text: str) -> dict[str, Any]:
    from otterhelm.codec.yaml import load_values

    return load_values(text)
