"""Running a render where deep template recursion fits.

Helm lets `include` nest 1000 deep before its own guard trips; each level costs the Python
executor many interpreter frames, far beyond CPython's default recursion limit and the main
thread's C stack. Renders therefore run in a helper thread with a large stack and a raised
recursion limit, so that Helm's guard (not a Python limit) decides when recursion is too deep.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

STACK_BYTES = 1024 * 1024 * 1024
RECURSION_LIMIT = 250_000


def call_with_deep_stack(fn: Callable[[], T]) -> T:
    """Run `fn()` in a thread with a large stack and return its result (or raise its error)."""
    result: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:
            failure.append(exc)

    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    previous = threading.stack_size(STACK_BYTES)
    try:
        worker = threading.Thread(target=target, name="otterhelm-render")
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join()
    if failure:
        raise failure[0]
    return result[0]
