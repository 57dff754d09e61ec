"""The builtin functions of text/template (funcs.go `builtins()`), as Func descriptors.

`and` and `or` short-circuit, so the executor evaluates them itself; their entries here
only declare the signature and mark the names. Parameters typed `reflect.Value` receive
values exactly as evaluated (MISSING included), as Go's builtins do.
"""

from __future__ import annotations

from collections.abc import Callable

from otterhelm.template import fmt
from otterhelm.template.gotypes import ANY, MISSING, STRING, Func, FuncError, GoObject, is_true
from otterhelm.template.values import (
    BOOL_KIND,
    COMPLEX_KIND,
    FLOAT_KIND,
    INT_KIND,
    INVALID_KIND,
    REFLECT_VALUE,
    STRING_KIND,
    UINT_KIND,
    basic_kind,
    can_be_nil,
    is_assignable,
    type_name,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_ZERO_VALUE_TYPE = "reflect: call of reflect.Value.Type on zero Value"


def _iface(value: Any) -> Any:
    """Go's indirectInterface: a nil interface becomes the invalid value."""
    return MISSING if value is None else value


def _index_arg(index: Any, cap: int) -> int:
    index = _iface(index)
    kind = basic_kind(index)
    if index is MISSING:
        raise FuncError("cannot index slice/array with nil")
    if kind not in (INT_KIND, UINT_KIND):
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    x = int(index)
    if x < 0 or x > cap:
        raise FuncError(f"index out of range: {x}")
    return x


def _sequence_name(item: Any) -> str:
    return "string" if isinstance(item, (str, bytes)) else "slice"


def index(item: Any, *indexes: Any) -> Any:
    item = _iface(item)
    if item is MISSING:
        raise FuncError("index of untyped nil")
    for raw in indexes:
        if item is None:
            raise FuncError("index of nil pointer")
        if isinstance(item, (list, tuple, str, bytes)):
            seq: Any = item.encode("utf-8", "surrogateescape") if isinstance(item, str) else item
            x = _index_arg(raw, len(seq))
            if x == len(seq):
                raise FuncError(f"reflect: {_sequence_name(item)} index out of range")
            item = seq[x]
        elif isinstance(item, dict):
            key = _iface(raw)
            if key is MISSING:
                raise FuncError("value is nil; should be of type string")
            if type(key) is not str and not _accepts_key(item, key):
                raise FuncError(f"value has type {type_name(key)}; should be string")
            zero = item.go_zero_value if isinstance(item, GoObject) else None
            item = item.get(key, zero)
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


def _accepts_key(mapping: dict[Any, Any], key: Any) -> bool:
    # Host maps with non-string keys (GoObject dict subclasses) accept their own key type.
    return any(type(existing) is type(key) for existing in mapping)


def slice_(item: Any, *indexes: Any) -> Any:
    item = _iface(item)
    if item is MISSING:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data = item.encode("utf-8", "surrogateescape")
        cap = len(data)
    elif isinstance(item, (list, tuple, bytes)):
        cap = len(item)
    else:
        raise FuncError(f"can't slice item of type {type_name(item)}")
    idx = [0, cap, cap]
    for position, raw in enumerate(indexes):
        idx[position] = _index_arg(raw, cap)
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if isinstance(item, str):
        return data[idx[0] : idx[1]].decode("utf-8", "surrogateescape")
    result = item[idx[0] : idx[1]]
    return list(result) if isinstance(item, tuple) else result


def length(item: Any) -> int:
    if item is None:
        raise FuncError("len of nil pointer")
    if item is MISSING:
        raise FuncError(_ZERO_VALUE_TYPE)
    if isinstance(item, str):
        return len(item.encode("utf-8", "surrogateescape"))
    if isinstance(item, (list, tuple, dict, bytes)):
        return len(item)
    raise FuncError(f"len of type {type_name(item)}")


def not_(value: Any) -> bool:
    return not is_true(value)


_BAD_COMPARISON_TYPE = "invalid type for comparison"


def _is_nil(value: Any) -> bool:
    return value is MISSING or value is None or (isinstance(value, GoObject) and value.go_is_nil())


def eq(arg1: Any, *arg2: Any) -> bool:
    arg1 = _iface(arg1)
    if not arg2:
        raise FuncError("missing argument for comparison")
    k1 = basic_kind(arg1)
    for raw in arg2:
        arg = _iface(raw)
        k2 = basic_kind(arg)
        truth = False
        if k1 != k2:
            if (k1 == INT_KIND and k2 == UINT_KIND) or (k1 == UINT_KIND and k2 == INT_KIND):
                truth = int(arg1) == int(arg)
            elif arg1 is not MISSING and arg is not MISSING:
                raise FuncError(f"incompatible types for comparison: {type_name(arg1)} and {type_name(arg)}")
        elif k1 in (BOOL_KIND, COMPLEX_KIND, FLOAT_KIND, INT_KIND, STRING_KIND, UINT_KIND):
            truth = arg1 == arg
        else:
            if not _can_compare(arg1, arg):
                # Go formats the first value with %s and the second with %v.
                raise FuncError(
                    f"non-comparable types {fmt.sprintf('%s', arg1)}: {type_name(arg1)}, "
                    f"{type_name(arg)}: {fmt.format_value(arg)}"
                )
            if _is_nil(arg1) or _is_nil(arg):
                truth = _is_nil(arg1) == _is_nil(arg)
            else:
                if not _go_comparable(arg):
                    raise FuncError(f"non-comparable type {fmt.sprintf('%s', arg)}: {type_name(arg)}")
                truth = type(arg1) is type(arg) and bool(arg1 == arg)
        if truth:
            return True
    return False


def _kind_family(value: Any) -> str:
    """Go's reflect.Kind, as far as eq needs it (two values of different kinds never compare)."""
    if isinstance(value, GoObject):
        go_type = value.go_type
        if go_type.startswith("map["):
            return "map"
        if go_type.startswith("[]"):
            return "slice"
        if go_type.startswith("*"):
            return "ptr"
        return "struct"
    if isinstance(value, (list, tuple, bytes)):
        return "slice"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, Func):
        return "func"
    return "struct"


def _go_comparable(value: Any) -> bool:
    return _kind_family(value) not in ("map", "slice", "func")


def _can_compare(first: Any, second: Any) -> bool:
    if first is MISSING or second is MISSING:
        return True
    return _kind_family(first) == _kind_family(second)


def ne(arg1: Any, arg2: Any) -> bool:
    return not eq(arg1, arg2)


def lt(arg1: Any, arg2: Any) -> bool:
    arg1 = _iface(arg1)
    k1 = basic_kind(arg1)
    if k1 == INVALID_KIND:
        raise FuncError(_BAD_COMPARISON_TYPE)
    arg2 = _iface(arg2)
    k2 = basic_kind(arg2)
    if k2 == INVALID_KIND:
        raise FuncError(_BAD_COMPARISON_TYPE)
    if k1 != k2:
        if (k1 == INT_KIND and k2 == UINT_KIND) or (k1 == UINT_KIND and k2 == INT_KIND):
            return bool(int(arg1) < int(arg2))
        raise FuncError(f"incompatible types for comparison: {type_name(arg1)} and {type_name(arg2)}")
    if k1 in (BOOL_KIND, COMPLEX_KIND):
        raise FuncError(_BAD_COMPARISON_TYPE)
    if k1 == STRING_KIND:
        return bool(arg1.encode("utf-8", "surrogateescape") < arg2.encode("utf-8", "surrogateescape"))
    return bool(arg1 < arg2)


def le(arg1: Any, arg2: Any) -> bool:
    return lt(arg1, arg2) or eq(arg1, arg2)


def gt(arg1: Any, arg2: Any) -> bool:
    return not le(arg1, arg2)


def ge(arg1: Any, arg2: Any) -> bool:
    return not lt(arg1, arg2)


def _eval_args(args: tuple[Any, ...]) -> str:
    """text/template's evalArgs: Sprint, with nil arguments shown as `<no value>`."""
    if len(args) == 1 and type(args[0]) is str:
        return str(args[0])
    return fmt.sprint(*("<no value>" if arg is None or arg is MISSING else arg for arg in args))


_HTML_ESCAPES = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}


def html_escape_string(text: str) -> str:
    if not any(c in text for c in "'\"&<>\0"):
        return text
    return "".join(_HTML_ESCAPES.get(c, c) for c in text)


def html(*args: Any) -> str:
    return html_escape_string(_eval_args(args))


_JS_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape_string(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in _JS_ESCAPES:
            out.append(_JS_ESCAPES[char])
        elif char < " ":
            out.append(f"\\u00{ord(char):02X}")
        elif char < "\x80" or char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04X}")
    return "".join(out)


def js(*args: Any) -> str:
    return js_escape_string(_eval_args(args))


def urlquery(*args: Any) -> str:
    from urllib.parse import quote_plus

    return quote_plus(_eval_args(args).encode("utf-8", "surrogateescape"), safe="")


def print_(*args: Any) -> str:
    return fmt.sprint(*args)


def printf(format: str, *args: Any) -> str:
    return fmt.sprintf(format, *args)


def println(*args: Any) -> str:
    return fmt.sprintln(*args)


def call(callee: str, fn: Any, *args: Any) -> Any:
    """The `call` builtin: fn must be a function value (a Func held in data). As in Go,
    the executor passes the callee's text first, for the error messages."""
    fn = _iface(fn)
    if fn is MISSING:
        raise FuncError("call of nil")
    if isinstance(fn, Func):
        return call_func_value(callee, fn, list(args))
    if callable(fn) and not isinstance(fn, GoObject):
        return fn(*(None if a is MISSING else a for a in args))
    raise FuncError(f"non-function {callee} of type {type_name(fn)}")


def call_func_value(name: str, fn: Func, args: list[Any]) -> Any:
    """Go's `call`: check the argument count and types, then call."""
    if fn.params is None:
        return fn.fn(*(None if a is MISSING else a for a in args))
    num_in = len(fn.params) + (1 if fn.variadic is not None else 0)
    if fn.variadic is not None:
        if len(args) < num_in - 1:
            raise FuncError(f"wrong number of args for {name}: got {len(args)} want at least {num_in - 1}")
    elif len(args) != num_in:
        raise FuncError(f"wrong number of args for {name}: got {len(args)} want {num_in}")
    argv: list[Any] = []
    for position, raw in enumerate(args):
        typ = fn.params[position] if position < len(fn.params) else fn.variadic
        assert typ is not None
        value = _iface(raw)
        if value is MISSING:
            if not can_be_nil(typ):
                raise FuncError(f"arg {position}: value is nil; should be of type {typ}")
            value = None
        elif not is_assignable(value, typ):
            raise FuncError(f"arg {position}: value has type {type_name(value)}; should be {typ}")
        argv.append(value)
    return fn.fn(*argv)


# and/or never run through these callables; the executor short-circuits them.
def _short_circuit(*args: Any) -> Any:
    raise AssertionError("and/or are evaluated by the executor")


def _reflect(fn: Callable[..., Any], fixed: int, variadic: bool) -> Func:
    return Func(fn, (REFLECT_VALUE,) * fixed, REFLECT_VALUE if variadic else None)


AND = _reflect(_short_circuit, 1, True)
OR = _reflect(_short_circuit, 1, True)


def builtin_funcs() -> dict[str, Func]:
    """A fresh map of text/template's builtins."""
    return {
        "and": AND,
        "call": _reflect(call, 1, True),
        "html": Func(html, (), ANY),
        "index": _reflect(index, 1, True),
        "slice": _reflect(slice_, 1, True),
        "js": Func(js, (), ANY),
        "len": _reflect(length, 1, False),
        "not": _reflect(not_, 1, False),
        "or": OR,
        "print": Func(print_, (), ANY),
        "printf": Func(printf, (STRING,), ANY),
        "println": Func(println, (), ANY),
        "urlquery": Func(urlquery, (), ANY),
        "eq": _reflect(eq, 1, True),
        "ge": _reflect(ge, 2, False),
        "gt": _reflect(gt, 2, False),
        "le": _reflect(le, 2, False),
        "lt": _reflect(lt, 2, False),
        "ne": _reflect(ne, 2, False),
    }
