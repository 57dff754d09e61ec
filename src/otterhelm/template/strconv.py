"""The parts of Go's strconv that the template parser needs: unquoting string and
character literals and parsing number literals with Go's syntax (base prefixes,
legacy octal, `_` separators, hex floats).

Errors are raised as `SyntaxError_`/`RangeError_` carrying strconv's short texts
("invalid syntax", "value out of range"), because the parser reports exactly those.
"""

from __future__ import annotations

import math
import re

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1


class StrconvError(ValueError):
    """strconv.ErrSyntax / strconv.ErrRange: str() is Go's text."""


def _syntax() -> StrconvError:
    return StrconvError("invalid syntax")


_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def _byte_char(value: int) -> str:
    # A Go string holds bytes; bytes >= 0x80 that are not part of UTF-8 survive as
    # surrogate escapes so encoding with "surrogateescape" restores them.
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def unquote_char(text: str, index: int, quote: str) -> tuple[str, int]:
    """Decode one (possibly escaped) character at text[index]; return it and the next index."""
    if index >= len(text):
        raise _syntax()
    c = text[index]
    if c == quote and quote in "'\"":
        raise _syntax()
    if c != "\\":
        return c, index + 1
    if index + 1 >= len(text):
        raise _syntax()
    e = text[index + 1]
    index += 2
    if e in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[e], index
    if e in "xuU":
        size = {"x": 2, "u": 4, "U": 8}[e]
        digits = text[index : index + size]
        if len(digits) != size or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise _syntax()
        value = int(digits, 16)
        if e == "x":
            return _byte_char(value), index + size
        if value > 0x10FFFF or 0xD800 <= value < 0xE000:
            raise _syntax()
        return chr(value), index + size
    if e in "01234567":
        digits = text[index - 1 : index + 2]
        if len(digits) != 3 or any(d not in "01234567" for d in digits):
            raise _syntax()
        value = int(digits, 8)
        if value > 255:
            raise _syntax()
        return _byte_char(value), index + 2
    if e in "'\"":
        if e != quote:
            raise _syntax()
        return e, index
    raise _syntax()


def unquote(text: str) -> str:
    """strconv.Unquote for "..." and `...` literals (raw strings lose their CRs, as in Go)."""
    if len(text) < 2 or text[0] != text[-1]:
        raise _syntax()
    quote = text[0]
    body = text[1:-1]
    if quote == "`":
        if "`" in body:
            raise _syntax()
        return body.replace("\r", "")
    if quote != '"':
        raise _syntax()
    if "\\" not in body and '"' not in body and "\n" not in body:
        return body
    if "\n" in body:
        raise _syntax()
    out: list[str] = []
    index = 0
    while index < len(body):
        char, index = unquote_char(body, index, '"')
        out.append(char)
    return "".join(out)


def _underscore_ok(text: str) -> bool:
    """Go's rule: `_` may only separate digits (or follow a base prefix)."""
    saw = "^"
    i = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    hexa = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "bxo":
        i = 2
        saw = "0"
        hexa = text[1].lower() == "x"
    while i < len(text):
        c = text[i]
        if (c.isdigit() and c.isascii()) or (hexa and c.lower() in "abcdef"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def _parse_unsigned(text: str) -> int:
    """The magnitude of an unsigned literal in Go's base-0 syntax."""
    if text == "":
        raise _syntax()
    base = 10
    digits = text
    prefixed = False
    if len(text) >= 2 and text[0] == "0":
        marker = text[1].lower()
        if marker == "x":
            base, digits, prefixed = 16, text[2:], True
        elif marker == "o":
            base, digits, prefixed = 8, text[2:], True
        elif marker == "b":
            base, digits, prefixed = 2, text[2:], True
        else:
            base, digits = 8, text[1:]
    if "_" in text:
        if not _underscore_ok(text):
            raise _syntax()
        digits = digits.replace("_", "")
    if digits == "":
        if prefixed:
            raise _syntax()
        return 0
    allowed = "0123456789abcdef"[:base]
    if any(d.lower() not in allowed for d in digits):
        raise _syntax()
    return int(digits, base)


def parse_uint(text: str) -> int:
    """strconv.ParseUint(text, 0, 64)."""
    value = _parse_unsigned(text)
    if value > UINT64_MAX:
        raise StrconvError("value out of range")
    return value


def parse_int(text: str) -> int:
    """strconv.ParseInt(text, 0, 64)."""
    negative = text[:1] == "-"
    body = text[1:] if text[:1] in ("+", "-") else text
    value = -_parse_unsigned(body) if negative else _parse_unsigned(body)
    if not INT64_MIN <= value <= INT64_MAX:
        raise StrconvError("value out of range")
    return value


_DEC_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+")


def parse_float(text: str) -> float:
    """strconv.ParseFloat(text, 64) for the literal forms the lexer can produce."""
    cleaned = text
    if "_" in text:
        if not _underscore_ok(text):
            raise _syntax()
        cleaned = text.replace("_", "")
    if _HEX_FLOAT.fullmatch(cleaned):
        sign = -1.0 if cleaned[0] == "-" else 1.0
        body = cleaned.lstrip("+-")
        try:
            value = sign * float.fromhex(body)
        except OverflowError as exc:
            raise StrconvError("value out of range") from exc
    elif _DEC_FLOAT.fullmatch(cleaned):
        value = float(cleaned)
    else:
        raise _syntax()
    if math.isinf(value):
        raise StrconvError("value out of range")
    return value
