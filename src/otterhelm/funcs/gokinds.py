"""Go reflection as sprig uses it: kinds, emptiness, reflect.DeepEqual, strval, and the
typed slices/maps some sprig functions return (`[]string`, `[]int`, `map[string]string`).

Sprig functions take `interface{}` and switch on `reflect.Kind`; their error texts name the
kind ("Cannot find first on type string"). Values built here follow gotypes' Python model.
"""

from __future__ import annotations

import math

from otterhelm.template.fmt import bytes_to_str, format_value
from otterhelm.template.gotypes import MISSING, FuncError, GoObject, Int64, go_type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


class StringList(list[str], GoObject):
    """A Go `[]string` (what splitList, keys, regexFindAll, toStrings return)."""

    go_type: ClassVar[str] = "[]string"


class IntList(list[int], GoObject):
    """A Go `[]int` (until, untilStep)."""

    go_type: ClassVar[str] = "[]int"


class StringMap(dict[str, str], GoObject):
    """A Go `map[string]string` (split, splitn)."""

    go_type: ClassVar[str] = "map[string]string"


class ListOfLists(list[list["Any"]], GoObject):
    """A Go `[][]interface {}` (chunk)."""

    go_type: ClassVar[str] = "[][]interface {}"


def is_nil(value: Any) -> bool:
    return value is None or value is MISSING


def go_kind(value: Any) -> str:
    """reflect.Value.Kind().String() of a template value."""
    if is_nil(value):
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Int64):
        return "int64"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (bytes, list, tuple)):
        return "slice"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, GoObject):
        return "ptr" if value.go_type.startswith("*") else "struct"
    return "invalid"


def is_list(value: Any) -> bool:
    """Kind is slice or array."""
    return isinstance(value, (list, tuple, bytes))


def list_items(value: Any) -> list[Any]:
    """The elements of a slice as interface values (a []byte gives its byte values)."""
    return list(value)


def require_kind(value: Any) -> str:
    """reflect.TypeOf(v).Kind(): a nil interface has no type, so Go panics dereferencing it."""
    if is_nil(value):
        raise FuncError(NIL_DEREFERENCE)
    return go_kind(value)


def is_empty(value: Any) -> bool:
    """sprig's `empty`: nil, false, zero numbers and zero-length strings/slices/maps.
    Structs are never empty."""
    if is_nil(value):
        return True
    if isinstance(value, (bool, int, float)):
        return not value
    if isinstance(value, (str, bytes, list, tuple, dict)):
        return len(value) == 0
    return False


def deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual on template values: the dynamic types must match exactly."""
    if is_nil(a) or is_nil(b):
        return is_nil(a) and is_nil(b)
    if go_type_name(a) != go_type_name(b):
        return False
    if isinstance(a, float):
        return a == b and not math.isnan(a)
    if isinstance(a, dict):
        if len(a) != len(b) or set(a) != set(b):
            return False
        return all(deep_equal(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, GoObject) and not isinstance(a, (str, int, float, bytes)):
        return a is b or a == b
    return bool(a == b)


def strval(value: Any) -> str:
    """sprig's strval (toString): strings as is, []byte as text, Stringers, else `%v`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return bytes_to_str(value)
    if isinstance(value, GoObject):
        text = value.go_string()
        if text is not None:
            return text
    if value is MISSING:
        return "<nil>"
    return format_value(value)


def to_bytes(text: str) -> bytes:
    """A Go string's bytes (surrogate escapes stand for bytes that were not UTF-8)."""
    return text.encode("utf-8", "surrogateescape")


def from_bytes(data: bytes) -> str:
    return bytes_to_str(data)
