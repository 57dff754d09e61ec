"""How go-yaml decides what a plain YAML scalar means (go-yaml v2 and v3 `resolve`).

The loader uses it to type plain scalars, and the emitters use it the other way round: a
string that would read back as something else must be quoted. YAML 1.1 rules as go-yaml v2
applies them: `y/n/yes/no/on/off` are booleans, `0777` is octal, `_` is ignored in numbers,
timestamps are recognised (and kept as strings by the decoder).
"""

from __future__ import annotations

import functools
import math
import re
from enum import Enum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Tag(Enum):
    NULL = "null"
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STR = "str"
    TIMESTAMP = "timestamp"
    MERGE = "merge"


_V2_WORDS: dict[str, tuple[Tag, Any]] = {}
for _words, _resolved in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), (Tag.BOOL, True)),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), (Tag.BOOL, False)),
    (("", "~", "null", "Null", "NULL"), (Tag.NULL, None)),
    ((".nan", ".NaN", ".NAN"), (Tag.FLOAT, float("nan"))),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (Tag.FLOAT, float("inf"))),
    (("-.inf", "-.Inf", "-.INF"), (Tag.FLOAT, float("-inf"))),
    (("<<",), (Tag.MERGE, "<<")),
):
    for _word in _words:
        _V2_WORDS[_word] = _resolved

# go-yaml v3 reads YAML 1.2 booleans only; its encoder still quotes the YAML 1.1 words.
_V3_WORDS = {
    word: resolved
    for word, resolved in _V2_WORDS.items()
    if resolved[0] is not Tag.BOOL or word.lower() in ("true", "false")
}
OLD_BOOLS = frozenset(word for word, resolved in _V2_WORDS.items() if resolved[0] is Tag.BOOL)
# Plain words go-yaml v2 reads as something other than a string (bools, nulls, special floats, `<<`).
RESERVED_WORDS = frozenset(_V2_WORDS)

_YAML_STYLE_FLOAT = r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
_BASE60_FLOAT = r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
_GO_DECIMAL_FLOAT = r"[-+]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][-+]?[0-9](?:_?[0-9])*)?"
_GO_HEX_FLOAT = r"[-+]?0[xX](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F_]*)?[pP][-+]?[0-9](?:_?[0-9])*"
_GO_SPECIAL_FLOAT = r"(?i)[-+]?(?:inf|infinity|nan)"
_TIMESTAMP = (
    r"(\d{4})-(\d\d?)-(\d\d?)"
    r"(?:(?:([Tt])|( ))(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d+))?(Z|[+-]\d\d:\d\d)?)?"
)


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    """The patterns above, compiled when first used (this module loads on every run)."""
    return re.compile(source)


_NUMERIC_ALPHABET = frozenset("0123456789abcdefABCDEFxXoObBpP_+-.:tTzZ ,")
_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_UINT64_MAX = (1 << 64) - 1


def _go_parse_int_base0(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64) on text without underscores, or None on error."""
    body = text
    negative = False
    if body[:1] in "+-" and body:
        negative = body[0] == "-"
        body = body[1:]
    magnitude = _go_parse_unsigned_base0(body)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    if value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


def _go_parse_unsigned_base0(body: str) -> int | None:
    if not body:
        return None
    base = 10
    digits = body
    if body[0] == "0" and len(body) > 1:
        prefix = body[1].lower()
        if prefix == "x":
            base, digits = 16, body[2:]
        elif prefix == "o":
            base, digits = 8, body[2:]
        elif prefix == "b":
            base, digits = 2, body[2:]
        else:
            base, digits = 8, body[1:]
    if not digits or not all(
        character in "0123456789abcdefABCDEF"[: base + (base > 10) * (base - 10)] for character in digits
    ):
        return None
    return int(digits, base)


def _go_parse_uint_base0(text: str) -> int | None:
    if text[:1] in "+-":
        return None
    value = _go_parse_unsigned_base0(text)
    if value is None or value > _UINT64_MAX:
        return None
    return value


def go_parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64), or None where Go returns an error (including overflow)."""
    if _pattern(_GO_SPECIAL_FLOAT).fullmatch(text):
        return (
            float(text.replace("inity", "").replace("INITY", "")) if "inity" in text.lower() else float(text)
        )
    if _pattern(_GO_DECIMAL_FLOAT).fullmatch(text):
        value = float(text.replace("_", ""))
    elif _pattern(_GO_HEX_FLOAT).fullmatch(text):
        value = float.fromhex(text.replace("_", ""))
    else:
        return None
    if value in (float("inf"), float("-inf")):
        return None
    return value


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    # Gregorian leap years, as Go's time package counts them (no calendar import at start-up).
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def is_timestamp(text: str) -> bool:
    """go-yaml's parseTimestamp: one of its four time.Parse layouts accepts the whole text."""
    if len(text) < 5 or not text[:4].isdigit() or text[4] != "-":
        return False
    match = _pattern(_TIMESTAMP).fullmatch(text)
    if match is None:
        return False
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        return False
    if match.group(6) is None:
        return True
    if match.group(5) is not None and match.group(10) is not None:
        return False  # the space-separated layout takes no zone
    if match.group(4) is not None and match.group(10) is None:
        return False  # the T layouts require a zone
    hour, minute, second = int(match.group(6)), int(match.group(7)), int(match.group(8))
    return hour < 24 and minute < 60 and second < 60


def resolve(text: str, *, v3: bool = False) -> tuple[Tag, Any]:
    """The tag and value go-yaml gives the plain scalar `text`."""
    words = _V3_WORDS if v3 else _V2_WORDS
    hint = text[:1]
    if text in words:
        return words[text]
    if hint == ".":
        value = go_parse_float(text)
        if value is not None:
            return Tag.FLOAT, value
    elif hint and (hint in "+-" or (hint.isdigit() and hint.isascii())):
        if not _NUMERIC_ALPHABET.issuperset(text):
            # A character no number, timestamp or sexagesimal form uses ("100m", "128Mi").
            return Tag.STR, text
        if is_timestamp(text):
            return Tag.TIMESTAMP, text
        plain = text.replace("_", "")
        integer = _go_parse_int_base0(plain)
        if integer is None:
            integer = _go_parse_uint_base0(plain)
        if integer is not None:
            return Tag.INT, integer
        if _pattern(_YAML_STYLE_FLOAT).fullmatch(plain):
            value = go_parse_float(plain)
            if value is not None:
                return Tag.FLOAT, value
        binary_integer = _resolve_binary(plain, v3)
        if binary_integer is not None:
            return Tag.INT, binary_integer
    return Tag.STR, text


class NonFiniteNumber(ValueError):
    """A number JSON cannot hold (NaN, infinities): encoding/json refuses it."""

    def __init__(self, number: float) -> None:
        super().__init__(number)
        self.number = number


def json_scalar(tag: Tag, resolved: Any, text: str) -> Any:
    """The value sigs.k8s.io/yaml gives a resolved scalar after its JSON round trip:
    timestamps stay text, every number becomes a float64. Raises NonFiniteNumber."""
    if tag is Tag.TIMESTAMP or tag is Tag.STR or tag is Tag.MERGE:
        return text if tag is not Tag.STR else resolved
    if tag is Tag.NULL or tag is Tag.BOOL:
        return resolved
    number = float(resolved)
    if math.isnan(number) or math.isinf(number):
        raise NonFiniteNumber(number)
    return number


def _resolve_binary(plain: str, v3: bool) -> int | None:
    if plain.startswith("0b"):
        digits = plain[2:]
        if digits and set(digits) <= {"0", "1"}:
            value = int(digits, 2)
            return value if value <= _UINT64_MAX else None
    elif plain.startswith("-0b") and not v3:
        digits = plain[3:]
        if digits and set(digits) <= {"0", "1"}:
            value = -int(digits, 2)
            return value if value >= _INT64_MIN else None
    return None


def is_base60_float(text: str) -> bool:
    """go-yaml's isBase60Float: `1:20` would have been a sexagesimal float in YAML 1.1."""
    if not text or not (text[0] in "+-" or (text[0].isdigit() and text[0].isascii())) or ":" not in text:
        return False
    return _pattern(_BASE60_FLOAT).fullmatch(text) is not None


def needs_quotes_v2(text: str) -> bool:
    """go-yaml v2 stringv: a string that would not read back as the same string. (`<<`
    resolves to the merge tag yet is written plain, as Go does.)"""
    return resolve(text)[0] not in (Tag.STR, Tag.MERGE) or is_base60_float(text)


def needs_quotes_v3(text: str) -> bool:
    """go-yaml v3 stringv: like v2 plus the YAML 1.1 booleans it no longer reads as bools."""
    tag = resolve(text, v3=True)[0]
    return tag not in (Tag.STR, Tag.MERGE) or is_base60_float(text) or text in OLD_BOOLS
