"""Helm's `--set` grammar (pkg/strvals/parser.go, literal_parser.go).

One parser covers every mode; what differs is how a value's runes become a value:
typed (`--set`), string (`--set-string`), JSON (`--set-json`), file contents (`--set-file`)
and literal (`--set-literal`, where the rest of the input is the value and there are no
escapes, lists or commas). Integers are Go int64 (`gotypes.Int64`)."""

from __future__ import annotations

from collections.abc import Callable

from otterhelm.errors import InvalidArgument
from otterhelm.template.gotypes import Int64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from json import JSONDecodeError
    from typing import Any, TypeAlias

MAX_INDEX = 65536
MAX_NESTED_NAME_LEVEL = 30
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

ValueReader: TypeAlias = "Callable[[str], Any]"


class StrvalsError(InvalidArgument):
    """A `--set` expression that does not parse; str() is Helm's message."""


class _EOF(Exception):
    """io.EOF inside the scanner: the input ended."""


class _NotList(Exception):
    """ErrNotList: the value does not start with `{`."""


class _Scanner:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def read(self) -> str | None:
        if self.pos >= len(self.text):
            return None
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def unread(self) -> None:
        self.pos -= 1

    def rest(self) -> str:
        return self.text[self.pos :]

    def until(self, stop: str, escapes: bool = True) -> tuple[str, str | None]:
        """runesUntil: runes up to a stop rune (consumed), with `\\` escaping the next rune.
        The stop rune is None when the input ended."""
        out: list[str] = []
        text = self.text
        n = len(text)
        while self.pos < n:
            ch = text[self.pos]
            self.pos += 1
            if ch in stop:
                return "".join(out), ch
            if ch == "\\" and escapes:
                if self.pos >= n:
                    return "".join(out), None
                out.append(text[self.pos])
                self.pos += 1
            else:
                out.append(ch)
        return "".join(out), None


def typed_value(text: str) -> Any:
    """typedVal for `--set`: true/false/null case-insensitively, int64 for base-10 integers
    that do not start with 0 (except "0" itself), everything else a string."""
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered == "null":
        return None
    if text == "0":
        return Int64(0)
    if text and text[0] != "0":
        parsed = _parse_int64(text)
        if parsed is not None:
            return Int64(parsed)
    return text


def _parse_int64(text: str) -> int | None:
    body = text[1:] if text[0] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    if _INT64_MIN <= value <= _INT64_MAX:
        return value
    return None


def _go_quote(text: str) -> str:
    from otterhelm.chart.metadata import go_quote

    return go_quote(text)


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    if key:
        data[key] = value


def _set_index(items: list[Any], index: int, value: Any) -> list[Any]:
    if index < 0:
        raise StrvalsError(f"negative {index} index not allowed")
    if index > MAX_INDEX:
        raise StrvalsError(f"index of {index} is greater than maximum supported index of {MAX_INDEX}")
    if len(items) <= index:
        items = items + [None] * (index + 1 - len(items))
    items[index] = value
    return items


def _go_atoi(text: str) -> int:
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        raise StrvalsError(f"error parsing index: strconv.Atoi: parsing {_go_quote(text)}: invalid syntax")
    value = int(text)
    if not _INT64_MIN <= value <= _INT64_MAX:
        raise StrvalsError(
            f"error parsing index: strconv.Atoi: parsing {_go_quote(text)}: value out of range"
        )
    return value


class _Parser:
    def __init__(self, text: str, data: dict[str, Any], reader: ValueReader | None, mode: str) -> None:
        self.sc = _Scanner(text)
        self.data = data
        self.reader = reader
        self.mode = mode  # "typed", "json" or "literal"

    @property
    def _literal(self) -> bool:
        return self.mode == "literal"

    def parse(self) -> None:
        try:
            while True:
                self._key(self.data, 0)
        except _EOF:
            return

    def _read_value(self, runes: str) -> Any:
        assert self.reader is not None
        return self.reader(runes)

    def _key_index(self) -> int:
        text, _ = self.sc.until("]", escapes=not self._literal)
        return _go_atoi(text)

    def _existing_list(self, data: dict[str, Any], key: str) -> list[Any]:
        if key not in data:
            return []
        existing = data[key]
        if not isinstance(existing, list):
            raise StrvalsError(
                f"unable to parse key: interface conversion: interface {{}} is {_go_type(existing)}, not []interface {{}}"
            )
        return existing

    def _existing_map(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        if key not in data:
            return {}
        existing = data[key]
        if not isinstance(existing, dict):
            raise StrvalsError(
                f"unable to parse key: interface conversion: interface {{}} is {_go_type(existing)}, "
                "not map[string]interface {}"
            )
        return existing

    def _key(self, data: dict[str, Any], level: int) -> None:
        stop = "=[." if self._literal else "=[,."
        key, last = self.sc.until(stop, escapes=not self._literal)
        if last is None:
            if not key:
                raise _EOF
            raise StrvalsError(f"key {_go_quote(key)} has no value")
        if last == "[":
            index = self._key_index()
            items = self._existing_list(data, key)
            try:
                items = self._list_item(items, index, level)
            finally:
                _set(data, key, items)
            return
        if last == "=":
            self._assign(data, key)
            return
        if last == ",":
            _set(data, key, "")
            raise StrvalsError(f"key {_go_quote(key)} has no value (cannot end with ,)")
        # last == "."
        level += 1
        if level > MAX_NESTED_NAME_LEVEL:
            raise StrvalsError(
                f"value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
            )
        inner = self._existing_map(data, key)
        failure: BaseException | None = None
        try:
            self._key(inner, level)
        except (StrvalsError, _EOF) as err:
            failure = err
        if failure is None and not inner:
            raise StrvalsError(f"key map {_go_quote(key)} has no value")
        if inner:
            _set(data, key, inner)
        if failure is not None:
            raise failure

    def _assign(self, data: dict[str, Any], key: str) -> None:
        if self._literal:
            _set(data, key, self.sc.rest())
            self.sc.pos = len(self.sc.text)
            return
        if self.mode == "json":
            _set(data, key, self._json_value())
            return
        try:
            items = self._value_list()
        except _EOF:
            _set(data, key, "")
            raise
        except _NotList:
            runes, _ = self.sc.until(",")
            _set(data, key, self._read_value(runes))
            return
        _set(data, key, items)

    def _json_value(self) -> Any:
        if self._empty_value():
            return None
        import json  # --set-json only

        rest = self.sc.rest()
        try:
            value, end = json.JSONDecoder(
                parse_int=_json_number, parse_float=_json_number, strict=False
            ).raw_decode(rest)
        except json.JSONDecodeError as err:
            raise StrvalsError(_json_error_text(err)) from None
        self.sc.pos += end
        self._empty_value()
        return value

    def _empty_value(self) -> bool:
        """emptyVal: skip spaces; true at the end of input or at a `,` (consumed)."""
        while True:
            ch = self.sc.read()
            if ch is None or ch == ",":
                return True
            if not ch.isspace():
                self.sc.unread()
                return False

    def _value_list(self) -> list[Any]:
        ch = self.sc.read()
        if ch is None:
            raise _EOF
        if ch != "{":
            self.sc.unread()
            raise _NotList
        items: list[Any] = []
        while True:
            runes, last = self.sc.until(",}")
            if last is None:
                raise StrvalsError("list must terminate with '}'")
            if last == "}":
                follow = self.sc.read()
                if follow is not None and follow != ",":
                    self.sc.unread()
                items.append(self._read_value(runes))
                return items
            items.append(self._read_value(runes))

    def _list_item(self, items: list[Any], index: int, level: int) -> list[Any]:
        if index < 0:
            raise StrvalsError(f"negative {index} index not allowed")
        rest, last = self.sc.until("[.=", escapes=not self._literal)
        if rest:
            raise StrvalsError(f"unexpected data at end of array index: {_go_quote(rest)}")
        if last is None:
            raise _EOF
        if last == "=":
            if self._literal:
                value: Any = self.sc.rest()
                self.sc.pos = len(self.sc.text)
                return _set_index(items, index, value)
            if self.mode == "json":
                return _set_index(items, index, self._json_value())
            try:
                value = self._value_list()
            except _EOF:
                return _set_index(items, index, "")
            except _NotList:
                runes, _ = self.sc.until(",")
                return _set_index(items, index, self._read_value(runes))
            return _set_index(items, index, value)
        if last == "[":
            next_index = self._key_index()
            current: list[Any] = []
            if len(items) > index and items[index] is not None:
                existing = items[index]
                if not isinstance(existing, list):
                    raise StrvalsError(
                        f"unable to parse key: interface conversion: interface {{}} is {_go_type(existing)}, "
                        "not []interface {}"
                    )
                current = existing
            nested = self._list_item(current, next_index, level)
            return _set_index(items, index, nested)
        # last == "."
        inner: dict[str, Any] = {}
        if len(items) > index:
            existing = items[index]
            if isinstance(existing, dict):
                inner = existing
            else:
                items[index] = inner
        self._key(inner, level)
        return _set_index(items, index, inner)


def _json_number(text: str) -> float:
    return float(text)


def _json_error_text(err: JSONDecodeError) -> str:
    if err.msg.startswith("Expecting value") and err.pos >= len(err.doc):
        return "unexpected EOF"
    return f"invalid character {_go_quote(err.doc[err.pos : err.pos + 1])[1:-1]!r} looking for beginning of value".replace(
        '"', "'"
    )


def _go_type(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Int64):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return type(value).__name__


def _typed_reader(text: str) -> Any:
    return typed_value(text)


def _string_reader(text: str) -> Any:
    return text


def parse(text: str) -> dict[str, Any]:
    """strvals.Parse (`--set`)."""
    out: dict[str, Any] = {}
    parse_into(text, out)
    return out


def parse_into(text: str, dest: dict[str, Any]) -> None:
    _Parser(text, dest, _typed_reader, "typed").parse()


def parse_string(text: str) -> dict[str, Any]:
    """strvals.ParseString (`--set-string`)."""
    out: dict[str, Any] = {}
    parse_into_string(text, out)
    return out


def parse_into_string(text: str, dest: dict[str, Any]) -> None:
    _Parser(text, dest, _string_reader, "typed").parse()


def parse_json(text: str, dest: dict[str, Any]) -> None:
    """strvals.ParseJSON (`--set-json key=<json>`)."""
    _Parser(text, dest, None, "json").parse()


def parse_file(text: str, reader: ValueReader) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parse_into_file(text, out, reader)
    return out


def parse_into_file(text: str, dest: dict[str, Any], reader: ValueReader) -> None:
    """strvals.ParseIntoFile (`--set-file key=path`): `reader` turns the path into a value."""
    _Parser(text, dest, reader, "typed").parse()


def parse_literal(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parse_literal_into(text, out)
    return out


def parse_literal_into(text: str, dest: dict[str, Any]) -> None:
    """strvals.ParseLiteralInto (`--set-literal`)."""
    _Parser(text, dest, None, "literal").parse()
