"""encoding/json's syntax checker (scanner.go), for Go's exact syntax error messages.

Go validates the whole input before decoding and reports the first byte its state machine
rejects: `invalid character 'x' after object key`, or, when the input stops early,
`unexpected end of JSON input` (at the end it feeds one space, so a cut-off literal reads
`invalid character ' ' in literal true (expecting 'e')`). Python's decoder decides whether the
text is valid; this runs only to word the error.
"""

from __future__ import annotations

from collections.abc import Callable

_SPACE = b" \t\r\n"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"
_OBJECT_KEY, _OBJECT_VALUE, _ARRAY_VALUE = 0, 1, 2
MAX_NESTING_DEPTH = 10000

Step = Callable[["Scanner", int], None]


class JsonSyntaxError(Exception):
    pass


def _quote_char(byte: int) -> str:
    """Go's quoteChar: the byte as a rune, quoted like strconv.Quote inside single quotes."""
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    character = chr(byte)
    if character.isprintable():
        return f"'{character}'"
    if byte < 0x80:
        escapes = {0x07: "\\a", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x0B: "\\v"}
        return "'" + escapes.get(byte, f"\\x{byte:02x}") + "'"
    return f"'\\u{byte:04x}'"


class Scanner:
    def __init__(self) -> None:
        self.step: Step = _begin_value
        self.stack: list[int] = []
        self.end_top = False

    def fail(self, byte: int, context: str) -> None:
        raise JsonSyntaxError(f"invalid character {_quote_char(byte)} {context}")

    def pop(self) -> None:
        self.stack.pop()
        if not self.stack:
            self.step = _end_top
            self.end_top = True
        else:
            self.step = _end_value


def _begin_value_or_empty(s: Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord("]"):
        _end_value(s, c)
        return
    _begin_value(s, c)


def _push(s: Scanner, c: int, state: int) -> None:
    s.stack.append(state)
    if len(s.stack) > MAX_NESTING_DEPTH:
        s.fail(c, "exceeded max depth")


def _begin_value(s: Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord("{"):
        _push(s, c, _OBJECT_KEY)
        s.step = _begin_string_or_empty
    elif c == ord("["):
        _push(s, c, _ARRAY_VALUE)
        s.step = _begin_value_or_empty
    elif c == ord('"'):
        s.step = _in_string
    elif c == ord("-"):
        s.step = _neg
    elif c == ord("0"):
        s.step = _zero
    elif c == ord("t"):
        s.step = _literal("true", 1)
    elif c == ord("f"):
        s.step = _literal("false", 1)
    elif c == ord("n"):
        s.step = _literal("null", 1)
    elif ord("1") <= c <= ord("9"):
        s.step = _one
    else:
        s.fail(c, "looking for beginning of value")


def _begin_string_or_empty(s: Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord("}"):
        s.stack[-1] = _OBJECT_VALUE
        _end_value(s, c)
        return
    _begin_string(s, c)


def _begin_string(s: Scanner, c: int) -> None:
    if c in _SPACE:
        return
    if c == ord('"'):
        s.step = _in_string
        return
    s.fail(c, "looking for beginning of object key string")


def _end_value(s: Scanner, c: int) -> None:
    if not s.stack:
        s.step = _end_top
        s.end_top = True
        _end_top(s, c)
        return
    if c in _SPACE:
        s.step = _end_value
        return
    state = s.stack[-1]
    if state == _OBJECT_KEY:
        if c == ord(":"):
            s.stack[-1] = _OBJECT_VALUE
            s.step = _begin_value
            return
        s.fail(c, "after object key")
    elif state == _OBJECT_VALUE:
        if c == ord(","):
            s.stack[-1] = _OBJECT_KEY
            s.step = _begin_string
            return
        if c == ord("}"):
            s.pop()
            return
        s.fail(c, "after object key:value pair")
    else:
        if c == ord(","):
            s.step = _begin_value
            return
        if c == ord("]"):
            s.pop()
            return
        s.fail(c, "after array element")


def _end_top(s: Scanner, c: int) -> None:
    if c not in _SPACE:
        s.fail(c, "after top-level value")


def _in_string(s: Scanner, c: int) -> None:
    if c == ord('"'):
        s.step = _end_value
    elif c == ord("\\"):
        s.step = _in_string_escape
    elif c < 0x20:
        s.fail(c, "in string literal")


def _in_string_escape(s: Scanner, c: int) -> None:
    if c in b'bfnrt\\/"':
        s.step = _in_string
    elif c == ord("u"):
        s.step = _hex_escape(0)
    else:
        s.fail(c, "in string escape code")


def _hex_escape(seen: int) -> Step:
    def step(s: Scanner, c: int) -> None:
        if c in _HEX:
            s.step = _in_string if seen == 3 else _hex_escape(seen + 1)
            return
        s.fail(c, "in \\u hexadecimal character escape")

    return step


def _neg(s: Scanner, c: int) -> None:
    if c == ord("0"):
        s.step = _zero
    elif ord("1") <= c <= ord("9"):
        s.step = _one
    else:
        s.fail(c, "in numeric literal")


def _one(s: Scanner, c: int) -> None:
    if c in _DIGITS:
        return
    _zero(s, c)


def _zero(s: Scanner, c: int) -> None:
    if c == ord("."):
        s.step = _dot
    elif c in b"eE":
        s.step = _exponent
    else:
        _end_value(s, c)


def _dot(s: Scanner, c: int) -> None:
    if c in _DIGITS:
        s.step = _dot_digits
        return
    s.fail(c, "after decimal point in numeric literal")


def _dot_digits(s: Scanner, c: int) -> None:
    if c in _DIGITS:
        return
    if c in b"eE":
        s.step = _exponent
        return
    _end_value(s, c)


def _exponent(s: Scanner, c: int) -> None:
    if c in b"+-":
        s.step = _exponent_sign
        return
    _exponent_sign(s, c)


def _exponent_sign(s: Scanner, c: int) -> None:
    if c in _DIGITS:
        s.step = _exponent_digits
        return
    s.fail(c, "in exponent of numeric literal")


def _exponent_digits(s: Scanner, c: int) -> None:
    if c in _DIGITS:
        return
    _end_value(s, c)


def _literal(word: str, position: int) -> Step:
    def step(s: Scanner, c: int) -> None:
        expected = word[position]
        if c == ord(expected):
            s.step = _end_value if position == len(word) - 1 else _literal(word, position + 1)
            return
        s.fail(c, f"in literal {word} (expecting '{expected}')")

    return step


def syntax_error(data: bytes) -> str | None:
    """The message json.Unmarshal gives for `data`, or None when the syntax is valid."""
    scanner = Scanner()
    try:
        for byte in data:
            scanner.step(scanner, byte)
        if scanner.end_top:
            return None
        scanner.step(scanner, 0x20)
        if scanner.end_top:
            return None
    except JsonSyntaxError as error:
        return str(error)
    return "unexpected end of JSON input"
