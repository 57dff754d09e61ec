"""Go's encoding/json for the template value model.

`to_json` is json.Marshal (sorted keys, `<`, `>`, `&`, U+2028 and U+2029 escaped, Go's float
text), `to_raw_json` is an Encoder with SetEscapeHTML(false), `to_pretty_json` is
json.MarshalIndent(v, "", "  "). `load` is json.Unmarshal into interface{}: every number is a
float64 and syntax errors carry Go's wording.
"""

from __future__ import annotations

import base64
import json as _pyjson
import math
import re
from collections.abc import Callable
from typing import Any

from otterhelm.codec.errors import JsonError
from otterhelm.codec.gofloat import format_json
from otterhelm.codec.json_scan import syntax_error
from otterhelm.template.gotypes import MISSING, GoObject, go_type_name

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_LINE_SEPARATORS = {"\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_PATTERN = re.compile("[<>&\u2028\u2029]")
_SEPARATOR_PATTERN = re.compile("[\u2028\u2029]")
_SURROGATE_PATTERN = re.compile("[\ud800-\udfff]")


_PLAIN_STRING = re.compile('[^"\\\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]*')


def quote_string(text: str, escape_html: bool = True) -> str:
    """A JSON string literal exactly as Go writes it (Go 1.22+: \\b and \\f short escapes)."""
    if _PLAIN_STRING.fullmatch(text):
        return '"' + text + '"'
    if _SURROGATE_PATTERN.search(text):
        # Go strings cannot hold lone surrogates; invalid UTF-8 is written as U+FFFD.
        text = _SURROGATE_PATTERN.sub("\ufffd", text)
    quoted = _pyjson.dumps(text, ensure_ascii=False)
    if escape_html:
        return _HTML_PATTERN.sub(lambda m: {**_HTML_ESCAPES, **_LINE_SEPARATORS}[m.group()], quoted)
    return _SEPARATOR_PATTERN.sub(lambda m: _LINE_SEPARATORS[m.group()], quoted)


def to_jsonable(value: Any) -> Any:
    """Reduce a template value to what json.Marshal sees: None, bool, int, float, str, list, dict.

    []byte becomes its base64 text, like Go; a host object that is neither a map nor a slice
    is encoded through its `go_json()` method when it has one."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
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


def _encode(
    value: Any,
    escape_html: bool,
    indent: str | None,
    depth: int,
    out: list[str],
    path: list[Any] | None = None,
) -> None:
    if isinstance(value, (dict, list)):
        path = [] if path is None else path
        for position, container in enumerate(path):
            if container is value:
                raise cycle_error(path, position)
        path.append(value)
        try:
            _encode_value(value, escape_html, indent, depth, out, path)
        finally:
            path.pop()
        return
    _encode_value(value, escape_html, indent, depth, out, path)


def _encode_value(
    value: Any, escape_html: bool, indent: str | None, depth: int, out: list[str], path: list[Any] | None
) -> None:
    if value is None or value is MISSING:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(quote_string(value, escape_html))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise JsonError(
                f"json: unsupported value: {'NaN' if math.isnan(value) else ('+Inf' if value > 0 else '-Inf')}"
            )
        out.append(format_json(value))
    elif isinstance(value, bytes):
        out.append('"' + base64.b64encode(value).decode("ascii") + '"')
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        out.append("{")
        keys = sorted(str(key) for key in value)
        by_text = {str(key): item for key, item in value.items()}
        for position, key in enumerate(keys):
            if position:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (depth + 1))
            out.append(quote_string(key, escape_html))
            out.append(": " if indent is not None else ":")
            _encode(by_text[key], escape_html, indent, depth + 1, out, path)
        if indent is not None:
            out.append("\n" + indent * depth)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            if indent is not None:
                out.append("\n" + indent * (depth + 1))
            _encode(item, escape_html, indent, depth + 1, out, path)
        if indent is not None:
            out.append("\n" + indent * depth)
        out.append("]")
    else:
        _encode(to_jsonable(value), escape_html, indent, depth, out, path)


def to_json(value: Any) -> str:
    """json.Marshal(value) as text; raises JsonError where Go returns an error."""
    out: list[str] = []
    _encode(value, True, None, 0, out)
    return "".join(out)


def to_raw_json(value: Any) -> str:
    """A json.Encoder with SetEscapeHTML(false), final newline removed (sprig's toRawJson)."""
    out: list[str] = []
    _encode(value, False, None, 0, out)
    return "".join(out)


def to_pretty_json(value: Any) -> str:
    """json.MarshalIndent(value, "", "  ") (sprig's toPrettyJson)."""
    out: list[str] = []
    _encode(value, True, "  ", 0, out)
    return "".join(out)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
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
        return _SURROGATE_PATTERN.sub("\ufffd", value)
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
    data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    document = text.decode("utf-8", errors="replace") if isinstance(text, bytes) else text
    numbers = _Numbers()
    try:
        value = _pyjson.loads(
            document, parse_float=numbers.parse, parse_int=numbers.parse, parse_constant=_reject_constant
        )
    except ValueError:
        return None, syntax_error(data) or "unexpected end of JSON input"
    if _SURROGATE_ESCAPE.search(document):
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
