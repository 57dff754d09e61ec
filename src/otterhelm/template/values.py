"""Go reflection questions the executor and the builtins ask about Python values:
kinds for comparison, nil-ability and assignability of declared parameter types."""

from __future__ import annotations

from otterhelm.template.gotypes import (
    ANY,
    BOOL,
    BYTES,
    DICT,
    FLOAT64,
    INT,
    INT64,
    LIST,
    STRING,
    STRINGS,
    GoType,
    Int64,
    Uint,
    go_type_name,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

# Builtins take Go's reflect.Value: they see missing values as they are.
REFLECT_VALUE: Final = "reflect.Value"

INVALID_KIND, BOOL_KIND, COMPLEX_KIND, INT_KIND, FLOAT_KIND, STRING_KIND, UINT_KIND = range(7)

_KIND_BY_TYPE: dict[type, int] = {
    bool: BOOL_KIND,
    int: INT_KIND,
    Int64: INT_KIND,
    Uint: UINT_KIND,
    float: FLOAT_KIND,
    complex: COMPLEX_KIND,
    str: STRING_KIND,
}


def basic_kind(value: Any) -> int:
    kind = _KIND_BY_TYPE.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return BOOL_KIND
    if isinstance(value, Uint):
        return UINT_KIND
    if isinstance(value, int):
        return INT_KIND
    if isinstance(value, float):
        return FLOAT_KIND
    if isinstance(value, str):
        return STRING_KIND
    return INVALID_KIND


def type_name(value: Any) -> str:
    """The Go type of a value as error messages print it; a nil here is an empty interface."""
    if value is None:
        return "interface {}"
    return go_type_name(value)


def can_be_nil(typ: GoType) -> bool:
    """reflect's CanBeNil: only interfaces, maps, slices, pointers, funcs and channels; a
    named struct such as time.Time cannot hold nil, like any scalar."""
    return (
        typ in (ANY, REFLECT_VALUE, "error")
        or typ.startswith(("[]", "map[", "*", "func(", "chan ", "<-chan ", "chan<- "))
        or typ.startswith("interface")
    )


def is_assignable(value: Any, typ: GoType) -> bool:
    """Whether a (non-nil) value fits a declared parameter type without conversion."""
    if typ in (ANY, REFLECT_VALUE):
        return True
    t = type(value)
    if typ == STRING:
        return t is str
    if typ == INT:
        return t is int
    if typ == INT64:
        return t is Int64
    if typ == FLOAT64:
        return t is float
    if typ == BOOL:
        return t is bool
    if typ == LIST:
        return isinstance(value, list) and go_type_name(value) == LIST
    if typ == DICT:
        return isinstance(value, dict) and go_type_name(value) == DICT
    if typ == BYTES:
        return t is bytes
    if typ == STRINGS:
        # Python lists do not carry their Go element type; a list holding only strings
        # stands for the []string that sprig's splitList and friends return.
        if go_type_name(value) == STRINGS:
            return True
        return t is list and all(type(item) is str for item in value)
    return go_type_name(value) == typ
