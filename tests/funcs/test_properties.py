"""Properties that Go's specifications pin down: strconv's shortest float formatting
round-trips and uses exponent form outside [1e-4, 1e21) for %v exactly when Go does;
spf13/cast and strconv conversions agree with Go's integer syntax; base64/base32 decoders
invert the encoders."""

from __future__ import annotations

import base64
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from otterhelm.funcs.cast import atoi, to_float64, to_int64, wrap_int64
from otterhelm.funcs.encoding import b32dec, b32enc, b64dec, b64enc
from otterhelm.template.fmt import format_float, format_value, sprintf


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_shortest_g_round_trips(value: float) -> None:
    text = format_float(value, "g", -1)
    assert float(text) == value
    # strconv 'g' with the shortest digits uses %e when the decimal exponent is < -4 or >= 6.
    exponent = Decimal(repr(value)).adjusted() if value else 0
    assert ("e" in text) == (exponent < -4 or exponent >= 6)


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=0, max_value=20))
def test_fixed_precision_matches_correct_rounding(value: float, precision: int) -> None:
    assert sprintf(f"%.{precision}f", value) == f"{value:.{precision}f}"
    assert float(sprintf(f"%.{precision}e", value)) == float(f"{value:.{precision}e}")


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_integer_strings_convert_like_go(number: int) -> None:
    assert to_int64(str(number)) == number
    assert to_int64(hex(number)) == number
    assert atoi(str(number)) == number
    assert format_value(number) == str(number)


@given(st.integers())
def test_int64_wraps(number: int) -> None:
    wrapped = wrap_int64(number)
    assert -(2**63) <= wrapped < 2**63
    assert (wrapped - number) % 2**64 == 0


@given(st.floats(allow_nan=False))
def test_float_strings_convert(value: float) -> None:
    assert to_float64(repr(value)) == value


@given(st.text())
def test_base64_and_base32_round_trip(text: str) -> None:
    assert b64dec(b64enc(text)) == text
    assert b32dec(b32enc(text)) == text
    assert b64enc(text) == base64.b64encode(text.encode()).decode()
