"""Starting the `otterhelm` command quickly.

A short command such as `otterhelm template` imports about a hundred modules (ours and the
standard library's), and on a small chart finding, checking and reading them one file at a
time costs more than the render. So the command keeps the code of every module it imported
in one file per command (a module bundle, under the cache directory) and serves
later imports from it: one read, then a stat per module, instead of a path search, a stat,
an open and a read per module.

A bundled module is used only while its source file has the size and modification time it
had when its code was taken, which is the check Python applies to its own bytecode cache; an
edited or upgraded module is imported the usual way and the bundle is rewritten after the
command. A bundle is tied to the interpreter, its bytecode format and the module search
path, so checkouts and virtual environments that share a cache directory never mix.

This module runs before the bundle is in place, so it imports only modules the interpreter
has already loaded or keeps frozen.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys

# The interpreter's own (frozen) import machinery, already loaded.
from importlib._bootstrap import ModuleSpec
from importlib._bootstrap_external import MAGIC_NUMBER, SourceFileLoader, cache_from_source

from otterhelm.cachedir import PrivateDirectory, cache_root, stable_digest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from types import CodeType

# Bumped whenever the file layout below changes.
FORMAT = 4

# A bundle file: this magic, the index's length (4 bytes, little-endian), the index (marshaled
# `(identity, {module name: Entry}, {directory: st_mtime_ns})`, the directories being the
# search path's and those holding a bundled module), then the modules' marshaled code objects
# one after another. Only the index is read up front; each module's code is read when it is imported.
_MAGIC = b"OHMB"

# One bundled module: its source path, the source's st_mtime_ns and st_size when the code was
# taken, whether it is a package, its bytecode cache path (for `__cached__`), and where its
# marshaled code lies after the index (offset, length).
Entry = tuple[str, int, int, bool, str, int, int]


def default_bundle_directory() -> str:
    return os.path.join(cache_root(), "startup")


class BundledModuleLoader(SourceFileLoader):
    """Loads a module from code held in a bundle. It is a source file loader in every other
    respect (file name, source for tracebacks, package resources)."""

    def __init__(self, fullname: str, path: str, code: bytes) -> None:
        super().__init__(fullname, path)
        self._code = code

    def get_code(self, fullname: str) -> CodeType:
        code: CodeType = marshal.loads(self._code)
        return code


class ModuleBundle:
    """A meta path finder over one bundle file; `install` puts it first on sys.meta_path,
    `save` rewrites the file when the process imported modules the bundle did not serve."""

    def __init__(self, store: PrivateDirectory, command: str) -> None:
        self._store = store
        self._identity = (
            FORMAT,
            sys.version,
            MAGIC_NUMBER,
            sys.flags.optimize,
            tuple(sys.path),
            command,
        )
        self._key = stable_digest(repr(self._identity))
        self._entries: dict[str, Entry] = {}
        self._file: int | None = None  # descriptor of the bundle file the entries index
        self._code_start = 0
        self._size = 0
        self._served: set[str] = set()

    @property
    def served(self) -> frozenset[str]:
        return frozenset(self._served)

    def install(self) -> None:
        self._read_index()
        sys.meta_path.insert(0, self)

    def uninstall(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        if self._file is not None:
            os.close(self._file)
            self._file = None
            self._entries = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: object = None
    ) -> ModuleSpec | None:
        entry = self._entries.get(fullname)
        if entry is None:
            return None
        try:
            source, _, _, package, cached, _, _ = entry
            code = self._code(entry) if _unchanged(entry) else None
        except (TypeError, ValueError):  # not an entry this module wrote: import as usual
            return None
        if code is None:
            return None
        self._served.add(fullname)
        # Built directly rather than by spec_from_file_location, which would ask the loader
        # and derive the bytecode path again: this runs for every module a command imports.
        spec = ModuleSpec(fullname, BundledModuleLoader(fullname, source, code), origin=source)
        spec.has_location = True
        spec.cached = cached
        if package:
            spec.submodule_search_locations = [os.path.dirname(source)]
        return spec

    def save(self) -> None:
        """Rewrite the bundle if this process imported a source module it did not serve
        (new, or changed since it was bundled). Never fails the command: a bundle is only
        ever a shortcut."""
        try:
            modules = self._collect()
            if modules is not None:
                self._store.write(self._key, self._encode(modules))
        except Exception:
            pass

    def _collect(self) -> dict[str, tuple[Entry, bytes]] | None:
        """What to write: every source module now imported, plus the still-current modules
        other runs of this command needed; None when the bundle already holds a current
        entry for each imported module (the usual case, checked without reading code)."""
        imported = {
            name: spec
            for name, spec in ((n, getattr(m, "__spec__", None)) for n, m in list(sys.modules.items()))
            if spec is not None and spec.name == name and isinstance(spec.loader, SourceFileLoader)
        }
        if all(
            name in self._served or (name in self._entries and _unchanged(self._entries[name]))
            for name in imported
        ):
            return None
        modules: dict[str, tuple[Entry, bytes]] = {}
        for name, spec in imported.items():
            module = self._held(name) or _module_from_source(
                spec.origin, package=spec.submodule_search_locations is not None
            )
            if module is not None:
                modules[name] = module
        for name in self._entries.keys() - imported.keys():
            held = self._held(name)
            if held is not None:
                modules[name] = held
        return modules

    def _held(self, name: str) -> tuple[Entry, bytes] | None:
        """A module this bundle holds, with its code, while its source is unchanged."""
        entry = self._entries.get(name)
        if entry is None or not _unchanged(entry):
            return None
        code = self._code(entry)
        return None if code is None else (entry, code)

    def _encode(self, modules: dict[str, tuple[Entry, bytes]]) -> bytes:
        index: dict[str, Entry] = {}
        codes: list[bytes] = []
        offset = 0
        for name, (entry, code) in modules.items():
            index[name] = (*entry[:5], offset, len(code))
            codes.append(code)
            offset += len(code)
        directories = {os.path.dirname(entry[0]) for entry in index.values()} | set(sys.path)
        head = marshal.dumps((self._identity, index, _directory_states(directories)))
        return b"".join([_MAGIC, len(head).to_bytes(4, "little"), head, *codes])

    def _read_index(self) -> None:
        descriptor = self._store.open_entry(self._key)
        if descriptor is None:
            return
        try:
            self._size = os.fstat(descriptor).st_size
            start = os.pread(descriptor, 8, 0)
            length = int.from_bytes(start[4:8], "little")
            whole = start[:4] == _MAGIC and 8 + length <= self._size
            head = os.pread(descriptor, length, 8) if whole else b""
            identity, entries, directories = marshal.loads(head)
            current = (
                identity == self._identity
                and isinstance(entries, dict)
                and isinstance(directories, dict)
                and _directory_states(directories) == directories
            )
        except (OSError, EOFError, ValueError, TypeError):
            current = False
        if not current:
            os.close(descriptor)
            return
        self._file, self._code_start, self._entries = descriptor, 8 + length, entries

    def _code(self, entry: Entry) -> bytes | None:
        if self._file is None:
            return None
        offset, length = entry[5], entry[6]
        if offset < 0 or length < 0 or self._code_start + offset + length > self._size:
            return None
        try:
            code = os.pread(self._file, length, self._code_start + offset)
        except OSError:
            return None
        return code if len(code) == length else None


def _directory_states(directories: Iterable[str]) -> dict[str, int | None]:
    """Each directory's st_mtime_ns (None where there is none). Adding or removing a file in
    a directory changes it, so a module or package that now shadows a bundled one (an earlier
    search path entry, or a package beside a module of the same name) makes the whole bundle
    stale, as it makes the import system look again."""
    states: dict[str, int | None] = {}
    for directory in directories:
        try:
            states[directory] = os.stat(directory or ".").st_mtime_ns
        except OSError:
            states[directory] = None
    return states


def _unchanged(entry: Entry) -> bool:
    try:
        info = os.stat(entry[0])
    except OSError:
        return False
    return info.st_mtime_ns == entry[1] and info.st_size == entry[2]


def _module_from_source(source: str | None, *, package: bool) -> tuple[Entry, bytes] | None:
    """A bundle entry for a module's source file and its marshaled code: from the bytecode
    cache when that is current (the same timestamp check the import system makes), else
    compiled now."""
    if not source or not source.endswith(".py"):
        return None
    try:
        info = os.stat(source)
    except OSError:
        return None
    cached = cache_from_source(source)
    code = _current_bytecode(cached, info)
    if code is None:
        try:
            with open(source, "rb") as handle:
                compiled = compile(handle.read(), source, "exec", dont_inherit=True)
        except (OSError, SyntaxError, ValueError):
            return None
        code = marshal.dumps(compiled)
    return (source, info.st_mtime_ns, info.st_size, package, cached, 0, len(code)), code


def _current_bytecode(cached: str, info: os.stat_result) -> bytes | None:
    try:
        with open(cached, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    # Header: magic, flags (0: validated by source timestamp), source mtime, source size.
    if (
        len(data) < 16
        or data[:4] != MAGIC_NUMBER
        or int.from_bytes(data[4:8], "little") != 0
        or int.from_bytes(data[8:12], "little") != int(info.st_mtime) & 0xFFFFFFFF
        or int.from_bytes(data[12:16], "little") != info.st_size & 0xFFFFFFFF
    ):
        return None
    return data[16:]


def launch() -> int:
    """The `otterhelm` command: `cli.main.main` with its modules served from the bundle of
    this command (the first argument) and its regular expressions from the programs it
    compiled before (see regexprograms); both are brought up to date before the process
    ends."""
    # Imports create thousands of objects that all live until the process ends; the cyclic
    # collector would only rescan them. `main` turns it back on for long-running commands.
    gc.disable()
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    store = PrivateDirectory(default_bundle_directory())
    bundle = ModuleBundle(store, command)
    bundle.install()
    from otterhelm.regexprograms import RegexPrograms

    programs = RegexPrograms(store, command)
    programs.install()
    from otterhelm.cli.main import main

    def finish() -> None:
        bundle.save()
        programs.save()

    return main(finish=finish)
