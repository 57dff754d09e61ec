"""spf13/cast v1.7.0 conversions (ToInt, ToInt64, ToFloat64) and the strconv parsers sprig
calls directly (Atoi, ParseInt base 8), with Go's int64 wrap-around.

cast parses strings with `strconv.ParseInt(trimZeroDecimal(s), 0, 0)`, so `"0x1F"` is 31,
`"010"` is 8 and `"3.0"` is 3, while `"3.7"` fails and converts to 0 (helm-facts §2.3).
"""

from __future__ import annotations

import math
import re

from otterhelm.template.gotypes import MISSING
from otterhelm.template.strconv import StrconvError, parse_float, parse_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

_SPECIAL_FLOAT = re.compile(r"[+-]?(inf|infinity|nan)", re.IGNORECASE)
_DECIMAL_INT = re.compile(r"[+-]?[0-9]+")
_OCTAL_INT = re.compile(r"[+-]?[0-7]+")


def wrap_int64(value: int) -> int:
    """Go's two's-complement int64 overflow."""
    return ((value - INT64_MIN) % (1 << 64)) + INT64_MIN


def float_to_int64(value: float) -> int:
    """Go's int64(f) on amd64: truncation; NaN and out-of-range give the minimum int64."""
    if math.isnan(value) or math.isinf(value):
        return INT64_MIN
    truncated = int(value)
    if not INT64_MIN <= truncated <= INT64_MAX:
        return INT64_MIN
    return truncated


def _trim_zero_decimal(text: str) -> str:
    found_zero = False
    for index in range(len(text), 0, -1):
        char = text[index - 1]
        if char == ".":
            if found_zero:
                return text[: index - 1]
        elif char == "0":
            found_zero = True
        else:
            return text
    return text


def to_int64(value: Any) -> int:
    """cast.ToInt64 (errors become 0)."""
    if value is None or value is MISSING:
        return 0
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return wrap_int64(value)
    if isinstance(value, float):
        return float_to_int64(value)
    if isinstance(value, str):
        try:
            return parse_int(_trim_zero_decimal(value))
        except StrconvError:
            return 0
    return 0


def to_int(value: Any) -> int:
    """cast.ToInt: the same conversions as ToInt64 (Go's int is 64 bits here)."""
    return to_int64(value)


def go_parse_float(text: str) -> float:
    """strconv.ParseFloat(s, 64), including Inf/NaN spellings; raises StrconvError."""
    if _SPECIAL_FLOAT.fullmatch(text):
        body = text.lstrip("+-").lower()
        if body == "nan":
            return math.nan
        return -math.inf if text.startswith("-") else math.inf
    if not text.isascii():
        raise StrconvError("invalid syntax")
    return parse_float(text)


def to_float64(value: Any) -> float:
    """cast.ToFloat64 (errors become 0)."""
    if value is None or value is MISSING:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        try:
            return go_parse_float(value)
        except StrconvError:
            return 0.0
    return 0.0


def atoi(text: str) -> int:
    """strconv.Atoi with the error dropped (sprig's `atoi`): a syntax error gives 0, an
    out-of-range number the nearest int64, as ParseInt returns alongside its error."""
    if not _DECIMAL_INT.fullmatch(text) or not text.isascii():
        return 0
    return min(max(int(text), INT64_MIN), INT64_MAX)


def parse_octal(text: str) -> int:
    """strconv.ParseInt(s, 8, 64) with errors as 0 (sprig's toDecimal)."""
    if not _OCTAL_INT.fullmatch(text) or not text.isascii():
        return 0
    number = int(text, 8)
    return number if INT64_MIN <= number <= INT64_MAX else 0
