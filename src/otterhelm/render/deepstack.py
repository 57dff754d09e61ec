"""Running a render where deep template recursion fits.

Helm lets `include` nest 1000 deep before its own guard trips; each level costs the Python
executor many interpreter frames, far beyond CPython's default recursion limit and the main
thread's C stack. Renders therefore run in a helper thread with a large stack and a raised
recursion limit, so that Helm's guard (not a Python limit) decides when recursion is too deep.
"""

from __future__ import annotations

import sys
from _thread import allocate_lock, stack_size, start_new_thread
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")

STACK_BYTES = 1024 * 1024 * 1024
RECURSION_LIMIT = 250_000


def call_with_deep_stack(fn: Callable[[], T]) -> T:
    """Run `fn()` in a thread with a large stack and return its result (or raise its error).
    The thread is started with the low-level `_thread` API: `threading` would add a start-up
    cost to every `otterhelm template` run, and this thread needs none of its services."""
    result: list[T] = []
    failure: list[BaseException] = []
    done = allocate_lock()
    done.acquire()

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:
            failure.append(exc)
        finally:
            done.release()

    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    previous = stack_size(STACK_BYTES)
    try:
        start_new_thread(target, ())
    finally:
        stack_size(previous)
    done.acquire()
    if failure:
        raise failure[0]
    return result[0]
