"""Sprig's reflection functions (reflect.go) and deepEqual."""

from __future__ import annotations

from otterhelm.funcs.gokinds import deep_equal, go_kind
from otterhelm.template.gotypes import ANY, STRING, Func, go_type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def type_of(value: Any) -> str:
    return go_type_name(value)


def type_is(target: str, value: Any) -> bool:
    return target == type_of(value)


def type_is_like(target: str, value: Any) -> bool:
    name = type_of(value)
    return target == name or "*" + target == name


def kind_of(value: Any) -> str:
    return go_kind(value)


def kind_is(target: str, value: Any) -> bool:
    return target == kind_of(value)


FUNCS: dict[str, Func] = {
    "typeOf": Func(type_of, (ANY,)),
    "typeIs": Func(type_is, (STRING, ANY)),
    "typeIsLike": Func(type_is_like, (STRING, ANY)),
    "kindOf": Func(kind_of, (ANY,)),
    "kindIs": Func(kind_is, (STRING, ANY)),
    "deepEqual": Func(deep_equal, (ANY, ANY)),
}
