"""Sprig's default/flow functions (defaults.go, and `fail` from functions.go, which Helm
replaces at render time with its own)."""

from __future__ import annotations

from otterhelm.funcs.gokinds import is_empty
from otterhelm.template.gotypes import ANY, BOOL, STRING, Func, FuncError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def default(fallback: Any, *given: Any) -> Any:
    if not given or is_empty(given[0]):
        return fallback
    return given[0]


def coalesce(*values: Any) -> Any:
    for value in values:
        if not is_empty(value):
            return value
    return None


def all_(*values: Any) -> bool:
    return all(not is_empty(value) for value in values)


def any_(*values: Any) -> bool:
    return any(not is_empty(value) for value in values)


def ternary(if_true: Any, if_false: Any, condition: bool) -> Any:
    return if_true if condition else if_false


def fail(message: str) -> str:
    raise FuncError(message)


FUNCS: dict[str, Func] = {
    "default": Func(default, (ANY,), ANY),
    "empty": Func(is_empty, (ANY,)),
    "coalesce": Func(coalesce, (), ANY),
    "all": Func(all_, (), ANY),
    "any": Func(any_, (), ANY),
    "ternary": Func(ternary, (ANY, ANY, BOOL)),
    "fail": Func(fail, (STRING,)),
}
