"""Go's fmt package for the values templates can see (`print`, `printf`, `println`, `%v`).

The behaviour follows Go's src/fmt (print.go, format.go) and strconv's float formatting:
verbs, flags, width and precision, `%!verb(type=value)` for a verb that does not fit the
operand, `%!(EXTRA ...)`, `%!v(MISSING)`, `%!(BADWIDTH)`, maps printed with sorted keys,
nil inside composites printed as `<nil>` and floats printed with the shortest digits
that round-trip. The tests in tests/funcs/test_fmt.py carry vectors from Go's fmt_test.go
and outputs checked against Go.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from otterhelm.codec.gofloat import shortest_digits
from otterhelm.template.gotypes import MISSING, GoObject, Int64, go_type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NIL = "<nil>"
_MAX_WIDTH = 1_000_000
_LOWER_HEX = "0123456789abcdefx"
_UPPER_HEX = "0123456789ABCDEFX"


def bytes_to_str(data: bytes) -> str:
    """Go's string([]byte): bytes that are not valid UTF-8 survive as surrogate escapes."""
    return data.decode("utf-8", "surrogateescape")


def format_value(value: Any) -> str:
    """`%v` of one value; MISSING (Go's invalid reflect.Value) prints as text/template does."""
    if value is MISSING:
        return "<no value>"
    # Fast paths for what templates print most; the printer gives the same text.
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is Int64:
        return str(int(value))
    return _Printer().format_arg(value, "v")


def sprint(*args: Any) -> str:
    """fmt.Sprint: a space goes between two operands when neither of them is a string."""
    out: list[str] = []
    prev_string = False
    for index, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if index > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(_Printer().format_arg(arg, "v"))
        prev_string = is_string
    return "".join(out)


def sprintln(*args: Any) -> str:
    """fmt.Sprintln: operands always separated by spaces, newline appended."""
    return " ".join(_Printer().format_arg(arg, "v") for arg in args) + "\n"


def sprintf(format: str, *args: Any) -> str:
    """fmt.Sprintf with Go's verbs, flags, argument indexes and error annotations."""
    return _Printer().do_printf(format, args)


class _Flags:
    """The flags, width and precision of the verb being formatted (fmt's fmtFlags)."""

    __slots__ = (
        "minus",
        "plus",
        "plus_v",
        "prec",
        "prec_present",
        "sharp",
        "sharp_v",
        "space",
        "wid",
        "wid_present",
        "zero",
    )

    def __init__(self) -> None:
        self.plus = False
        self.minus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False
        self.wid = 0
        self.wid_present = False
        self.prec = 0
        self.prec_present = False


def _is_nil(value: Any) -> bool:
    return value is None or value is MISSING


class _Printer:
    """One formatting run (Go's pp): the output buffer and the current verb's flags."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.f = _Flags()
        self.erroring = False
        self.reordered = False
        self.good_arg_num = True

    # ---- entry points -------------------------------------------------------------

    def format_arg(self, value: Any, verb: str) -> str:
        self.print_arg(value, verb)
        return "".join(self.buf)

    def do_printf(self, fmt: str, args: Sequence[Any]) -> str:
        end = len(fmt)
        arg_num = 0
        after_index = False
        i = 0
        while i < end:
            self.good_arg_num = True
            start = i
            while i < end and fmt[i] != "%":
                i += 1
            if i > start:
                self.buf.append(fmt[start:i])
            if i >= end:
                break
            i += 1
            self.f = _Flags()
            while i < end:
                c = fmt[i]
                if c == "#":
                    self.f.sharp = True
                elif c == "0":
                    self.f.zero = True
                elif c == "+":
                    self.f.plus = True
                elif c == "-":
                    self.f.minus = True
                elif c == " ":
                    self.f.space = True
                else:
                    break
                i += 1

            arg_num, i, after_index = self._arg_number(arg_num, fmt, i, len(args))

            if i < end and fmt[i] == "*":
                i += 1
                self.f.wid, self.f.wid_present, arg_num = _int_from_arg(args, arg_num)
                if not self.f.wid_present:
                    self.buf.append("%!(BADWIDTH)")
                if self.f.wid < 0:
                    self.f.wid = -self.f.wid
                    self.f.minus = True
                    self.f.zero = False
                after_index = False
            else:
                self.f.wid, self.f.wid_present, i = _parse_num(fmt, i, end)
                if after_index and self.f.wid_present:
                    self.good_arg_num = False

            if i + 1 < end and fmt[i] == ".":
                i += 1
                if after_index:
                    self.good_arg_num = False
                arg_num, i, after_index = self._arg_number(arg_num, fmt, i, len(args))
                if i < end and fmt[i] == "*":
                    i += 1
                    self.f.prec, self.f.prec_present, arg_num = _int_from_arg(args, arg_num)
                    if self.f.prec < 0:
                        self.f.prec = 0
                        self.f.prec_present = False
                    if not self.f.prec_present:
                        self.buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.f.prec, self.f.prec_present, i = _parse_num(fmt, i, end)
                    if not self.f.prec_present:
                        self.f.prec = 0
                        self.f.prec_present = True

            if not after_index:
                arg_num, i, after_index = self._arg_number(arg_num, fmt, i, len(args))

            if i >= end:
                self.buf.append("%!(NOVERB)")
                break

            verb = fmt[i]
            i += 1
            if verb == "%":
                self.buf.append("%")
            elif not self.good_arg_num:
                self.buf.append(f"%!{verb}(BADINDEX)")
            elif arg_num >= len(args):
                self.buf.append(f"%!{verb}(MISSING)")
            else:
                if verb == "v":
                    self.f.sharp_v, self.f.sharp = self.f.sharp, False
                    self.f.plus_v, self.f.plus = self.f.plus, False
                self.print_arg(args[arg_num], verb)
                arg_num += 1

        if not self.reordered and arg_num < len(args):
            self.f = _Flags()
            self.buf.append("%!(EXTRA ")
            for index, arg in enumerate(args[arg_num:]):
                if index > 0:
                    self.buf.append(", ")
                if _is_nil(arg):
                    self.buf.append(_NIL)
                else:
                    self.buf.append(go_type_name(arg) + "=")
                    self.print_arg(arg, "v")
            self.buf.append(")")
        return "".join(self.buf)

    def _arg_number(self, arg_num: int, fmt: str, i: int, num_args: int) -> tuple[int, int, bool]:
        if len(fmt) <= i or fmt[i] != "[":
            return arg_num, i, False
        self.reordered = True
        index, width, ok = _parse_arg_number(fmt[i:])
        if ok and 0 <= index < num_args:
            return index, i + width, True
        self.good_arg_num = False
        return arg_num, i + width, ok

    # ---- dispatch ---------------------------------------------------------------------

    def print_arg(self, arg: Any, verb: str) -> None:
        if _is_nil(arg):
            if verb in "Tv":
                self._pad(_NIL)
            else:
                self._bad_verb(verb, arg, top=True)
            return
        if verb == "T":
            self._fmt_s(go_type_name(arg))
            return
        if verb == "p":
            self._fmt_pointer(arg, verb, top=True)
            return
        self._print_value(arg, verb, depth=0)

    def _print_value(self, value: Any, verb: str, depth: int) -> None:
        if isinstance(value, GoObject) and not self.erroring and self._handle_stringer(value, verb):
            return
        if _is_nil(value):
            # A nil interface inside a composite value.
            self.buf.append("interface {}(nil)" if self.f.sharp_v else _NIL)
            return
        t = type(value)
        if t is bool or isinstance(value, bool):
            self._fmt_bool(value, verb, depth)
        elif isinstance(value, int):
            self._fmt_integer(int(value), signed=True, verb=verb, value=value, depth=depth)
        elif isinstance(value, float):
            self._fmt_float(value, verb, depth)
        elif isinstance(value, str):
            self._fmt_string(value, verb, depth)
        elif isinstance(value, (bytes, bytearray)):
            self._fmt_bytes(bytes(value), verb, depth)
        elif isinstance(value, dict):
            self._fmt_map(value, verb, depth)
        elif isinstance(value, (list, tuple)):
            self._fmt_list(value, verb, depth)
        elif isinstance(value, GoObject):
            self._fmt_struct(value, verb, depth)
        else:
            self._fmt_s(str(value))

    def _handle_stringer(self, value: GoObject, verb: str) -> bool:
        if self.f.sharp_v or verb not in "vsxXq":
            return False
        text = value.go_string()
        if text is None:
            return False
        self._fmt_string(text, verb, depth=0)
        return True

    # ---- errors -------------------------------------------------------------------------

    def _bad_verb(self, verb: str, value: Any, top: bool) -> None:
        self.erroring = True
        self.buf.append(f"%!{verb}(")
        if _is_nil(value):
            self.buf.append(_NIL)
        else:
            self.buf.append(_type_name(value) + "=")
            if top:
                self.print_arg(value, "v")
            else:
                self._print_value(value, "v", 0)
        self.buf.append(")")
        self.erroring = False

    # ---- padding ------------------------------------------------------------------------

    def _write_padding(self, n: int) -> None:
        if n <= 0:
            return
        pad_char = "0" if self.f.zero and not self.f.minus else " "
        self.buf.append(pad_char * n)

    def _pad(self, text: str) -> None:
        f = self.f
        if not f.wid_present or f.wid == 0:
            self.buf.append(text)
            return
        width = f.wid - len(text)
        if not f.minus:
            self._write_padding(width)
            self.buf.append(text)
        else:
            self.buf.append(text)
            self._write_padding(width)

    # ---- bool -----------------------------------------------------------------------------

    def _fmt_bool(self, value: bool, verb: str, depth: int) -> None:
        if verb in "tv":
            self._pad("true" if value else "false")
        else:
            self._bad_verb(verb, value, top=depth == 0)

    # ---- integers -------------------------------------------------------------------------

    def _fmt_integer(self, number: int, signed: bool, verb: str, value: Any, depth: int) -> None:
        if verb in "vd":
            if verb == "v" and self.f.sharp_v and not signed:
                self._fmt_0x64(number, leading=True)
            else:
                self._integer(number, 10, verb, _LOWER_HEX)
        elif verb == "b":
            self._integer(number, 2, verb, _LOWER_HEX)
        elif verb in "oO":
            self._integer(number, 8, verb, _LOWER_HEX)
        elif verb == "x":
            self._integer(number, 16, verb, _LOWER_HEX)
        elif verb == "X":
            self._integer(number, 16, verb, _UPPER_HEX)
        elif verb == "c":
            self._pad(_rune(number))
        elif verb == "q":
            self._pad(_quote_rune(number, ascii_only=self.f.plus))
        elif verb == "U":
            self._fmt_unicode(number)
        else:
            self._bad_verb(verb, value, top=depth == 0)

    def _fmt_0x64(self, number: int, leading: bool) -> None:
        sharp = self.f.sharp
        self.f.sharp = leading
        self._integer(number, 16, "v", _LOWER_HEX)
        self.f.sharp = sharp

    def _integer(self, number: int, base: int, verb: str, digits: str) -> None:
        f = self.f
        negative = number < 0
        magnitude = -number if negative else number
        prec = 0
        if f.prec_present:
            prec = f.prec
            if prec == 0 and magnitude == 0:
                zero = f.zero
                f.zero = False
                self._write_padding(f.wid)
                f.zero = zero
                return
        elif f.zero and not f.minus and f.wid_present:
            prec = f.wid
            if negative or f.plus or f.space:
                prec -= 1
        body = _to_base(magnitude, base, digits)
        if len(body) < prec:
            body = "0" * (prec - len(body)) + body
        if f.sharp:
            if base == 2:
                body = "0b" + body
            elif base == 8 and not body.startswith("0"):
                body = "0" + body
            elif base == 16:
                body = "0" + digits[16] + body
        if verb == "O":
            body = "0o" + body
        if negative:
            body = "-" + body
        elif f.plus:
            body = "+" + body
        elif f.space:
            body = " " + body
        zero = f.zero
        f.zero = False
        self._pad(body)
        f.zero = zero

    def _fmt_unicode(self, number: int) -> None:
        f = self.f
        prec = 4
        if f.prec_present and f.prec > 4:
            prec = f.prec
        hex_digits = _to_base(number if number >= 0 else number & 0xFFFFFFFFFFFFFFFF, 16, _UPPER_HEX)
        text = "U+" + hex_digits.rjust(prec, "0")
        if f.sharp and 0 <= number <= 0x10FFFF and _is_print(chr(number)):
            text += " '" + chr(number) + "'"
        zero = f.zero
        f.zero = False
        self._pad(text)
        f.zero = zero

    # ---- floats ---------------------------------------------------------------------------

    def _fmt_float(self, value: float, verb: str, depth: int) -> None:
        if verb == "v":
            self._float(value, "g", -1)
        elif verb in "bgGxX":
            self._float(value, verb, -1)
        elif verb in "fFeE":
            self._float(value, "f" if verb == "F" else verb, 6)
        else:
            self._bad_verb(verb, value, top=depth == 0)

    def _float(self, value: float, verb: str, prec: int) -> None:
        f = self.f
        if f.prec_present:
            prec = f.prec
        num = format_float(value, verb, prec)
        num = num if num[0] in "+-" else "+" + num
        if f.space and num[0] == "+" and not f.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            zero = f.zero
            f.zero = False
            if num[1] == "N" and not f.space and not f.plus:
                num = num[1:]
            self._pad(num)
            f.zero = zero
            return
        if f.sharp and verb != "b":
            num = _force_decimal_point(num, verb, prec)
        if f.plus or num[0] != "+":
            if f.zero and not f.minus and f.wid_present and f.wid > len(num):
                self.buf.append(num[0])
                self._write_padding(f.wid - len(num))
                self.buf.append(num[1:])
                return
            self._pad(num)
            return
        self._pad(num[1:])

    # ---- strings --------------------------------------------------------------------------

    def _fmt_string(self, value: str, verb: str, depth: int) -> None:
        if verb == "v":
            if self.f.sharp_v:
                self._fmt_q(value)
            else:
                self._fmt_s(value)
        elif verb == "s":
            self._fmt_s(value)
        elif verb in "xX":
            self._fmt_sbx(value.encode("utf-8", "surrogateescape"), _LOWER_HEX if verb == "x" else _UPPER_HEX)
        elif verb == "q":
            self._fmt_q(value)
        else:
            self._bad_verb(verb, value, top=depth == 0)

    def _truncate(self, value: str) -> str:
        if self.f.prec_present:
            return value[: self.f.prec]
        return value

    def _fmt_s(self, value: str) -> None:
        self._pad(self._truncate(value))

    def _fmt_q(self, value: str) -> None:
        value = self._truncate(value)
        if self.f.sharp and can_backquote(value):
            self._pad("`" + value + "`")
        else:
            self._pad(go_quote(value, ascii_only=self.f.plus))

    def _fmt_sbx(self, data: bytes, digits: str) -> None:
        f = self.f
        length = len(data)
        if f.prec_present and f.prec < length:
            length = f.prec
        width = 2 * length
        if width > 0:
            if f.space:
                if f.sharp:
                    width *= 2
                width += length - 1
            elif f.sharp:
                width += 2
        else:
            if f.wid_present:
                self._write_padding(f.wid)
            return
        if f.wid_present and f.wid > width and not f.minus:
            self._write_padding(f.wid - width)
        parts: list[str] = []
        if f.sharp:
            parts.append("0" + digits[16])
        for index in range(length):
            if f.space and index > 0:
                parts.append(" ")
                if f.sharp:
                    parts.append("0" + digits[16])
            byte = data[index]
            parts.append(digits[byte >> 4] + digits[byte & 0xF])
        self.buf.append("".join(parts))
        if f.wid_present and f.wid > width and f.minus:
            self._write_padding(f.wid - width)

    # ---- byte slices --------------------------------------------------------------------

    def _fmt_bytes(self, data: bytes, verb: str, depth: int) -> None:
        if verb in "vd":
            if self.f.sharp_v:
                self.buf.append("[]byte{" + ", ".join(f"0x{b:x}" for b in data) + "}")
                return
            self.buf.append("[")
            for index, byte in enumerate(data):
                if index > 0:
                    self.buf.append(" ")
                self._integer(byte, 10, verb, _LOWER_HEX)
            self.buf.append("]")
        elif verb == "s":
            self._fmt_s(bytes_to_str(data))
        elif verb in "xX":
            self._fmt_sbx(data, _LOWER_HEX if verb == "x" else _UPPER_HEX)
        elif verb == "q":
            self._fmt_q(bytes_to_str(data))
        else:
            self.buf.append("[")
            for index, byte in enumerate(data):
                if index > 0:
                    self.buf.append(" ")
                self._fmt_integer(byte, signed=False, verb=verb, value=_Uint8(byte), depth=depth + 1)
            self.buf.append("]")

    # ---- composites ---------------------------------------------------------------------

    def _fmt_list(self, value: Sequence[Any], verb: str, depth: int) -> None:
        if self.f.sharp_v:
            self.buf.append(go_type_name(value) + "{")
            for index, item in enumerate(value):
                if index > 0:
                    self.buf.append(", ")
                self._print_value(item, verb, depth + 1)
            self.buf.append("}")
            return
        self.buf.append("[")
        for index, item in enumerate(value):
            if index > 0:
                self.buf.append(" ")
            self._print_value(item, verb, depth + 1)
        self.buf.append("]")

    def _fmt_map(self, value: dict[Any, Any], verb: str, depth: int) -> None:
        keys = sorted(value, key=_map_key_order)
        if self.f.sharp_v:
            self.buf.append(go_type_name(value) + "{")
        else:
            self.buf.append("map[")
        for index, key in enumerate(keys):
            if index > 0:
                self.buf.append(", " if self.f.sharp_v else " ")
            self._print_value(key, verb, depth + 1)
            self.buf.append(":")
            self._print_value(value[key], verb, depth + 1)
        self.buf.append("}" if self.f.sharp_v else "]")

    def _fmt_struct(self, value: GoObject, verb: str, depth: int) -> None:
        if value.go_type.startswith("*") and depth == 0:
            self.buf.append("&")
        self.buf.append("{")
        for index, (field_name, attribute) in enumerate(value.go_fields.items()):
            if index > 0:
                self.buf.append(", " if self.f.sharp_v else " ")
            if self.f.plus_v or self.f.sharp_v:
                self.buf.append(field_name + ":")
            self._print_value(getattr(value, attribute), verb, depth + 1)
        self.buf.append("}")

    def _fmt_pointer(self, value: Any, verb: str, top: bool) -> None:
        if isinstance(value, (dict, list)):
            # Go prints the address; any stable hex number is as good as Go's.
            self._fmt_0x64(id(value), leading=not self.f.sharp)
            return
        self._bad_verb(verb, value, top=top)


class _Uint8(int):
    """A byte of a []byte printed element by element (reported as uint8 in errors)."""

    __slots__ = ()


def _type_name(value: Any) -> str:
    return "uint8" if isinstance(value, _Uint8) else go_type_name(value)


def _parse_num(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num = 0
    is_num = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if num > _MAX_WIDTH:
            return 0, False, end
        num = num * 10 + ord(s[i]) - ord("0")
        is_num = True
        i += 1
    return num, is_num, i


def _parse_arg_number(fmt: str) -> tuple[int, int, bool]:
    if len(fmt) < 3:
        return 0, 1, False
    for i in range(1, len(fmt)):
        if fmt[i] == "]":
            width, ok, new_i = _parse_num(fmt, 1, i)
            if not ok or new_i != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _int_from_arg(args: Sequence[Any], arg_num: int) -> tuple[int, bool, int]:
    if arg_num >= len(args):
        return 0, False, arg_num
    arg = args[arg_num]
    is_int = isinstance(arg, int) and not isinstance(arg, bool)
    num = int(arg) if is_int else 0
    if is_int and not -_MAX_WIDTH <= num <= _MAX_WIDTH:
        num, is_int = 0, False
    return num, is_int, arg_num + 1


def _to_base(number: int, base: int, digits: str) -> str:
    if number == 0:
        return "0"
    out: list[str] = []
    while number:
        number, rem = divmod(number, base)
        out.append(digits[rem])
    return "".join(reversed(out))


def _map_key_order(key: Any) -> tuple[int, Any]:
    # internal/fmtsort orders keys of one type by value; nil-able/mixed keys fall back to type.
    if isinstance(key, str):
        return (1, key)
    if isinstance(key, bool):
        return (0, int(key))
    if isinstance(key, (int, float)):
        return (0, key)
    return (2, str(key))


# ---- runes and quoting ----------------------------------------------------------------


def _rune(number: int) -> str:
    if 0 <= number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
        return chr(number)
    return "\ufffd"


def _is_print(char: str) -> bool:
    # unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    return char == " " or unicodedata.category(char)[0] in "LMNPS"


def can_backquote(value: str) -> bool:
    for char in value:
        if char == "`" or char == "\ufeff" or 0xD800 <= ord(char) <= 0xDFFF:
            return False
        if (ord(char) < 0x20 and char != "\t") or char == "\x7f":
            return False
    return True


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _escape_rune(char: str, quote: str, ascii_only: bool) -> str:
    code = ord(char)
    if char == quote or char == "\\":
        return "\\" + char
    if 0xDC80 <= code <= 0xDCFF:
        # A byte that was not valid UTF-8 (see bytes_to_str).
        return f"\\x{code - 0xDC00:02x}"
    if ascii_only:
        if code < 0x80 and _is_print(char):
            return char
    elif _is_print(char):
        return char
    if char in _ESCAPES:
        return _ESCAPES[char]
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def go_quote(value: str, ascii_only: bool = False) -> str:
    """strconv.Quote (QuoteToASCII when ascii_only)."""
    if value.isascii() and value.isprintable():
        # Printable ASCII needs only quotes and backslashes escaped.
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"' + "".join(_escape_rune(char, '"', ascii_only) for char in value) + '"'


def _quote_rune(number: int, ascii_only: bool) -> str:
    char = _rune(number)
    return "'" + _escape_rune(char, "'", ascii_only) + "'"


# ---- float formatting (strconv.FormatFloat) -----------------------------------------------


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of abs(value) and Go's decimal point position:
    value = 0.DIGITS × 10^dp."""
    _, digits, dp = shortest_digits(abs(value))
    return digits, dp


def _fmt_e(negative: bool, digits: str, dp: int, prec: int, verb: str) -> str:
    first = digits[0] if digits else "0"
    frac = digits[1:] if prec < 0 else digits[1 : 1 + prec].ljust(prec, "0")
    exp = 0 if digits == "0" else dp - 1
    sign = "-" if exp < 0 else "+"
    mantissa = first + ("." + frac if frac else "")
    return ("-" if negative else "") + f"{mantissa}{verb}{sign}{abs(exp):02d}"


def _fmt_f(negative: bool, digits: str, dp: int, prec: int) -> str:
    integer = digits[:dp].ljust(dp, "0") if dp > 0 else "0"
    frac_digits = []
    for index in range(prec):
        position = dp + index
        frac_digits.append(digits[position] if 0 <= position < len(digits) else "0")
    text = integer + ("." + "".join(frac_digits) if prec > 0 else "")
    return ("-" if negative else "") + text


def _format_hex_float(value: float, verb: str, prec: int) -> str:
    negative = math.copysign(1.0, value) < 0
    value = abs(value)
    if value == 0:
        mantissa, exp = 0, 0
    else:
        frac, exp = math.frexp(value)  # value = frac * 2**exp, frac in [0.5, 1)
        mantissa = int(frac * (1 << 53))  # 53 significant bits, leading bit 1<<52
        exp -= 1
    # Go shifts so the leading 1 sits at bit 60, leaving 15 hex digits of fraction.
    mantissa <<= 60 - 52
    if 0 <= prec <= 15:
        shift = 60 - prec * 4
        extra = mantissa & ((1 << shift) - 1)
        mantissa >>= shift
        half = 1 << (shift - 1)
        if extra > half or (extra == half and mantissa & 1):
            mantissa += 1
        mantissa <<= shift
        if mantissa >> 61:
            mantissa >>= 1
            exp += 1
    hex_digits = _LOWER_HEX if verb == "x" else _UPPER_HEX
    leading = str(mantissa >> 60 & 1)
    frac_digits = ""
    rest = mantissa & ((1 << 60) - 1)
    count = 15 if prec < 0 else prec
    for _ in range(count):
        rest <<= 4
        frac_digits += hex_digits[(rest >> 60) & 0xF]
        rest &= (1 << 60) - 1
    if prec < 0:
        frac_digits = frac_digits.rstrip("0")
    text = "0" + hex_digits[16] + leading
    if frac_digits:
        text += "." + frac_digits
    text += "p" if verb == "x" else "P"
    text += ("-" if exp < 0 else "+") + f"{abs(exp):02d}"
    return ("-" if negative else "") + text


def format_float(value: float, verb: str, prec: int) -> str:
    """strconv.FormatFloat(value, verb, prec, 64); prec -1 means the shortest exact digits."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if verb in "xX":
        return _format_hex_float(value, verb, prec)
    if verb == "b":
        mantissa, exponent = _float_bits(value)
        return ("-" if math.copysign(1.0, value) < 0 else "") + f"{mantissa}p{exponent:+d}"
    negative = math.copysign(1.0, value) < 0
    if prec >= 0:
        # With an explicit precision Python's correctly rounded e/f/g match strconv.
        text = f"{abs(value):.{prec}{verb.lower()}}"
        return ("-" if negative else "") + (text.upper() if verb in "EG" else text)
    digits, dp = _shortest_digits(value)
    if verb in "eE":
        return _fmt_e(negative, digits, dp, len(digits) - 1, verb)
    if verb == "f":
        return _fmt_f(negative, digits, dp, max(len(digits) - dp, 0))
    # 'g' / 'G'
    # Shortest %g switches to exponent form outside 1e-4 <= |value| < 1e6 (strconv's eprec 6).
    exp = 0 if digits == "0" else dp - 1
    if exp < -4 or exp >= 6:
        return _fmt_e(negative, digits, dp, len(digits) - 1, "e" if verb == "g" else "E")
    return _fmt_f(negative, digits, dp, max(len(digits) - dp, 0))


def _float_bits(value: float) -> tuple[int, int]:
    if value == 0:
        return 0, -1074
    frac, exp = math.frexp(abs(value))
    mantissa = int(frac * (1 << 53))
    exponent = exp - 53
    if exponent < -1074:
        shift = -1074 - exponent
        mantissa >>= shift
        exponent = -1074
    return mantissa, exponent


def _force_decimal_point(num: str, verb: str, prec: int) -> str:
    """The `#` flag: keep a decimal point and, for %g/%v, trailing zeros up to the precision."""
    digits = prec if verb in "vgGxX" else 0
    if verb in "vgGxX" and digits == -1:
        digits = 6
    tail = ""
    has_point = False
    saw_nonzero = False
    body = num
    i = 1
    while i < len(body):
        c = body[i]
        if c == ".":
            has_point = True
        elif c in "pP" or (c in "eE" and verb not in "xX"):
            tail = body[i:]
            body = body[:i]
            break
        else:
            if c != "0":
                saw_nonzero = True
            if saw_nonzero:
                digits -= 1
        i += 1
    if not has_point:
        if len(body) == 2 and body[1] == "0":
            digits -= 1
        body += "."
    if digits > 0:
        body += "0" * digits
    return body + tail


__all__ = [
    "Int64",
    "bytes_to_str",
    "format_float",
    "format_value",
    "go_quote",
    "sprint",
    "sprintf",
    "sprintln",
]
