"""Go's strconv float formatting with the shortest round-trip digits.

Python's `repr(float)` already finds the shortest digit string that round-trips (the same
digits Go's `FormatFloat(f, fmt, -1, 64)` chooses); only the layout differs, so these
functions re-lay those digits out the way Go does.
"""

from __future__ import annotations

import math


def shortest_digits(value: float) -> tuple[bool, str, int]:
    """(negative, digits, point) with |value| = 0.DIGITS * 10**point, digits without
    leading or trailing zeros ("0" for zero). Finite values only.

    Python's repr is already the shortest round-trip form Go's 'g' -1 precision uses, so
    only its digits and exponent are read off (without the slow-loading decimal module)."""
    text = repr(value)
    negative = text[0] == "-"
    mantissa, _, exponent = text.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return negative, "0", 1
    point = len(digits) + (int(exponent) if exponent else 0) - len(fraction)
    return negative, digits.rstrip("0"), point


def _shortest_float32(value: float) -> float:
    """The float64 whose repr gives the shortest digits that identify `value` as a float32
    (FormatFloat(f, 'g', -1, 32))."""
    import struct  # float32 formatting only

    try:
        target = float(struct.unpack("<f", struct.pack("<f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)
    if math.isinf(target) or target == 0:
        return float(target)
    for precision in range(1, 10):
        candidate = float(f"{target:.{precision}g}")
        if struct.unpack("<f", struct.pack("<f", candidate))[0] == target:
            return candidate
    return target


def _special(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return None


def _layout_e(negative: bool, digits: str, point: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exponent = point - 1 if digits != "0" else 0
    sign = "-" if exponent < 0 else "+"
    return ("-" if negative else "") + f"{mantissa}e{sign}{abs(exponent):02d}"


def _layout_f(negative: bool, digits: str, point: int) -> str:
    if digits == "0":
        text = "0"
    elif point <= 0:
        text = "0." + "0" * (-point) + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    return ("-" if negative else "") + text


def format_g(value: float, single: bool = False) -> str:
    """strconv.FormatFloat(value, 'g', -1, 64) (or 32 with `single`): fmt's %v for float64."""
    if single:
        value = _shortest_float32(value)
    special = _special(value)
    if special is not None:
        return special
    negative, digits, point = shortest_digits(value)
    exponent = point - 1
    # With shortest digits Go fixes the exponent threshold at eprec = 6.
    if digits != "0" and (exponent < -4 or exponent >= 6):
        return _layout_e(negative, digits, point)
    return _layout_f(negative, digits, point)


def format_json(value: float) -> str:
    """encoding/json's float64 text: plain decimal unless abs < 1e-6 or abs >= 1e21."""
    special = _special(value)
    if special is not None:
        raise ValueError(f"json: unsupported value: {special}")
    negative, digits, point = shortest_digits(value)
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = _layout_e(negative, digits, point)
        # Go trims a leading zero from a negative two-digit exponent: 1e-07 becomes 1e-7.
        if text[-4:-1] == "e-0":
            text = text[:-2] + text[-1]
        return text
    return _layout_f(negative, digits, point)
