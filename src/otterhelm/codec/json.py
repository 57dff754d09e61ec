"""Go's encoding/json for the template value model.

`to_json` is json.Marshal (sorted keys, `<`, `>`, `&`, U+2028 and U+2029 escaped, Go's float
text), `to_raw_json` is an Encoder with SetEscapeHTML(false), `to_pretty_json` is
json.MarshalIndent(v, "", "  "). `load` is json.Unmarshal into interface{}: every number is a
float64 and syntax errors carry Go's wording.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable

from otterhelm.codec.depth import deep_recursion
from otterhelm.codec.errors import JsonError
from otterhelm.codec.gofloat import format_json
from otterhelm.codec.json_scan import syntax_error
from otterhelm.template.gotypes import MISSING, GoObject, go_type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_LINE_SEPARATORS = {"\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_PATTERN = "[<>&\u2028\u2029]"
_SEPARATOR_PATTERN = "[\u2028\u2029]"
_SURROGATE_PATTERN = "[\ud800-\udfff]"
_PLAIN_STRING = '[^"\\\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]*'
_SURROGATE_ESCAPE = r"\\u[dD][89a-fA-F]"


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    """The patterns above, compiled when first used: this module is imported on every run,
    and most runs encode or decode little JSON, or none."""
    return re.compile(source)


def quote_string(text: str, escape_html: bool = True) -> str:
    """A JSON string literal exactly as Go writes it (Go 1.22+: \\b and \\f short escapes)."""
    if _pattern(_PLAIN_STRING).fullmatch(text):
        return '"' + text + '"'
    surrogate = _pattern(_SURROGATE_PATTERN)
    if surrogate.search(text):
        # Go strings cannot hold lone surrogates; invalid UTF-8 is written as U+FFFD.
        text = surrogate.sub("\ufffd", text)
    import json  # Python's encoder only for the rare strings with characters to escape

    quoted = json.dumps(text, ensure_ascii=False)
    if escape_html:
        return _pattern(_HTML_PATTERN).sub(lambda m: {**_HTML_ESCAPES, **_LINE_SEPARATORS}[m.group()], quoted)
    return _pattern(_SEPARATOR_PATTERN).sub(lambda m: _LINE_SEPARATORS[m.group()], quoted)


def to_jsonable(value: Any) -> Any:
    """Reduce a template value to what json.Marshal sees: None, bool, int, float, str, list, dict.

    []byte becomes its base64 text, like Go; a host object that is neither a map nor a slice
    is encoded through its `go_json()` method when it has one."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return _base64(value)
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    go_json: Callable[[], Any] | None = getattr(value, "go_json", None)
    if go_json is not None:
        return to_jsonable(go_json())
    type_name = go_type_name(value) if isinstance(value, GoObject) else type(value).__name__
    raise JsonError(f"json: unsupported type: {type_name}")


# encoding/json starts looking for cycles once this many maps and slices are open.
_CYCLE_CHECK_DEPTH = 1000


def cycle_error(path: list[Any], start: int) -> JsonError:
    """Go notices a cycle at the first container it meets twice after the check begins, so the
    container it names depends on where the cycle sits on the path."""
    length = len(path) - start
    first_checked = _CYCLE_CHECK_DEPTH + 1
    named = path[start + (first_checked - start) % length] if first_checked >= start else path[start]
    return JsonError(f"json: unsupported value: encountered a cycle via {go_type_name(named)}")


class OpenContainers:
    """The maps and slices being encoded, outermost first, to notice a cycle as Go does."""

    __slots__ = ("path", "positions")

    def __init__(self) -> None:
        self.path: list[Any] = []
        self.positions: dict[int, int] = {}

    def enter(self, container: Any) -> None:
        position = self.positions.get(id(container))
        if position is not None:
            raise cycle_error(self.path, position)
        self.positions[id(container)] = len(self.path)
        self.path.append(container)

    def leave(self) -> None:
        del self.positions[id(self.path.pop())]


class _Encoder:
    def __init__(self, escape_html: bool, indent: str | None, sort_keys: bool = True) -> None:
        self.escape_html = escape_html
        self.indent = indent
        self.sort_keys = sort_keys
        self.out: list[str] = []
        self.open = OpenContainers()

    def encode(self, value: Any, depth: int) -> None:
        out = self.out
        if value is None or value is MISSING:
            out.append("null")
        elif value is True:
            out.append("true")
        elif value is False:
            out.append("false")
        elif isinstance(value, str):
            out.append(quote_string(value, self.escape_html))
        elif isinstance(value, int):
            out.append(str(int(value)))
        elif isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                special = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
                raise JsonError(f"json: unsupported value: {special}")
            out.append(format_json(value))
        elif isinstance(value, bytes):
            out.append('"' + _base64(value) + '"')
        elif isinstance(value, dict):
            self.open.enter(value)
            self.mapping(value, depth)
            self.open.leave()
        elif isinstance(value, (list, tuple)):
            self.open.enter(value)
            self.sequence(value, depth)
            self.open.leave()
        else:
            self.encode(to_jsonable(value), depth)

    def separator(self, position: int, depth: int) -> None:
        if position:
            self.out.append(",")
        if self.indent is not None:
            self.out.append("\n" + self.indent * (depth + 1))

    def close(self, closer: str, depth: int) -> None:
        if self.indent is not None:
            self.out.append("\n" + self.indent * depth)
        self.out.append(closer)

    def mapping(self, value: dict[Any, Any], depth: int) -> None:
        if not value:
            self.out.append("{}")
            return
        self.out.append("{")
        by_text = {str(key): item for key, item in value.items()}
        for position, key in enumerate(sorted(by_text) if self.sort_keys else by_text):
            self.separator(position, depth)
            self.out.append(quote_string(key, self.escape_html))
            self.out.append(": " if self.indent is not None else ":")
            self.encode(by_text[key], depth + 1)
        self.close("}", depth)

    def sequence(self, value: list[Any] | tuple[Any, ...], depth: int) -> None:
        if not value:
            self.out.append("[]")
            return
        self.out.append("[")
        for position, item in enumerate(value):
            self.separator(position, depth)
            self.encode(item, depth + 1)
        self.close("]", depth)


def _encode(value: Any, escape_html: bool, indent: str | None, sort_keys: bool = True) -> str:
    def run() -> str:
        encoder = _Encoder(escape_html, indent, sort_keys)
        encoder.encode(value, 0)
        return "".join(encoder.out)

    try:
        return run()
    except RecursionError:
        with deep_recursion():
            return run()


def to_json(value: Any) -> str:
    """json.Marshal(value) as text; raises JsonError where Go returns an error."""
    return _encode(value, True, None)


def to_struct_json(value: Any) -> str:
    """json.Marshal of Go structs written as dicts: keys stay in the order given (a struct's
    field order), so callers sort the keys of what are maps in Go themselves."""
    return _encode(value, True, None, sort_keys=False)


def to_raw_json(value: Any) -> str:
    """A json.Encoder with SetEscapeHTML(false), final newline removed (sprig's toRawJson)."""
    return _encode(value, False, None)


def to_pretty_json(value: Any) -> str:
    """json.MarshalIndent(value, "", "  ") (sprig's toPrettyJson)."""
    return _encode(value, True, "  ")


# Fewer brackets than this cannot nest deep enough to trouble the decoder.
_SHALLOW_BRACKETS = 500
MAP_TYPE = "map[string]interface {}"
LIST_TYPE = "[]interface {}"
ANY_TYPE = "interface {}"


class _Numbers:
    """Number hooks for the decoder: float64 values, the first out-of-range one remembered
    (Go stores nil there, carries on, and reports it at the end)."""

    def __init__(self) -> None:
        self.first_error: str | None = None

    def parse(self, text: str) -> float | None:
        number = float(text)
        if math.isinf(number):
            if self.first_error is None:
                self.first_error = f"json: cannot unmarshal number {text} into Go value of type float64"
            return None
        return number


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _pattern(_SURROGATE_PATTERN).sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_surrogates(key): _replace_surrogates(item) for key, item in value.items()}
    return value


def unmarshal(text: str | bytes, target: str = ANY_TYPE) -> tuple[Any, str | None]:
    """json.Unmarshal into a variable of type `target` (interface{}, map[string]interface{}
    or []interface{}): the value it ends up holding (None where Go leaves the variable
    untouched) and the error text, if any. Syntax errors come first and leave nothing;
    a top-level kind that does not fit comes next; out-of-range numbers decode as nil."""
    import json  # on first use: most renders decode no JSON

    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    document = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
    numbers = _Numbers()
    if document.count("[") + document.count("{") > _SHALLOW_BRACKETS:
        # Possibly deep: Go's scanner enforces its nesting limit before anything is decoded.
        error = syntax_error(data)
        if error is not None:
            return None, error
    try:
        with deep_recursion():
            value = json.loads(
                document, parse_float=numbers.parse, parse_int=numbers.parse, parse_constant=_reject_constant
            )
    except ValueError:
        return None, syntax_error(data) or "unexpected end of JSON input"
    if _pattern(_SURROGATE_ESCAPE).search(document):
        value = _replace_surrogates(value)
    if value is not None and target != ANY_TYPE:
        fits = isinstance(value, dict) if target == MAP_TYPE else isinstance(value, list)
        if not fits:
            return None, f"json: cannot unmarshal {go_kind_name(value)} into Go value of type {target}"
    return value, numbers.first_error


def load(text: str | bytes) -> Any:
    """json.Unmarshal(text, &interface{}): numbers are float64; errors use Go's words."""
    value, error = unmarshal(text)
    if error is not None:
        raise JsonError(error)
    return value


def go_kind_name(value: Any) -> str:
    """The JSON kind word Go uses in UnmarshalTypeError: object, array, string, number, bool."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    return "number"


def _base64(value: bytes) -> str:
    """encoding/json's form of a []byte. base64 is imported here, not by every render."""
    import base64

    return base64.b64encode(value).decode("ascii")
