"""TOML as Helm's toToml and fromToml see it (BurntSushi/toml v1.6.0).

The encoder writes a map's plain values first (keys sorted), then its tables and arrays of
tables, nested tables indented two spaces per level, float64 through Go's %g with `.0` added
when the text has neither a point nor an exponent, and nil values left out. The decoder is
tomllib with BurntSushi's value types: integers are int64, floats float64.
"""

from __future__ import annotations

import math
import re
import tomllib

from otterhelm.codec.depth import deep_recursion
from otterhelm.codec.errors import TomlError
from otterhelm.codec.gofloat import format_g
from otterhelm.template.gotypes import MISSING, Int64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class TomlPanic(TomlError):
    """A failure Go's encoder raises as a panic rather than returns: even the lenient
    toToml fails the template with it."""


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f]')

_ERR_NIL_ELEMENT = "toml: cannot encode array with nil element"
_ERR_NO_KEY = "toml: top-level values must be Go maps or structs"


def _quote(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        character = match.group()
        return _ESCAPES.get(character) or f"\\u{ord(character):04x}"

    return '"' + _NEEDS_ESCAPE.sub(escape, text) + '"'


def _key_piece(piece: str) -> str:
    if piece == "":
        return '""'
    return piece if _BARE_KEY.fullmatch(piece) else _quote(piece)


def _is_nil(value: Any) -> bool:
    return value is None or value is MISSING


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_array(value: Any) -> bool:
    """BurntSushi's isTableArray; a nil element is an error wherever an array is typed."""
    if not isinstance(value, (list, tuple)) or not value:
        return False
    every_table = True
    for element in value:
        if _is_nil(element):
            raise TomlError(_ERR_NIL_ELEMENT)
        if not _is_table(element):
            every_table = False
    return every_table


class _Encoder:
    def __init__(self) -> None:
        self.out: list[str] = []

    def write(self, text: str) -> None:
        self.out.append(text)

    def newline(self) -> None:
        if self.out:
            self.write("\n")

    @staticmethod
    def indent(key: list[str]) -> str:
        return "  " * (len(key) - 1)

    def encode(self, key: list[str], value: Any) -> None:
        if _is_nil(value):
            return
        if isinstance(value, dict):
            self.table(key, value)
        elif isinstance(value, (list, tuple)) and _is_table_array(value):
            self.array_of_tables(key, value)
        else:
            self.key_value(key, value, inline=False)

    def key_value(self, key: list[str], value: Any, inline: bool) -> None:
        if not key:
            self.element(value)
            return
        self.write(f"{self.indent(key)}{_key_piece(key[-1])} = ")
        self.element(value)
        if not inline:
            self.newline()

    def table(self, key: list[str], mapping: dict[str, Any]) -> None:
        if len(key) == 1:
            self.newline()
        if key:
            self.write(f"{self.indent(key)}[{'.'.join(_key_piece(piece) for piece in key)}]")
            self.newline()
        self.mapping(key, mapping, inline=False)

    def array_of_tables(self, key: list[str], tables: Any) -> None:
        if not key:
            raise TomlError(_ERR_NO_KEY)
        for table in tables:
            self.newline()
            self.write(f"{self.indent(key)}[[{'.'.join(_key_piece(piece) for piece in key)}]]")
            self.newline()
            self.mapping(key, table, inline=False)

    def mapping(self, key: list[str], mapping: dict[str, Any], inline: bool) -> None:
        direct: list[str] = []
        nested: list[str] = []
        for name, item in mapping.items():
            is_sub = _is_table(item) or _is_table_array(item)
            (nested if is_sub else direct).append(str(name))
        if inline:
            self.write("{")
        self.mapping_keys(key, mapping, sorted(direct), inline, trailing_comma=bool(nested))
        self.mapping_keys(key, mapping, sorted(nested), inline, trailing_comma=False)
        if inline:
            self.write("}")

    def mapping_keys(
        self, key: list[str], mapping: dict[str, Any], names: list[str], inline: bool, trailing_comma: bool
    ) -> None:
        for position, name in enumerate(names):
            item = mapping[name]
            if _is_nil(item):
                continue
            if inline:
                self.key_value([name], item, inline=True)
                if trailing_comma or position != len(names) - 1:
                    self.write(", ")
            else:
                self.encode([*key, name], item)

    def element(self, value: Any) -> None:
        if isinstance(value, bool):
            self.write("true" if value else "false")
        elif isinstance(value, int):
            self.write(str(int(value)))
        elif isinstance(value, float):
            self.write(_format_float(value))
        elif isinstance(value, str):
            self.write(_quote(value))
        elif isinstance(value, bytes):
            self.write("[" + ", ".join(str(byte) for byte in value) + "]")
        elif isinstance(value, (list, tuple)):
            self.write("[")
            for position, item in enumerate(value):
                if _is_nil(item):
                    raise TomlError(_ERR_NIL_ELEMENT)
                self.element(item)
                if position != len(value) - 1:
                    self.write(", ")
            self.write("]")
        elif isinstance(value, dict):
            self.mapping([], value, inline=True)
        else:
            raise TomlError(f"toml: unsupported type: {type(value).__name__}")


def _format_float(value: float) -> str:
    if math.isnan(value):
        return ("-" if math.copysign(1.0, value) < 0 else "") + "nan"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    text = format_g(value)
    return text if "." in text or "e" in text else text + ".0"


def to_toml(value: Any) -> str:
    """BurntSushi's Encoder.Encode output; raises TomlError with its message on failure."""
    if _is_nil(value):
        # Go's encoder panics on a nil interface; toToml does not recover from that.
        raise TomlPanic("reflect: call of reflect.Value.Type on zero Value")
    try:
        encoder = _Encoder()
        encoder.encode([], value)
    except RecursionError:
        with deep_recursion():
            encoder = _Encoder()
            encoder.encode([], value)
    return "".join(encoder.out)


def _go_values(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Int64(value)
    if isinstance(value, dict):
        return {key: _go_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_go_values(item) for item in value]
    # Strings, floats, and dates and times as Python's datetime, date and time (BurntSushi
    # gives time.Time; the template layer converts them).
    return value


_TOMLLIB_LOCATION = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")


def _toml_error(error: tomllib.TOMLDecodeError, text: str) -> str:
    message = str(error)
    match = _TOMLLIB_LOCATION.search(message)
    line = text.count("\n") + 1
    if match is not None:
        if match.group(1):
            line = int(match.group(1))
        message = message[: match.start()]
    at_end = match is not None and match.group(1) is None
    if at_end and message.startswith("Expected '=' after a key"):
        return f"toml: line {line}: unexpected EOF; expected key separator '='"
    return f"toml: line {line}: {message}"


def load(text: str) -> dict[str, Any]:
    """toml.Unmarshal into map[string]interface{}: integers Int64, floats float64, dates and
    times as datetime.datetime/date/time."""
    try:
        try:
            return dict(_go_values(tomllib.loads(text)))
        except RecursionError:
            with deep_recursion():
                return dict(_go_values(tomllib.loads(text)))
    except tomllib.TOMLDecodeError as error:
        raise TomlError(_toml_error(error, text)) from None
    except RecursionError:
        raise TomlError("toml: nesting too deep") from None
