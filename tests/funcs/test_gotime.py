"""Go time semantics: calendar arithmetic, layouts and durations, checked against Python's
datetime where both are defined and against properties Go documents (Format/Parse round
trips, Duration.String/ParseDuration round trips)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otterhelm.funcs.gotime import (
    UTC_LOCATION,
    GoTime,
    Location,
    TimeError,
    civil_from_days,
    days_from_civil,
    duration_string,
    load_location,
    make_time,
    parse_duration,
    parse_in_location,
    round_duration,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Tokyo"]


@given(st.dates())
def test_civil_days_match_python(day: object) -> None:
    from datetime import date

    assert isinstance(day, date)
    days = (day - date(1970, 1, 1)).days
    assert days_from_civil(day.year, day.month, day.day) == days
    assert civil_from_days(days) == (day.year, day.month, day.day)


@given(
    st.datetimes(min_value=datetime(1, 1, 3), max_value=datetime(9999, 12, 29)),
    st.sampled_from(_ZONES),
)
def test_format_matches_python_strftime(moment: datetime, zone: str) -> None:
    aware = moment.replace(tzinfo=UTC)
    unix = int((aware - _EPOCH) // timedelta(seconds=1))
    go_time = GoTime(unix, aware.microsecond * 1000, load_location(zone))
    local = aware.astimezone(ZoneInfo(zone))
    expected = f"{local.year:04d}-" + local.strftime("%m-%d %H:%M:%S.%f %a %b")
    assert go_time.format("2006-01-02 15:04:05.000000 Mon Jan") == expected
    offset = local.utcoffset()
    if offset is not None and offset.seconds % 60 == 0:
        # Local mean time offsets (Kolkata's until 1920 among them) have seconds, which
        # "-0700" drops and Python's %z prints.
        assert go_time.format("-0700 MST") == local.strftime("%z ") + (local.tzname() or "")


@given(
    # From 1900: earlier New York offsets have seconds, which numeric zone layouts drop.
    st.integers(min_value=-2208988800, max_value=253402300799 - 86400 * 3),
    st.integers(min_value=0, max_value=999_999_999),
    st.sampled_from(["2006-01-02T15:04:05.999999999Z07:00", "Mon, 02 Jan 2006 15:04:05.000000000 -0700"]),
)
def test_format_parse_round_trip(unix: int, nsec: int, layout: str) -> None:
    moment = GoTime(unix, nsec, load_location("America/New_York"))
    parsed = parse_in_location(layout, moment.format(layout), UTC_LOCATION)
    assert (parsed.unix, parsed.nsec) == (unix, nsec)


def test_string_is_go_time_string() -> None:
    moment = GoTime(0, 5, UTC_LOCATION)
    assert moment.go_string() == "1970-01-01 00:00:00.000000005 +0000 UTC"
    assert GoTime.zero().go_string() == "0001-01-01 00:00:00 +0000 UTC"


def test_year_zero_layouts() -> None:
    # A layout without a year parses to year 0, which Python's datetime cannot hold.
    parsed = parse_in_location("15:04", "12:30", UTC_LOCATION)
    assert parsed.go_string() == "0000-01-01 12:30:00 +0000 UTC"


def test_make_time_normalises_and_handles_dst() -> None:
    new_york = load_location("America/New_York")
    assert make_time(2020, 13, 1, 0, 0, 0, 0, UTC_LOCATION).format("2006-01-02") == "2021-01-01"
    assert make_time(2020, 7, 1, 12, 0, 0, 0, new_york).format("15:04 MST") == "12:00 EDT"
    assert make_time(2020, 1, 1, 12, 0, 0, 0, new_york).format("15:04 -0700") == "12:00 -0500"


def test_unknown_location() -> None:
    with pytest.raises(TimeError, match="unknown time zone Nowhere/Land"):
        load_location("Nowhere/Land")
    assert isinstance(load_location("Local"), Location)


@pytest.mark.parametrize(
    ("nanos", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1100, "1.1µs"),
        (2_200_000, "2.2ms"),
        (3_300_000_000, "3.3s"),
        (4 * 60 * 10**9 + 5 * 10**9, "4m5s"),
        (4 * 60 * 10**9 + 5_001_000_000, "4m5.001s"),
        (5 * 3600 * 10**9 + 6 * 60 * 10**9 + 7_001_000_000, "5h6m7.001s"),
        (8 * 60 * 10**9 + 1, "8m0.000000001s"),
        ((1 << 63) - 1, "2562047h47m16.854775807s"),
        (-(1 << 63), "-2562047h47m16.854775808s"),
        (-1100, "-1.1µs"),
    ],
)
def test_duration_string(nanos: int, text: str) -> None:
    # Vectors from Go's time/time_test.go durationTests.
    assert duration_string(nanos) == text


@given(st.integers(min_value=-(1 << 63) + 1, max_value=(1 << 63) - 1))
def test_duration_round_trip(nanos: int) -> None:
    assert parse_duration(duration_string(nanos)) == nanos


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", 'time: invalid duration ""'),
        ("3", 'time: missing unit in duration "3"'),
        ("3x", 'time: unknown unit "x" in duration "3x"'),
        (".s", 'time: invalid duration ".s"'),
        ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
    ],
)
def test_parse_duration_errors(text: str, error: str) -> None:
    with pytest.raises(TimeError) as raised:
        parse_duration(text)
    assert str(raised.value) == error


def test_round_duration_halves_away_from_zero() -> None:
    second = 10**9
    assert round_duration(1_500_000_000, second) == 2 * second
    assert round_duration(-1_500_000_000, second) == -2 * second
    assert round_duration(1_499_999_999, second) == second
    assert round_duration((1 << 63) - 1, 3600 * second) == (1 << 63) - 1
