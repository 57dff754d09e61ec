"""Files otterhelm keeps between runs under the user's cache directory (parsed templates,
decoded YAML documents).

Paths are handled as strings with os.path: every `otterhelm template` run reads these
caches, and pathlib would cost it several milliseconds of imports (urllib.parse, ipaddress).
"""

from __future__ import annotations

import os
from _thread import get_ident


def cache_root() -> str:
    """`$XDG_CACHE_HOME/otterhelm`, or `~/.cache/otterhelm`."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "otterhelm")


def stable_digest(text: str) -> str:
    """A short name for an entry derived from text, the same in every process (FNV-1a, 64
    bits): for keys read before hashlib or blake2 are worth importing."""
    value = 0xCBF29CE484222325
    for byte in text.encode():
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


class PrivateDirectory:
    """Entries stored as files `directory/<key[:2]>/<key>`. They are read only while the
    directory belongs to this user and nobody else can write to it (an entry may hold code
    that is run), and written under a name private to the writing thread, then renamed into
    place, so a concurrent reader never sees half an entry. Any failure is a miss: a cache
    never fails the work it speeds up."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = os.fspath(directory)
        self._trusted: bool | None = None

    def trusted(self) -> bool:
        if self._trusted is None:
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                info = os.stat(self.directory)
                self._trusted = info.st_uid == os.getuid() and not info.st_mode & 0o022
            except OSError:
                self._trusted = False
        return self._trusted

    def path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key)

    def read(self, key: str) -> bytes | None:
        if not self.trusted():
            return None
        try:
            with open(self.path(key), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def open_entry(self, key: str) -> int | None:
        """A read-only descriptor of the entry's file, for reading parts of a large entry.
        Entries are replaced by renaming, never rewritten in place, so an open entry stays
        whole."""
        if not self.trusted():
            return None
        try:
            return os.open(self.path(key), os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return None

    def write(self, key: str, data: bytes) -> None:
        if not self.trusted():
            return
        path = self.path(key)
        # tempfile's random names cost more than the write; pid and thread make it private.
        temporary = f"{path}.{os.getpid()}.{get_ident()}"
        try:
            handle = self._create(temporary)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            _remove(temporary)

    @staticmethod
    def _create(temporary: str) -> int:
        """A new private file; its directory is made, and a file left by a process that
        ended mid-write removed, only when the first attempt finds them so (a first render
        writes hundreds of entries)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            return os.open(temporary, flags, 0o600)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(temporary), mode=0o700, exist_ok=True)
        except FileExistsError:
            os.unlink(temporary)
        return os.open(temporary, flags, 0o600)


# What a cache directory keeps: entries used (read or written) in the last 30 days, at
# most 512 MiB of them, most recently used kept first. Entries of older formats or
# interpreters are never used again and age out the same way.
MAX_AGE_SECONDS = 30 * 24 * 3600.0
MAX_BYTES = 512 * 1024 * 1024
# A command looks after its cache directory at most this often.
PRUNE_INTERVAL_SECONDS = 24 * 3600.0
_PRUNED_MARKER = ".pruned"


def prune_if_due(
    directory: str | os.PathLike[str],
    *,
    now: float,
    max_age: float = MAX_AGE_SECONDS,
    max_bytes: int = MAX_BYTES,
    interval: float = PRUNE_INTERVAL_SECONDS,
) -> int:
    """Remove what the directory no longer needs to keep, if it was not done within
    `interval`; returns how many entries were removed. An entry's last use is the later
    of its access and modification times (reads move the access time, at least daily on
    relatime mounts)."""
    root = os.fspath(directory)
    marker = os.path.join(root, _PRUNED_MARKER)
    try:
        if now - os.stat(marker).st_mtime < interval:
            return 0
    except OSError:
        pass  # never pruned (or no directory yet)
    if not PrivateDirectory(root).trusted():
        return 0
    entries: list[tuple[float, int, str]] = []
    for parent, _, names in os.walk(root):
        for name in names:
            path = os.path.join(parent, name)
            if path == marker:
                continue
            try:
                info = os.stat(path)
            except OSError:
                continue
            entries.append((max(info.st_atime, info.st_mtime), info.st_size, path))
    entries.sort(reverse=True)  # most recently used first
    removed, kept_bytes = 0, 0
    for used, size, path in entries:
        if now - used <= max_age and kept_bytes + size <= max_bytes:
            kept_bytes += size
            continue
        if _remove(path):
            removed += 1
    try:
        with open(marker, "wb"):
            pass
        os.utime(marker, (now, now))
    except OSError:
        pass
    return removed


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
    except OSError:
        return False
    return True
