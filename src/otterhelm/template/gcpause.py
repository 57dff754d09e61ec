"""Pausing Python's cyclic garbage collector while building parse trees and code.

Parsing a large chart creates hundreds of thousands of small objects that all survive,
which makes the collector rescan the growing heap again and again (a tenfold slowdown of
parsing kube-prometheus-stack). Trees and generated code hold no reference cycles, so
reference counting alone frees them; the pause only skips useless scans.
"""

from __future__ import annotations

import gc
from types import TracebackType


class _CollectorPause:
    """The context manager `collector_paused` returns (a class rather than a generator:
    template execution enters one per `include`, thousands of times a render)."""

    __slots__ = ("_was_enabled",)

    def __init__(self) -> None:
        self._was_enabled = False

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        if self._was_enabled:
            gc.disable()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._was_enabled:
            gc.enable()


def collector_paused() -> _CollectorPause:
    """Disable the cyclic collector for a `with` block, restoring its previous state."""
    return _CollectorPause()
