"""shortest_digits reads the digits and point off repr; checked against decimal's exact
reading of the same repr for edge values and arbitrary finite floats."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from otterhelm.codec.gofloat import shortest_digits


def _by_decimal(value: float) -> tuple[bool, str, int]:
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits:
        return bool(sign), "0", 1
    return bool(sign), digits.rstrip("0"), len(digits) + exponent


EDGES = [0.0, -0.0, 1.0, -1.5, 0.1, 100.0, 1e16, 1e21, 1e22, 1e-7, 0.000123, 5e-324, 1.7976931348623157e308]


def test_edge_values() -> None:
    assert shortest_digits(0.0) == (False, "0", 1)
    assert shortest_digits(-0.0) == (True, "0", 1)
    assert shortest_digits(1e21) == (False, "1", 22)
    assert shortest_digits(0.000123) == (False, "123", -3)
    for value in EDGES:
        assert shortest_digits(value) == _by_decimal(value), value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float(value: float) -> None:
    assert not math.isnan(value)
    assert shortest_digits(value) == _by_decimal(value)
