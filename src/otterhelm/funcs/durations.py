"""Helm's duration helpers (helm pkg/engine/funcs.go, added to Helm in 2026 and present in
v4.3): `mustToDuration`, `durationSeconds`/`Milliseconds`/`Microseconds`/`Nanoseconds`/
`Minutes`/`Hours`/`Days`/`Weeks`, `durationRoundTo` and `durationTruncateTo`.

Inputs are time.Duration values, duration strings ("1h2m"), numeric strings and numbers
(seconds). The conversions return 0 on a bad input; `mustToDuration` fails instead.
"""

from __future__ import annotations

import math

from otterhelm.funcs.cast import go_parse_float
from otterhelm.funcs.gotime import HOUR, MICROSECOND, MILLISECOND, MINUTE, SECOND, TimeError, duration_string
from otterhelm.funcs.gotime import parse_duration as go_parse_duration
from otterhelm.funcs.gotime import round_duration as go_round
from otterhelm.funcs.strings import go_trim_space
from otterhelm.template.fmt import format_value, go_quote
from otterhelm.template.gotypes import ANY, MISSING, Func, FuncError, GoObject, Int64, go_type_name
from otterhelm.template.strconv import StrconvError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

_INT64_MAX = (1 << 63) - 1
_INT64_MIN = -(1 << 63)
# Go's int64 division truncates toward zero.
_MAX_SECONDS = _INT64_MAX // SECOND
_MIN_SECONDS = -(-_INT64_MIN // SECOND)
_MAX_SECONDS_FLOAT = float(_INT64_MAX) / float(SECOND)
_MIN_SECONDS_FLOAT = float(_INT64_MIN) / float(SECOND)


class GoDuration(Int64, GoObject):
    """A Go time.Duration: an int64 of nanoseconds that prints as "1h2m3s"."""

    go_type: ClassVar[str] = "time.Duration"

    def go_string(self) -> str | None:
        return duration_string(int(self))


class DurationError(ValueError):
    pass


def _quo(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def _from_seconds_float(seconds: float) -> int:
    if math.isnan(seconds) or math.isinf(seconds):
        raise DurationError(f"invalid duration seconds: {format_value(seconds)}")
    if seconds > _MAX_SECONDS_FLOAT or seconds < _MIN_SECONDS_FLOAT:
        raise DurationError(f"duration seconds overflow: {format_value(seconds)}")
    nanos = seconds * float(SECOND)
    if nanos > float(_INT64_MAX) or nanos < float(_INT64_MIN):
        raise DurationError(f"duration nanoseconds overflow: {format_value(nanos)}")
    return int(nanos)


def as_duration(value: Any) -> int:
    """Helm's asDuration: nanoseconds, or DurationError with Helm's message."""
    if isinstance(value, GoDuration):
        return int(value)
    if isinstance(value, str):
        text = go_trim_space(value)
        if not text:
            raise DurationError("empty duration")
        try:
            return go_parse_duration(text)
        except TimeError:
            pass
        try:
            return _from_seconds_float(go_parse_float(text))
        except StrconvError:
            raise DurationError(f"could not parse duration {go_quote(value)}") from None
    if value is None or value is MISSING:
        raise DurationError("invalid duration")
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = int(value)
        if seconds > _MAX_SECONDS or seconds < _MIN_SECONDS:
            raise DurationError(f"duration seconds overflow: {seconds}")
        return seconds * SECOND
    if isinstance(value, float):
        return _from_seconds_float(value)
    raise DurationError(f"unsupported duration type {go_type_name(value)}")


def _or_zero(value: Any) -> int | None:
    try:
        return as_duration(value)
    except DurationError:
        return None


def must_to_duration(value: Any) -> GoDuration:
    try:
        return GoDuration(as_duration(value))
    except DurationError as error:
        raise FuncError(str(error)) from None


def _split(nanos: int, unit: int) -> float:
    whole = _quo(nanos, unit)
    return float(whole) + float(nanos - whole * unit) / float(unit)


def duration_seconds(value: Any) -> float:
    nanos = _or_zero(value)
    return 0.0 if nanos is None else _split(nanos, SECOND)


def duration_minutes(value: Any) -> float:
    nanos = _or_zero(value)
    return 0.0 if nanos is None else _split(nanos, MINUTE)


def duration_hours(value: Any) -> float:
    nanos = _or_zero(value)
    return 0.0 if nanos is None else _split(nanos, HOUR)


def duration_days(value: Any) -> float:
    nanos = _or_zero(value)
    return 0.0 if nanos is None else _split(nanos, HOUR) / 24.0


def duration_weeks(value: Any) -> float:
    nanos = _or_zero(value)
    return 0.0 if nanos is None else _split(nanos, HOUR) / 24.0 / 7.0


def _integer_unit(unit: int) -> Any:
    def convert(value: Any) -> Int64:
        nanos = _or_zero(value)
        return Int64(0 if nanos is None else _quo(nanos, unit))

    return convert


def duration_round_to(value: Any, multiple: Any) -> GoDuration:
    nanos = _or_zero(value)
    if nanos is None:
        return GoDuration(0)
    step = _or_zero(multiple)
    if step is None:
        return GoDuration(nanos)
    return GoDuration(go_round(nanos, step))


def duration_truncate_to(value: Any, multiple: Any) -> GoDuration:
    nanos = _or_zero(value)
    if nanos is None:
        return GoDuration(0)
    step = _or_zero(multiple)
    if step is None or step <= 0:
        return GoDuration(nanos)
    return GoDuration(nanos - (nanos - _quo(nanos, step) * step))


FUNCS: dict[str, Func] = {
    "mustToDuration": Func(must_to_duration, (ANY,)),
    "durationSeconds": Func(duration_seconds, (ANY,)),
    "durationMilliseconds": Func(_integer_unit(MILLISECOND), (ANY,)),
    "durationMicroseconds": Func(_integer_unit(MICROSECOND), (ANY,)),
    "durationNanoseconds": Func(_integer_unit(1), (ANY,)),
    "durationMinutes": Func(duration_minutes, (ANY,)),
    "durationHours": Func(duration_hours, (ANY,)),
    "durationDays": Func(duration_days, (ANY,)),
    "durationWeeks": Func(duration_weeks, (ANY,)),
    "durationRoundTo": Func(duration_round_to, (ANY, ANY)),
    "durationTruncateTo": Func(duration_truncate_to, (ANY, ANY)),
}
