"""Sprig's date functions (date.go) on otterhelm.funcs.gotime.

Dates accept a time.Time or Unix seconds as Go int/int64 only: any other value (a float64
from values.yaml included) means "now", as in sprig. `duration` likewise reads only an
int64 or a string, so a literal int gives `0s` (helm-facts §2.3).
"""

from __future__ import annotations

from otterhelm.funcs.cast import wrap_int64
from otterhelm.funcs.gotime import (
    HOUR,
    MINUTE,
    SECOND,
    UTC_LOCATION,
    GoTime,
    TimeError,
    duration_string,
    load_location,
    local_location,
    parse_duration,
    parse_in_location,
    round_duration,
)
from otterhelm.template.gotypes import ANY, STRING, Func, FuncError, Int64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _as_time(value: Any) -> GoTime:
    if isinstance(value, GoTime):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return GoTime(int(value), 0, local_location())
    return GoTime.now()


def date_in_zone(layout: str, value: Any, zone: str) -> str:
    moment = _as_time(value)
    try:
        location = load_location(zone)
    except TimeError:
        location = UTC_LOCATION
    return moment.in_location(location).format(layout)


def date(layout: str, value: Any) -> str:
    return date_in_zone(layout, value, "Local")


def html_date(value: Any) -> str:
    return date_in_zone("2006-01-02", value, "Local")


def html_date_in_zone(value: Any, zone: str) -> str:
    return date_in_zone("2006-01-02", value, zone)


def date_modify(change: str, moment: GoTime) -> GoTime:
    try:
        return moment.add(parse_duration(change))
    except TimeError:
        return moment


def must_date_modify(change: str, moment: GoTime) -> GoTime:
    try:
        return moment.add(parse_duration(change))
    except TimeError as error:
        raise FuncError(str(error)) from None


def ago(value: Any) -> str:
    if isinstance(value, GoTime):
        moment = value
    elif isinstance(value, int) and not isinstance(value, bool) and type(value) in (int, Int64):
        moment = GoTime(int(value), 0, local_location())
    else:
        moment = GoTime.now()
    return duration_string(round_duration(GoTime.now().sub_ns(moment), SECOND))


def duration(value: Any) -> str:
    seconds = 0
    if isinstance(value, str):
        text = value
        if (text[:1] in "+-" and text[1:].isdigit()) or text.isdigit():
            number = int(text)
            seconds = number if -(1 << 63) <= number < (1 << 63) else 0
    elif type(value) is Int64:
        seconds = int(value)
    return duration_string(wrap_int64(seconds * SECOND))


def duration_round(value: Any) -> str:
    nanos = 0
    if isinstance(value, str):
        try:
            nanos = parse_duration(value)
        except TimeError:
            nanos = 0
    elif type(value) is Int64:
        nanos = int(value)
    elif isinstance(value, GoTime):
        nanos = GoTime.now().sub_ns(value)
    magnitude = abs(nanos)
    year = HOUR * 24 * 365
    month = HOUR * 24 * 30
    day = HOUR * 24
    for unit, suffix in ((year, "y"), (month, "mo"), (day, "d"), (HOUR, "h"), (MINUTE, "m"), (SECOND, "s")):
        if magnitude > unit:
            return f"{magnitude // unit}{suffix}"
    return "0s"


def to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_in_location(layout, text, local_location())
    except TimeError:
        return GoTime.zero()


def must_to_date(layout: str, text: str) -> GoTime:
    try:
        return parse_in_location(layout, text, local_location())
    except TimeError as error:
        raise FuncError(str(error)) from None


def unix_epoch(moment: GoTime) -> str:
    return str(moment.unix)


_TIME = "time.Time"

FUNCS: dict[str, Func] = {
    "ago": Func(ago, (ANY,)),
    "date": Func(date, (STRING, ANY)),
    "date_in_zone": Func(date_in_zone, (STRING, ANY, STRING)),
    "dateInZone": Func(date_in_zone, (STRING, ANY, STRING)),
    "date_modify": Func(date_modify, (STRING, _TIME)),
    "dateModify": Func(date_modify, (STRING, _TIME)),
    "must_date_modify": Func(must_date_modify, (STRING, _TIME)),
    "mustDateModify": Func(must_date_modify, (STRING, _TIME)),
    "duration": Func(duration, (ANY,)),
    "durationRound": Func(duration_round, (ANY,)),
    "htmlDate": Func(html_date, (ANY,)),
    "htmlDateInZone": Func(html_date_in_zone, (ANY, STRING)),
    "mustToDate": Func(must_to_date, (STRING, STRING)),
    "now": Func(GoTime.now, ()),
    "toDate": Func(to_date, (STRING, STRING)),
    "unixEpoch": Func(unix_epoch, (_TIME,)),
}
