"""The parts of Go's time package that templates reach through sprig: time.Time values
(printed with Time.String()), layouts for Format/ParseInLocation, Duration's String and
ParseDuration, and locations (UTC, Local, IANA names).

A Time is Unix seconds plus nanoseconds plus a location, with calendar arithmetic done
here so every Go year works (Go's zero Time is year 1, layouts without a year parse to
year 0, neither of which Python's datetime can hold).
"""

from __future__ import annotations

import os
import time as _time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from otterhelm.template.gotypes import INT, INT64, STRING, Func, GoObject, Int64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

NANOSECOND = 1
MICROSECOND = 1000
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1

_LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_LONG_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
# Seconds from 0001-01-01 to 1970-01-01 (Go's zero Time is year 1).
_ZERO_UNIX = -62135596800
# Go's monotonic readings count from process start.
_PROCESS_START_NS = _time.monotonic_ns()


class TimeError(ValueError):
    """A parse error with Go's message."""


# ---- locations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """A Go *time.Location: a name and the zone rules that give abbreviation and offset."""

    name: str
    tz: tzinfo | None = None

    def lookup(self, unix: int) -> tuple[str, int]:
        if self.tz is None:
            return "UTC", 0
        clamped = min(max(unix, -62135596800 + 86400 * 2), 253402300799 - 86400 * 2)
        moment = datetime.fromtimestamp(clamped, UTC).astimezone(self.tz)
        offset = moment.utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else 0
        return moment.tzname() or "", seconds

    def lookup_abbreviation(self, abbreviation: str, unix: int) -> int | None:
        """The offset this location uses for an abbreviation near the given instant."""
        for delta in (0, -182 * 86400, 182 * 86400):
            name, offset = self.lookup(unix + delta)
            if name == abbreviation:
                return offset
        return None


UTC_LOCATION = Location("UTC")


def fixed_zone(name: str, offset: int) -> Location:
    return Location(name, timezone(timedelta(seconds=offset), name))


def local_location() -> Location:
    """Go's time.Local: $TZ when set (empty means UTC), else the system zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only templates that use dates pay for it

    tz_name = os.environ.get("TZ")
    if tz_name is not None:
        if tz_name in ("", "UTC"):
            return Location("UTC")
        try:
            return Location("Local", ZoneInfo(tz_name.removeprefix(":")))
        except (ZoneInfoNotFoundError, ValueError):
            return Location("UTC")
    try:
        return Location("Local", ZoneInfo("localtime"))
    except (ZoneInfoNotFoundError, ValueError):
        pass
    local = datetime.now().astimezone().tzinfo
    return Location("Local", local)


def load_location(name: str) -> Location:
    """time.LoadLocation; raises TimeError for unknown names."""
    if name in ("", "UTC"):
        return UTC_LOCATION
    if name == "Local":
        return local_location()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return Location(name, ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise TimeError(f"unknown time zone {name}") from error


# ---- calendar ---------------------------------------------------------------------------------


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    mp = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(month: int, year: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


# ---- Time ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fields:
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    weekday: int
    yearday: int
    zone: str
    offset: int


class GoTime(GoObject):
    """A Go time.Time. `monotonic` is the monotonic clock reading (nanoseconds since the
    process started) that time.Now() attaches; String() shows it as `m=+1.234567890`."""

    go_type: ClassVar[str] = "time.Time"

    def __init__(self, unix: int, nsec: int, location: Location, monotonic: int | None = None) -> None:
        self.unix = unix
        self.nsec = nsec
        self.location = location
        self.monotonic = monotonic

    @classmethod
    def now(cls, location: Location | None = None) -> GoTime:
        total = _time.time_ns()
        reading = _time.monotonic_ns() - _PROCESS_START_NS
        return cls(total // SECOND, total % SECOND, location or local_location(), reading)

    @classmethod
    def zero(cls) -> GoTime:
        return cls(_ZERO_UNIX, 0, UTC_LOCATION)

    def fields(self) -> _Fields:
        zone, offset = self.location.lookup(self.unix)
        local = self.unix + offset
        days, seconds = divmod(local, 86400)
        year, month, day = civil_from_days(days)
        return _Fields(
            year=year,
            month=month,
            day=day,
            hour=seconds // 3600,
            minute=seconds // 60 % 60,
            second=seconds % 60,
            weekday=(days + 4) % 7,
            yearday=days - days_from_civil(year, 1, 1) + 1,
            zone=zone,
            offset=offset,
        )

    def in_location(self, location: Location) -> GoTime:
        # In, UTC and Local drop the monotonic reading, as in Go.
        return GoTime(self.unix, self.nsec, location)

    def add(self, duration: int) -> GoTime:
        total = self.nsec + duration
        reading = None if self.monotonic is None else self.monotonic + duration
        return GoTime(self.unix + total // SECOND, total % SECOND, self.location, reading)

    def sub_ns(self, other: GoTime) -> int:
        if self.monotonic is not None and other.monotonic is not None:
            diff = self.monotonic - other.monotonic
        else:
            diff = (self.unix - other.unix) * SECOND + (self.nsec - other.nsec)
        return min(max(diff, _INT64_MIN), _INT64_MAX)

    def format(self, layout: str) -> str:
        return format_time(self, layout)

    def go_string(self) -> str | None:
        text = format_time(self, "2006-01-02 15:04:05.999999999 -0700 MST")
        if self.monotonic is not None:
            sign = "-" if self.monotonic < 0 else "+"
            seconds, nanos = divmod(abs(self.monotonic), SECOND)
            text += f" m={sign}{seconds}.{nanos:09d}"
        return text

    def go_json(self) -> str:
        """Time.MarshalJSON: RFC 3339 with nanoseconds."""
        return format_time(self, "2006-01-02T15:04:05.999999999Z07:00")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoTime) and (self.unix, self.nsec, self.location) == (
            other.unix,
            other.nsec,
            other.location,
        )

    def __hash__(self) -> int:
        return hash((self.unix, self.nsec))


GoTime.go_methods = {
    "Format": Func(lambda self, layout: format_time(self, layout), (STRING,)),
    "String": Func(lambda self: self.go_string(), ()),
    "Unix": Func(lambda self: Int64(self.unix), ()),
    "UnixMilli": Func(lambda self: Int64(self.unix * 1000 + self.nsec // MILLISECOND), ()),
    "UnixNano": Func(lambda self: Int64(self.unix * SECOND + self.nsec), ()),
    "Year": Func(lambda self: self.fields().year, ()),
    "Month": Func(lambda self: _LONG_MONTHS[self.fields().month - 1], ()),
    "Day": Func(lambda self: self.fields().day, ()),
    "Hour": Func(lambda self: self.fields().hour, ()),
    "Minute": Func(lambda self: self.fields().minute, ()),
    "Second": Func(lambda self: self.fields().second, ()),
    "Nanosecond": Func(lambda self: self.nsec, ()),
    "YearDay": Func(lambda self: self.fields().yearday, ()),
    "Weekday": Func(lambda self: _LONG_DAYS[self.fields().weekday], ()),
    "UTC": Func(lambda self: self.in_location(UTC_LOCATION), ()),
    "Local": Func(lambda self: self.in_location(local_location()), ()),
    "IsZero": Func(lambda self: self.unix == _ZERO_UNIX and self.nsec == 0, ()),
    "Add": Func(lambda self, duration: self.add(duration), (INT64,)),
    "AddDate": Func(lambda self, y, m, d: add_date(self, y, m, d), (INT, INT, INT)),
    "Before": Func(lambda self, other: (self.unix, self.nsec) < (other.unix, other.nsec), ("time.Time",)),
    "After": Func(lambda self, other: (self.unix, self.nsec) > (other.unix, other.nsec), ("time.Time",)),
    "Equal": Func(lambda self, other: (self.unix, self.nsec) == (other.unix, other.nsec), ("time.Time",)),
    "Sub": Func(lambda self, other: Int64(self.sub_ns(other)), ("time.Time",)),
}


def add_date(moment: GoTime, years: int, months: int, days: int) -> GoTime:
    f = moment.fields()
    return make_time(
        f.year + years,
        f.month + months,
        f.day + days,
        f.hour,
        f.minute,
        f.second,
        moment.nsec,
        moment.location,
    )


def make_time(
    year: int, month: int, day: int, hour: int, minute: int, second: int, nsec: int, location: Location
) -> GoTime:
    """time.Date: out-of-range fields are normalised; the wall clock is read in location."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    wall = days_from_civil(year, month, 1) * 86400 + (day - 1) * 86400 + hour * 3600 + minute * 60 + second
    wall += nsec // SECOND
    nsec %= SECOND
    # Find the offset in force at that wall time (try the offset at wall-as-UTC first).
    _, offset = location.lookup(wall)
    unix = wall - offset
    _, corrected = location.lookup(unix)
    if corrected != offset:
        unix = wall - corrected
    return GoTime(unix, nsec, location)


# ---- layouts --------------------------------------------------------------------------------

(
    _NONE,
    _LONG_MONTH,
    _MONTH,
    _NUM_MONTH,
    _ZERO_MONTH,
    _LONG_WEEKDAY,
    _WEEKDAY,
    _DAY,
    _UNDER_DAY,
    _ZERO_DAY,
    _UNDER_YEARDAY,
    _ZERO_YEARDAY,
    _HOUR,
    _HOUR12,
    _ZERO_HOUR12,
    _MINUTE,
    _ZERO_MINUTE,
    _SECOND,
    _ZERO_SECOND,
    _LONG_YEAR,
    _YEAR,
    _PM_UPPER,
    _PM_LOWER,
    _TZ,
    _ISO_TZ,
    _ISO_SECONDS_TZ,
    _ISO_SHORT_TZ,
    _ISO_COLON_TZ,
    _ISO_COLON_SECONDS_TZ,
    _NUM_TZ,
    _NUM_SECONDS_TZ,
    _NUM_SHORT_TZ,
    _NUM_COLON_TZ,
    _NUM_COLON_SECONDS_TZ,
    _FRAC0,
    _FRAC9,
) = range(36)

_ZERO_X = (_ZERO_MONTH, _ZERO_DAY, _ZERO_HOUR12, _ZERO_MINUTE, _ZERO_SECOND, _YEAR)
_ISO = (_ISO_TZ, _ISO_SECONDS_TZ, _ISO_SHORT_TZ, _ISO_COLON_TZ, _ISO_COLON_SECONDS_TZ)


@dataclass(frozen=True)
class _Chunk:
    prefix: str
    std: int
    suffix: str
    frac_digits: int = 0
    separator: str = "."
    text: str = field(default="")


def _starts_lower(text: str) -> bool:
    return bool(text) and "a" <= text[0] <= "z"


def next_chunk(layout: str) -> _Chunk:
    """Go's nextStdChunk: the literal prefix, the next layout element and the rest."""
    n = len(layout)
    for i in range(n):
        c = layout[i]
        head = layout[:i]
        if c == "J" and layout[i : i + 3] == "Jan":
            if layout[i : i + 7] == "January":
                return _Chunk(head, _LONG_MONTH, layout[i + 7 :], text="January")
            if not _starts_lower(layout[i + 3 :]):
                return _Chunk(head, _MONTH, layout[i + 3 :], text="Jan")
        elif c == "M" and n >= i + 3:
            if layout[i : i + 3] == "Mon":
                if layout[i : i + 6] == "Monday":
                    return _Chunk(head, _LONG_WEEKDAY, layout[i + 6 :], text="Monday")
                if not _starts_lower(layout[i + 3 :]):
                    return _Chunk(head, _WEEKDAY, layout[i + 3 :], text="Mon")
            if layout[i : i + 3] == "MST":
                return _Chunk(head, _TZ, layout[i + 3 :], text="MST")
        elif c == "0":
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                return _Chunk(
                    head, _ZERO_X[ord(layout[i + 1]) - ord("1")], layout[i + 2 :], text=layout[i : i + 2]
                )
            if layout[i + 1 : i + 3] == "02":
                return _Chunk(head, _ZERO_YEARDAY, layout[i + 3 :], text="002")
        elif c == "1":
            if layout[i + 1 : i + 2] == "5":
                return _Chunk(head, _HOUR, layout[i + 2 :], text="15")
            return _Chunk(head, _NUM_MONTH, layout[i + 1 :], text="1")
        elif c == "2":
            if layout[i : i + 4] == "2006":
                return _Chunk(head, _LONG_YEAR, layout[i + 4 :], text="2006")
            return _Chunk(head, _DAY, layout[i + 1 :], text="2")
        elif c == "_":
            if layout[i + 1 : i + 2] == "2":
                if layout[i + 1 : i + 5] == "2006":
                    return _Chunk(layout[: i + 1], _LONG_YEAR, layout[i + 5 :], text="2006")
                return _Chunk(head, _UNDER_DAY, layout[i + 2 :], text="_2")
            if layout[i + 1 : i + 3] == "_2":
                return _Chunk(head, _UNDER_YEARDAY, layout[i + 3 :], text="__2")
        elif c == "3":
            return _Chunk(head, _HOUR12, layout[i + 1 :], text="3")
        elif c == "4":
            return _Chunk(head, _MINUTE, layout[i + 1 :], text="4")
        elif c == "5":
            return _Chunk(head, _SECOND, layout[i + 1 :], text="5")
        elif c == "P" and layout[i + 1 : i + 2] == "M":
            return _Chunk(head, _PM_UPPER, layout[i + 2 :], text="PM")
        elif c == "p" and layout[i + 1 : i + 2] == "m":
            return _Chunk(head, _PM_LOWER, layout[i + 2 :], text="pm")
        elif c == "-":
            for pattern, std in (
                ("-070000", _NUM_SECONDS_TZ),
                ("-07:00:00", _NUM_COLON_SECONDS_TZ),
                ("-0700", _NUM_TZ),
                ("-07:00", _NUM_COLON_TZ),
                ("-07", _NUM_SHORT_TZ),
            ):
                if layout[i : i + len(pattern)] == pattern:
                    return _Chunk(head, std, layout[i + len(pattern) :], text=pattern)
        elif c == "Z":
            for pattern, std in (
                ("Z070000", _ISO_SECONDS_TZ),
                ("Z07:00:00", _ISO_COLON_SECONDS_TZ),
                ("Z0700", _ISO_TZ),
                ("Z07:00", _ISO_COLON_TZ),
                ("Z07", _ISO_SHORT_TZ),
            ):
                if layout[i : i + len(pattern)] == pattern:
                    return _Chunk(head, std, layout[i + len(pattern) :], text=pattern)
        elif c in ".," and i + 1 < n and layout[i + 1] in "09":
            digit = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == digit:
                j += 1
            if not (j < n and layout[j].isdigit() and layout[j].isascii()):
                std = _FRAC0 if digit == "0" else _FRAC9
                return _Chunk(head, std, layout[j:], frac_digits=j - (i + 1), separator=c, text=layout[i:j])
    return _Chunk(layout, _NONE, "")


def _pad(number: int, width: int) -> str:
    if number < 0:
        return "-" + str(-number).rjust(width, "0")
    return str(number).rjust(width, "0")


def format_time(moment: GoTime, layout: str) -> str:
    f = moment.fields()
    out: list[str] = []
    while layout:
        chunk = next_chunk(layout)
        out.append(chunk.prefix)
        if chunk.std == _NONE:
            break
        layout = chunk.suffix
        out.append(_format_element(chunk, f, moment.nsec))
    return "".join(out)


def _format_element(chunk: _Chunk, f: _Fields, nsec: int) -> str:
    std = chunk.std
    if std == _YEAR:
        return _pad(abs(f.year) % 100, 2)
    if std == _LONG_YEAR:
        return _pad(f.year, 4)
    if std == _MONTH:
        return _LONG_MONTHS[f.month - 1][:3]
    if std == _LONG_MONTH:
        return _LONG_MONTHS[f.month - 1]
    if std == _NUM_MONTH:
        return str(f.month)
    if std == _ZERO_MONTH:
        return _pad(f.month, 2)
    if std == _WEEKDAY:
        return _LONG_DAYS[f.weekday][:3]
    if std == _LONG_WEEKDAY:
        return _LONG_DAYS[f.weekday]
    if std == _DAY:
        return str(f.day)
    if std == _UNDER_DAY:
        return (" " if f.day < 10 else "") + str(f.day)
    if std == _ZERO_DAY:
        return _pad(f.day, 2)
    if std == _UNDER_YEARDAY:
        return str(f.yearday).rjust(3, " ")
    if std == _ZERO_YEARDAY:
        return _pad(f.yearday, 3)
    if std == _HOUR:
        return _pad(f.hour, 2)
    if std in (_HOUR12, _ZERO_HOUR12):
        hour = f.hour % 12 or 12
        return str(hour) if std == _HOUR12 else _pad(hour, 2)
    if std == _MINUTE:
        return str(f.minute)
    if std == _ZERO_MINUTE:
        return _pad(f.minute, 2)
    if std == _SECOND:
        return str(f.second)
    if std == _ZERO_SECOND:
        return _pad(f.second, 2)
    if std == _PM_UPPER:
        return "PM" if f.hour >= 12 else "AM"
    if std == _PM_LOWER:
        return "pm" if f.hour >= 12 else "am"
    if std == _TZ:
        if f.zone:
            return f.zone
        minutes = f.offset // 60 if f.offset >= 0 else -(-f.offset // 60)
        sign = "-" if minutes < 0 else "+"
        minutes = abs(minutes)
        return sign + _pad(minutes // 60, 2) + _pad(minutes % 60, 2)
    if std in (_FRAC0, _FRAC9):
        return _format_nanos(nsec, chunk)
    return _format_offset(std, f.offset)


def _format_offset(std: int, offset: int) -> str:
    if offset == 0 and std in _ISO:
        return "Z"
    minutes = int(offset / 60)
    absolute = offset
    if minutes < 0:
        sign = "-"
        minutes = -minutes
        absolute = -absolute
    else:
        sign = "+"
    text = sign + _pad(minutes // 60, 2)
    if std in (_ISO_COLON_TZ, _NUM_COLON_TZ, _ISO_COLON_SECONDS_TZ, _NUM_COLON_SECONDS_TZ):
        text += ":"
    if std not in (_NUM_SHORT_TZ, _ISO_SHORT_TZ):
        text += _pad(minutes % 60, 2)
    if std in (_ISO_SECONDS_TZ, _NUM_SECONDS_TZ, _NUM_COLON_SECONDS_TZ, _ISO_COLON_SECONDS_TZ):
        if std in (_NUM_COLON_SECONDS_TZ, _ISO_COLON_SECONDS_TZ):
            text += ":"
        text += _pad(absolute % 60, 2)
    return text


def _format_nanos(nsec: int, chunk: _Chunk) -> str:
    trim = chunk.std == _FRAC9
    digits = chunk.frac_digits
    if trim and (digits == 0 or nsec == 0):
        return ""
    text = chunk.separator + _pad(nsec, 9)[:digits]
    if trim:
        text = text.rstrip("0")
        if text == chunk.separator:
            return ""
    return text


# ---- parsing ---------------------------------------------------------------------------------


def go_time_quote(text: str) -> str:
    """time's own quote(): non-ASCII and control bytes as \\x escapes."""
    out = ['"']
    for byte in text.encode("utf-8", "surrogateescape"):
        if byte >= 0x80 or byte < 0x20:
            out.append(f"\\x{byte:02x}")
        else:
            char = chr(byte)
            if char in '"\\':
                out.append("\\")
            out.append(char)
    out.append('"')
    return "".join(out)


class _Bad(Exception):
    """A layout element did not match; `remaining` is the value where matching stopped."""

    def __init__(self, remaining: str = "") -> None:
        super().__init__(remaining)
        self.remaining = remaining


def _getnum(value: str, fixed: bool) -> tuple[int, str]:
    if not value[:1].isdigit() or not value[:1].isascii():
        raise _Bad
    if not (value[1:2].isdigit() and value[1:2].isascii()):
        if fixed:
            raise _Bad
        return int(value[0]), value[1:]
    return int(value[:2]), value[2:]


def _getnum3(value: str, fixed: bool) -> tuple[int, str]:
    number = 0
    index = 0
    while index < 3 and index < len(value) and "0" <= value[index] <= "9":
        number = number * 10 + int(value[index])
        index += 1
    if index == 0 or (fixed and index != 3):
        raise _Bad
    return number, value[index:]


def _cutspace(text: str) -> str:
    return text.lstrip(" ")


def _skip(value: str, prefix: str) -> str:
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _Bad(value)
            prefix = _cutspace(prefix)
            value = _cutspace(value)
            continue
        if not value or value[0] != prefix[0]:
            raise _Bad(value)
        prefix = prefix[1:]
        value = value[1:]
    return value


def _lookup(table: tuple[str, ...], value: str) -> tuple[int, str]:
    for index, name in enumerate(table):
        if len(value) >= len(name) and value[: len(name)].lower() == name.lower():
            return index, value[len(name) :]
    raise _Bad


def _parse_error(value: str, layout: str, value_elem: str, layout_elem: str, message: str = "") -> TimeError:
    if message:
        return TimeError("parsing time " + go_time_quote(value) + message)
    return TimeError(
        "parsing time "
        + go_time_quote(value)
        + " as "
        + go_time_quote(layout)
        + ": cannot parse "
        + go_time_quote(value_elem)
        + " as "
        + go_time_quote(layout_elem)
    )


def parse_in_location(layout: str, value: str, location: Location) -> GoTime:
    """time.ParseInLocation for the layout elements above."""
    original_layout, original_value = layout, value
    year, month, day, yday = 0, -1, -1, -1
    hour = minute = second = nsec = 0
    pm_set = am_set = False
    zone_offset: int | None = None
    zone_name = ""
    zone_utc = False
    range_error = ""
    while True:
        chunk = next_chunk(layout)
        std_text = layout[len(chunk.prefix) : len(layout) - len(chunk.suffix)]
        try:
            value = _skip(value, chunk.prefix)
        except _Bad as bad:
            raise _parse_error(original_value, original_layout, bad.remaining, chunk.prefix) from None
        if chunk.std == _NONE:
            if value:
                raise _parse_error(
                    original_value, original_layout, "", "", ": extra text: " + go_time_quote(value)
                )
            break
        layout = chunk.suffix
        hold = value
        std = chunk.std
        try:
            if std == _YEAR:
                if len(value) < 2:
                    raise _Bad
                year = _go_atoi(value[:2])
                value = value[2:]
                year += 1900 if year >= 69 else 2000
            elif std == _LONG_YEAR:
                if len(value) < 4 or not value[:4].isdigit() or not value[:4].isascii():
                    raise _Bad
                year, value = int(value[:4]), value[4:]
            elif std in (_MONTH, _LONG_MONTH):
                table = tuple(m[:3] for m in _LONG_MONTHS) if std == _MONTH else _LONG_MONTHS
                index, value = _lookup(table, value)
                month = index + 1
            elif std in (_NUM_MONTH, _ZERO_MONTH):
                month, value = _getnum(value, std == _ZERO_MONTH)
                if not 0 < month <= 12:
                    range_error = "month"
            elif std in (_WEEKDAY, _LONG_WEEKDAY):
                table = tuple(d[:3] for d in _LONG_DAYS) if std == _WEEKDAY else _LONG_DAYS
                _, value = _lookup(table, value)
            elif std in (_DAY, _UNDER_DAY, _ZERO_DAY):
                if std == _UNDER_DAY and value[:1] == " ":
                    value = value[1:]
                day, value = _getnum(value, std == _ZERO_DAY)
            elif std in (_UNDER_YEARDAY, _ZERO_YEARDAY):
                for _ in range(2):
                    if std == _UNDER_YEARDAY and value[:1] == " ":
                        value = value[1:]
                yday, value = _getnum3(value, std == _ZERO_YEARDAY)
            elif std == _HOUR:
                hour, value = _getnum(value, False)
                if not 0 <= hour < 24:
                    range_error = "hour"
            elif std in (_HOUR12, _ZERO_HOUR12):
                hour, value = _getnum(value, std == _ZERO_HOUR12)
                if not 0 <= hour <= 12:
                    range_error = "hour"
            elif std in (_MINUTE, _ZERO_MINUTE):
                minute, value = _getnum(value, std == _ZERO_MINUTE)
                if not 0 <= minute < 60:
                    range_error = "minute"
            elif std in (_SECOND, _ZERO_SECOND):
                second, value = _getnum(value, std == _ZERO_SECOND)
                if not 0 <= second < 60:
                    range_error = "second"
                elif (
                    len(value) >= 2
                    and value[0] in ".,"
                    and value[1].isdigit()
                    and next_chunk(layout).std not in (_FRAC0, _FRAC9)
                ):
                    index = 1
                    while index < len(value) and value[index].isdigit() and value[index].isascii():
                        index += 1
                    nsec = _parse_nanos(value[1:index])
                    value = value[index:]
            elif std in (_PM_UPPER, _PM_LOWER):
                if len(value) < 2:
                    raise _Bad
                marker, value = value[:2], value[2:]
                expected = ("PM", "AM") if std == _PM_UPPER else ("pm", "am")
                if marker == expected[0]:
                    pm_set = True
                elif marker == expected[1]:
                    am_set = True
                else:
                    raise _Bad
            elif std in _ISO or std in (
                _NUM_TZ,
                _NUM_SECONDS_TZ,
                _NUM_SHORT_TZ,
                _NUM_COLON_TZ,
                _NUM_COLON_SECONDS_TZ,
            ):
                if std in _ISO and value[:1] == "Z":
                    value = value[1:]
                    zone_utc = True
                else:
                    zone_offset, value, range_error, bad_offset = _parse_offset(std, value)
                    if bad_offset and not range_error:
                        raise _Bad
            elif std == _TZ:
                if len(value) >= 3 and value[:3] == "UTC":
                    zone_utc, value = True, value[3:]
                else:
                    length = _zone_name_length(value)
                    if length == 0:
                        raise _Bad
                    zone_name, value = value[:length], value[length:]
            elif std in (_FRAC0, _FRAC9):
                digits = chunk.frac_digits
                if std == _FRAC0:
                    if len(value) < digits + 1 or value[0] not in ".,":
                        raise _Bad
                    fraction = value[1 : digits + 1]
                    if not fraction.isdigit() or not fraction.isascii():
                        raise _Bad
                    nsec = _parse_nanos(fraction)
                    value = value[digits + 1 :]
                elif len(value) >= 2 and value[0] in ".," and value[1].isdigit():
                    index = 1
                    while index < len(value) and value[index].isdigit() and value[index].isascii():
                        index += 1
                    nsec = _parse_nanos(value[1:index])
                    value = value[index:]
        except _Bad:
            raise _parse_error(original_value, original_layout, hold, std_text) from None
        if range_error:
            raise _parse_error(
                original_value, original_layout, hold, std_text, f": {range_error} out of range"
            )
    if pm_set and hour < 12:
        hour += 12
    elif am_set and hour == 12:
        hour = 0
    if yday >= 0:
        month_day = _month_day_of_yearday(yday, year)
        if month_day is None:
            raise _parse_error(original_value, original_layout, "", "", ": day-of-year out of range")
        if month >= 0 and month != month_day[0]:
            raise _parse_error(original_value, original_layout, "", "", ": day-of-year does not match month")
        if day >= 0 and day != month_day[1]:
            raise _parse_error(original_value, original_layout, "", "", ": day-of-year does not match day")
        month, day = month_day
    else:
        month = 1 if month < 0 else month
        day = 1 if day < 0 else day
    if day < 1 or day > days_in_month(month, year):
        raise _parse_error(original_value, original_layout, "", "", ": day out of range")
    if zone_utc:
        return make_time(year, month, day, hour, minute, second, nsec, UTC_LOCATION)
    if zone_offset is not None:
        result = make_time(year, month, day, hour, minute, second, nsec, UTC_LOCATION).add(
            -zone_offset * SECOND
        )
        name, local_offset = location.lookup(result.unix)
        if local_offset == zone_offset and (zone_name == "" or name == zone_name):
            return result.in_location(location)
        return result.in_location(fixed_zone(zone_name, zone_offset))
    if zone_name:
        wall = make_time(year, month, day, hour, minute, second, nsec, UTC_LOCATION)
        offset = location.lookup_abbreviation(zone_name, wall.unix)
        if offset is not None:
            return wall.add(-offset * SECOND).in_location(location)
        # An unknown abbreviation: Go keeps the wall clock as UTC and labels it with a fake
        # zone, whose offset is known only for GMT+h.
        fake_offset = int(zone_name[3:]) * 3600 if len(zone_name) > 3 and zone_name[:3] == "GMT" else 0
        return wall.in_location(fixed_zone(zone_name, fake_offset))
    return make_time(year, month, day, hour, minute, second, nsec, location)


_DAYS_BEFORE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)


def _month_day_of_yearday(yday: int, year: int) -> tuple[int, int] | None:
    if _is_leap(year):
        if yday == 31 + 29:
            return 2, 29
        if yday > 31 + 29:
            yday -= 1
    if yday < 1 or yday > 365:
        return None
    month = (yday - 1) // 31 + 1
    if _DAYS_BEFORE[month] < yday:
        month += 1
    return month, yday - _DAYS_BEFORE[month - 1]


def _parse_nanos(digits: str) -> int:
    digits = digits[:9]
    return int(digits.ljust(9, "0")) if digits else 0


def _go_atoi(text: str) -> int:
    """time's atoi: an optional sign and decimal digits."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not all("0" <= char <= "9" for char in body):
        raise _Bad
    return -int(body) if text[:1] == "-" else int(body)


def _fixed2(text: str) -> int:
    if len(text) < 2 or not ("0" <= text[0] <= "9" and "0" <= text[1] <= "9"):
        raise _Bad
    return int(text[:2])


def _parse_offset(std: int, value: str) -> tuple[int, str, str, bool]:
    """A numeric zone offset, the rest of the value, a range error name (or "") and whether
    the text was malformed; Go reports a range error before a malformed sign or digit."""
    seconds = "00"
    if std in (_ISO_COLON_TZ, _NUM_COLON_TZ):
        if len(value) < 6 or value[3] != ":":
            raise _Bad
        sign, hours, minutes, value = value[0], value[1:3], value[4:6], value[6:]
    elif std in (_NUM_SHORT_TZ, _ISO_SHORT_TZ):
        if len(value) < 3:
            raise _Bad
        sign, hours, minutes, value = value[0], value[1:3], "00", value[3:]
    elif std in (_ISO_COLON_SECONDS_TZ, _NUM_COLON_SECONDS_TZ):
        if len(value) < 9 or value[3] != ":" or value[6] != ":":
            raise _Bad
        sign, hours, minutes, seconds, value = value[0], value[1:3], value[4:6], value[7:9], value[9:]
    elif std in (_ISO_SECONDS_TZ, _NUM_SECONDS_TZ):
        if len(value) < 7:
            raise _Bad
        sign, hours, minutes, seconds, value = value[0], value[1:3], value[3:5], value[5:7], value[7:]
    else:
        if len(value) < 5:
            raise _Bad
        sign, hours, minutes, value = value[0], value[1:3], value[3:5], value[5:]
    h = m = s = 0
    malformed = False
    try:
        h = _fixed2(hours)
        m = _fixed2(minutes)
        s = _fixed2(seconds)
    except _Bad:
        malformed = True
    # Go compares with > so that offsets of 24 hours or 60 minutes are accepted.
    range_error = ""
    if h > 24:
        range_error = "time zone offset hour"
    if m > 60:
        range_error = "time zone offset minute"
    if s > 60:
        range_error = "time zone offset second"
    offset = (h * 60 + m) * 60 + s
    if sign == "-":
        return -offset, value, range_error, malformed
    return offset, value, range_error, malformed or sign != "+"


def _signed_offset_length(value: str) -> int:
    """Go's parseSignedOffset: "+3" or "-04" up to 23 hours; 0 when there is none."""
    if not value or value[0] not in "+-":
        return 0
    index = 1
    while index < len(value) and "0" <= value[index] <= "9":
        index += 1
    if index == 1 or int(value[1:index]) > 23:
        return 0
    return index


def _zone_name_length(value: str) -> int:
    """Go's parseTimeZone: the length of a zone abbreviation at the start, 0 for none."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return 3 + _signed_offset_length(value[3:])
    if value[0] in "+-":
        return _signed_offset_length(value)
    upper = 0
    while upper < 6 and upper < len(value) and "A" <= value[upper] <= "Z":
        upper += 1
    if upper in (0, 1, 2, 6):
        return 0
    if upper == 5:
        return 5 if value[4] == "T" else 0
    if upper == 4:
        return 4 if value[3] == "T" or value[:4] == "WITA" else 0
    return 3


# ---- durations --------------------------------------------------------------------------------

_UNITS = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "µs": MICROSECOND,
    "μs": MICROSECOND,
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}


def duration_string(duration: int) -> str:
    """time.Duration.String()."""
    negative = duration < 0
    magnitude = -duration if negative else duration
    if magnitude < SECOND:
        if magnitude == 0:
            return "0s"
        if magnitude < MICROSECOND:
            text = f"{magnitude}ns"
        elif magnitude < MILLISECOND:
            text = _with_fraction(magnitude, 3) + "µs"
        else:
            text = _with_fraction(magnitude, 6) + "ms"
    else:
        seconds_text = _with_fraction(magnitude, 9, modulo=60)
        minutes = magnitude // SECOND // 60
        text = seconds_text + "s"
        if minutes > 0:
            text = f"{minutes % 60}m" + text
            hours = minutes // 60
            if hours > 0:
                text = f"{hours}h" + text
    return ("-" if negative else "") + text


def _with_fraction(value: int, precision: int, modulo: int | None = None) -> str:
    scale = 10**precision
    whole, fraction = divmod(value, scale)
    if modulo is not None:
        whole %= modulo
    digits = str(fraction).rjust(precision, "0").rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


def parse_duration(text: str) -> int:
    """time.ParseDuration; raises TimeError with Go's message."""
    original = text
    invalid = TimeError("time: invalid duration " + go_time_quote(original))
    negative = False
    if text and text[0] in "+-":
        negative = text[0] == "-"
        text = text[1:]
    if text == "0":
        return 0
    if not text:
        raise invalid
    total = 0
    while text:
        if not (text[0] == "." or "0" <= text[0] <= "9"):
            raise invalid
        index = 0
        whole = 0
        while index < len(text) and "0" <= text[index] <= "9":
            whole = whole * 10 + int(text[index])
            if whole > 1 << 63:
                raise invalid
            index += 1
        consumed_whole = index > 0
        text = text[index:]
        fraction = 0
        scale = 1.0
        consumed_fraction = False
        if text.startswith("."):
            text = text[1:]
            index = 0
            overflow = False
            while index < len(text) and "0" <= text[index] <= "9":
                if not overflow:
                    if fraction > ((1 << 63) - 1) // 10:
                        overflow = True
                    else:
                        candidate = fraction * 10 + int(text[index])
                        if candidate > 1 << 63:
                            overflow = True
                        else:
                            fraction = candidate
                            scale *= 10
                index += 1
            consumed_fraction = index > 0
            text = text[index:]
        if not consumed_whole and not consumed_fraction:
            raise invalid
        index = 0
        while index < len(text) and not (text[index] == "." or "0" <= text[index] <= "9"):
            index += 1
        if index == 0:
            raise TimeError("time: missing unit in duration " + go_time_quote(original))
        unit_name, text = text[:index], text[index:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            raise TimeError(
                "time: unknown unit " + go_time_quote(unit_name) + " in duration " + go_time_quote(original)
            )
        if whole > (1 << 63) // unit:
            raise invalid
        amount = whole * unit
        if fraction > 0:
            amount += int(float(fraction) * (float(unit) / scale))
            if amount > 1 << 63:
                raise invalid
        total += amount
        if total > 1 << 63:
            raise invalid
    if negative:
        return -total
    if total > _INT64_MAX:
        raise invalid
    return total


def round_duration(duration: int, multiple: int) -> int:
    """Duration.Round: halves away from zero, saturating at the int64 limits."""
    if multiple <= 0:
        return duration
    remainder = abs(duration) % multiple
    if duration < 0:
        if remainder + remainder < multiple:
            return duration + remainder
        result = duration + remainder - multiple
        return result if result >= _INT64_MIN else _INT64_MIN
    if remainder + remainder < multiple:
        return duration - remainder
    result = duration + multiple - remainder
    return result if result <= _INT64_MAX else _INT64_MAX
