"""The service's one template cache, shared by every request.

Renders run in worker threads, several at once, and the engine's TemplateCache is a plain
LRU map: its look-up (read, then move to the end) could meet an eviction by another thread
between the two steps. Guarding both operations with one lock keeps it correct; the parsed
template sets it hands out are only ever cloned, never changed.
"""

from __future__ import annotations

import threading

from otterhelm.render.engine import TemplateCache, TemplateSet

# Distinct charts (by template text) kept parsed; a chart set of a few hundred templates is a
# few MB parsed.
DEFAULT_CAPACITY = 64


class SharedTemplateCache(TemplateCache):
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        super().__init__(capacity)
        self._lock = threading.Lock()

    def get(self, key: str) -> TemplateSet | None:
        with self._lock:
            return super().get(key)

    def put(self, key: str, value: TemplateSet) -> None:
        with self._lock:
            super().put(key, value)
