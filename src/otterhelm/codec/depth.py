"""Nesting depth: go-yaml's limit and room on the Python stack to honour it.

go-yaml refuses nesting beyond 10000 levels; anything up to that must decode, encode and
emit. Composing is iterative; decoding and encoding recurse in Python under a raised
recursion limit (Python 3.11 calls between Python functions do not grow the C stack).
"""

from __future__ import annotations

import sys
from _thread import allocate_lock
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

GO_YAML_MAX_DEPTH = 10000
_DEEP_RECURSION_LIMIT = 12 * GO_YAML_MAX_DEPTH


class _RecursionRoom:
    """Raises the interpreter's recursion limit while any caller needs deep recursion and
    restores it when the last one is done. The limit is process-wide, so this guard is too:
    callers on several threads share one count."""

    def __init__(self) -> None:
        self._lock = allocate_lock()
        self._users = 0
        self._previous = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._previous = sys.getrecursionlimit()
                sys.setrecursionlimit(max(self._previous, _DEEP_RECURSION_LIMIT))
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    sys.setrecursionlimit(self._previous)


_ROOM = _RecursionRoom()


def deep_recursion() -> AbstractContextManager[None]:
    """Room for recursion over GO_YAML_MAX_DEPTH levels of nesting."""
    return _ROOM.held()
