"""Discovery documents kept between actions: on disk between commands, as kubectl and helm
keep theirs (`~/.kube/cache/discovery`, six hours), or in memory in a long-running process.
Every action revalidates the kept aggregated roots with their ETag (kube/discovery.py), so
keeping them saves transfer, never freshness; a legacy server's per-group/version documents
are used for their lifetime and asked again whenever a kind is missing from them."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_TTL_SECONDS = 6 * 3600.0


def default_discovery_directory(server: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    digest = hashlib.sha256(server.encode()).hexdigest()[:16]
    return Path(base) / "otterhelm" / "discovery" / digest


class DiskDocumentCache:
    """One JSON file per discovery path under a directory private to the user."""

    def __init__(self, directory: Path, ttl_seconds: float = DEFAULT_TTL_SECONDS) -> None:
        self._directory = directory
        self._ttl = ttl_seconds

    def _file(self, path: str) -> Path:
        return self._directory / (hashlib.sha256(path.encode()).hexdigest()[:24] + ".json")

    def get(self, path: str) -> Any | None:
        target = self._file(path)
        try:
            if time.time() - target.stat().st_mtime > self._ttl:
                return None
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, path: str, document: Any) -> None:
        try:
            self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            target = self._file(path)
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(document), encoding="utf-8")
            partial.replace(target)
        except OSError:
            return


class MemoryDocumentCache:
    """Discovery documents kept by a long-running process (the service) for `ttl_seconds`:
    actions then read `.Capabilities` and resource mappings without asking the API server.
    The documents handed out are shared: readers must not change them."""

    def __init__(
        self, ttl_seconds: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, path: str) -> Any | None:
        entry = self._entries.get(path)
        if entry is None or self._clock() - entry[0] > self._ttl:
            return None
        return entry[1]

    def put(self, path: str, document: Any) -> None:
        self._entries[path] = (self._clock(), document)
