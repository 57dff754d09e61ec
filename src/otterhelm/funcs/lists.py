"""Sprig's list functions (list.go).

Every function accepts any slice kind. The plain variants panic on a value that is not a
list and the `must` variants return the same text as an error; both surface in the template
as `error calling NAME: <text>`, so one implementation serves both. A nil argument makes Go
dereference a nil reflect.Type, hence the runtime error for `first nil`.
"""

from __future__ import annotations

import math

from otterhelm.funcs.cast import to_int
from otterhelm.funcs.gokinds import (
    IntList,
    ListOfLists,
    StringList,
    deep_equal,
    is_empty,
    list_items,
    require_kind,
)
from otterhelm.template.gotypes import ANY, INT, Func, FuncError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _items(value: Any, message: str) -> list[Any]:
    kind = require_kind(value)
    if kind != "slice":
        raise FuncError(message.format(kind=kind))
    return list_items(value)


def make_list(*values: Any) -> list[Any]:
    return list(values)


def push(value: Any, item: Any) -> list[Any]:
    return [*_items(value, "Cannot push on type {kind}"), item]


def prepend(value: Any, item: Any) -> list[Any]:
    return [item, *_items(value, "Cannot prepend on type {kind}")]


def chunk(size: int, value: Any) -> ListOfLists:
    items = _items(value, "Cannot chunk type {kind}")
    length = len(items)
    if size == 0:
        # Go's float division gives ±Inf/NaN, int() of that is negative, make() panics.
        raise FuncError("runtime error: makeslice: len out of range")
    count = int(math.floor((length - 1) / size) + 1)
    if count < 0:
        raise FuncError("runtime error: makeslice: len out of range")
    chunks = ListOfLists()
    for index in range(count):
        width = size
        if index == count - 1:
            width = math.floor(math.fmod(length, size)) or size
        part = items[index * size : index * size + width]
        if len(part) < width:
            raise FuncError("reflect: slice index out of range")
        chunks.append(part)
    return chunks


def last(value: Any) -> Any:
    items = _items(value, "Cannot find last on type {kind}")
    return items[-1] if items else None


def first(value: Any) -> Any:
    items = _items(value, "Cannot find first on type {kind}")
    return items[0] if items else None


def rest(value: Any) -> list[Any]:
    # An empty list gives Go's nil []interface{}, which prints as [].
    return _items(value, "Cannot find rest on type {kind}")[1:]


def initial(value: Any) -> list[Any]:
    return _items(value, "Cannot find initial on type {kind}")[:-1]


def reverse(value: Any) -> list[Any]:
    return list(reversed(_items(value, "Cannot find reverse on type {kind}")))


def compact(value: Any) -> list[Any]:
    return [item for item in _items(value, "Cannot compact on type {kind}") if not is_empty(item)]


def _in_list(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, item) for item in haystack)


def uniq(value: Any) -> list[Any]:
    result: list[Any] = []
    for item in _items(value, "Cannot find uniq on type {kind}"):
        if not _in_list(result, item):
            result.append(item)
    return result


def without(value: Any, *omit: Any) -> list[Any]:
    excluded = list(omit)
    return [
        item for item in _items(value, "Cannot find without on type {kind}") if not _in_list(excluded, item)
    ]


def has(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    return _in_list(_items(haystack, "Cannot find has on type {kind}"), needle)


def slice_list(value: Any, *indices: Any) -> Any:
    items = _items(value, "list should be type of slice or array but {kind}")
    length = len(items)
    if length == 0:
        return None
    start = to_int(indices[0]) if indices else 0
    end = to_int(indices[1]) if len(indices) >= 2 else length
    if not 0 <= start <= end <= length:
        raise FuncError("reflect.Value.Slice: slice index out of bounds")
    part = items[start:end]
    # reflect's Slice keeps the slice type: a []string stays a []string.
    if isinstance(value, (StringList, IntList)):
        return type(value)(part)
    if isinstance(value, bytes):
        return bytes(part)
    return part


def concat(*lists: Any) -> list[Any]:
    result: list[Any] = []
    for value in lists:
        kind = require_kind(value)
        if kind != "slice":
            raise FuncError(f"Cannot concat type {kind} as list")
        result.extend(list_items(value))
    return result


FUNCS: dict[str, Func] = {
    "list": Func(make_list, (), ANY),
    "tuple": Func(make_list, (), ANY),
    "append": Func(push, (ANY, ANY)),
    "push": Func(push, (ANY, ANY)),
    "mustAppend": Func(push, (ANY, ANY)),
    "mustPush": Func(push, (ANY, ANY)),
    "prepend": Func(prepend, (ANY, ANY)),
    "mustPrepend": Func(prepend, (ANY, ANY)),
    "first": Func(first, (ANY,)),
    "mustFirst": Func(first, (ANY,)),
    "rest": Func(rest, (ANY,)),
    "mustRest": Func(rest, (ANY,)),
    "last": Func(last, (ANY,)),
    "mustLast": Func(last, (ANY,)),
    "initial": Func(initial, (ANY,)),
    "mustInitial": Func(initial, (ANY,)),
    "reverse": Func(reverse, (ANY,)),
    "mustReverse": Func(reverse, (ANY,)),
    "uniq": Func(uniq, (ANY,)),
    "mustUniq": Func(uniq, (ANY,)),
    "without": Func(without, (ANY,), ANY),
    "mustWithout": Func(without, (ANY,), ANY),
    "has": Func(has, (ANY, ANY)),
    "mustHas": Func(has, (ANY, ANY)),
    "slice": Func(slice_list, (ANY,), ANY),
    "mustSlice": Func(slice_list, (ANY,), ANY),
    "concat": Func(concat, (), ANY),
    "chunk": Func(chunk, (INT, ANY)),
    "mustChunk": Func(chunk, (INT, ANY)),
    "compact": Func(compact, (ANY,)),
    "mustCompact": Func(compact, (ANY,)),
}
