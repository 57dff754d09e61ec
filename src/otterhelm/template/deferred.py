"""Function maps whose functions are loaded on first call.

A template set needs every function *name* to parse (unknown names are parse errors) but
needs a function itself only when a template calls it. A chart calls a handful of the
two hundred library functions, so importing each family module on first call, rather than
all of them up front, keeps a short render's start-up small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from otterhelm.template.gotypes import Func


class PendingFunc:
    """One function not loaded yet: `resolve()` loads its source once and keeps the result."""

    __slots__ = ("_func", "_load", "_name")

    def __init__(self, load: Callable[[], Mapping[str, Func]], name: str) -> None:
        self._load = load
        self._name = name
        self._func: Func | None = None

    def resolve(self) -> Func:
        if self._func is None:
            self._func = self._load()[self._name]
        return self._func


class DeferredFuncs(Mapping[str, Func]):
    """A read-only function map: names are known up front, functions load on lookup."""

    def __init__(self, pending: Mapping[str, PendingFunc]) -> None:
        self._pending = dict(pending)

    def __getitem__(self, name: str) -> Func:
        return self._pending[name].resolve()

    def __contains__(self, name: object) -> bool:
        return name in self._pending

    def __iter__(self) -> Iterator[str]:
        return iter(self._pending)

    def __len__(self) -> int:
        return len(self._pending)

    def pending(self) -> Mapping[str, PendingFunc]:
        """The unresolved entries, for a template set to hold until a call needs one."""
        return self._pending
