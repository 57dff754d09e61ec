"""Chart archives cached on disk by their sha256 digest, with a total size cap (the least
recently used archives go first), and the digest checks that guard every download."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from otterhelm.errors import FailedPrecondition, InvalidArgument

_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


class DigestMismatch(FailedPrecondition):
    """Content did not match the digest its reference or index promised."""


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def normalize_digest(digest: str) -> str:
    """`sha256:<hex>` from either that form or a bare hex digest (chart indexes use bare hex)."""
    text = digest.strip().lower()
    if not text.startswith("sha256:"):
        text = "sha256:" + text
    if not _DIGEST.match(text):
        raise InvalidArgument(f"unsupported digest {digest!r}: expected sha256")
    return text


def verify_digest(data: bytes, expected: str | None, what: str) -> str:
    """The digest of `data`; DigestMismatch when `expected` is given and differs."""
    actual = sha256_digest(data)
    if expected is not None and normalize_digest(expected) != actual:
        raise DigestMismatch(f"{what}: digest mismatch: expected {normalize_digest(expected)}, got {actual}")
    return actual


@dataclass(frozen=True)
class ArchiveCache:
    directory: Path
    max_bytes: int

    def _path(self, digest: str) -> Path:
        return self.directory / (normalize_digest(digest).replace(":", "-") + ".tgz")

    def get(self, digest: str) -> bytes | None:
        """The cached archive, re-verified (a corrupted file is dropped, never served)."""
        path = self._path(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        if sha256_digest(data) != normalize_digest(digest):
            path.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def put(self, data: bytes) -> str:
        digest = sha256_digest(data)
        if len(data) > self.max_bytes:
            return digest
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(digest)
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        self._evict(keep=path)
        return digest

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.directory.glob("sha256-*.tgz"))

    def _evict(self, keep: Path) -> None:
        entries = []
        for p in self.directory.glob("sha256-*.tgz"):
            with contextlib.suppress(FileNotFoundError):
                st = p.stat()
                entries.append((st.st_mtime, p, st.st_size))
        total = sum(size for _, _, size in entries)
        for _, path, size in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            total -= size
