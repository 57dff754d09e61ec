"""Helm's duration helpers: the cases of helm pkg/engine/funcs_test.go TestDurationHelpers.

Go `uint` inputs have no counterpart in otterhelm's value model (templates never see Go
unsigned integers from YAML, JSON or --set), so the two uint rows are not carried over;
the int64 overflow rows cover the same limit."""

from __future__ import annotations

import math
from typing import Any

import pytest

from otterhelm.funcs import helm_functions
from otterhelm.funcs.durations import GoDuration
from otterhelm.template import TemplateExecError, TemplateSet
from otterhelm.template.gotypes import Int64

MAX_SECONDS = ((1 << 63) - 1) // 10**9
MIN_SECONDS = -((1 << 63) // 10**9)
MAX_SECONDS_FLOAT = float((1 << 63) - 1) / 1e9
MIN_SECONDS_FLOAT = float(-(1 << 63)) / 1e9


def render(template: str, data: Any = None) -> str:
    templates = TemplateSet(helm_functions())
    templates.parse("test", template)
    return templates.execute("test", data)


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ('{{ durationSeconds "1m30s" }}', None, "90"),
        ('{{ durationSeconds "2.5" }}', None, "2.5"),
        ('{{ durationSeconds "  2.5  " }}', None, "2.5"),
        ("{{ durationSeconds 2 }}", None, "2"),
        ("{{ durationSeconds 2.5 }}", None, "2.5"),
        ("{{ durationSeconds . }}", GoDuration(1500 * 10**6), "1.5"),
        ('{{ durationSeconds "nope" }}', None, "0"),
        ('{{ durationSeconds "" }}', None, "0"),
        ('{{ durationSeconds "   " }}', None, "0"),
        ("{{ durationSeconds . }}", None, "0"),
        ("{{ durationSeconds . }}", Int64(MAX_SECONDS + 1), "0"),
        ("{{ durationSeconds . }}", Int64(MIN_SECONDS - 1), "0"),
        ("{{ durationSeconds . }}", MAX_SECONDS_FLOAT + 0.5, "0"),
        ("{{ durationSeconds . }}", MIN_SECONDS_FLOAT - 0.5, "0"),
        ("{{ durationSeconds . }}", math.nan, "0"),
        ("{{ durationSeconds . }}", math.inf, "0"),
        ("{{ durationMilliseconds 2 }}", None, "2000"),
        ("{{ durationMilliseconds 1.5 }}", None, "1500"),
        ("{{ durationMicroseconds 2 }}", None, "2000000"),
        ("{{ durationNanoseconds 2 }}", None, "2000000000"),
        ('{{ durationMinutes "90s" }}', None, "1.5"),
        ('{{ durationHours "90m" }}', None, "1.5"),
        ('{{ durationDays "36h" }}', None, "1.5"),
        ("{{ durationDays 86400 }}", None, "1"),
        ('{{ durationWeeks "168h" }}', None, "1"),
        ('{{ durationWeeks "252h" }}', None, "1.5"),
        ("{{ durationRoundTo 93 60 }}", None, "2m0s"),
        ("{{ durationTruncateTo 93 60 }}", None, "1m0s"),
        ('{{ durationRoundTo "93s" "1m" }}', None, "2m0s"),
        ('{{ durationTruncateTo "93s" "1m" }}', None, "1m0s"),
        ('{{ durationRoundTo "93s" "nope" }}', None, "1m33s"),
        ('{{ durationTruncateTo "93s" "nope" }}', None, "1m33s"),
        ('{{ durationRoundTo "93s" 0 }}', None, "1m33s"),
        ('{{ durationTruncateTo "93s" -1 }}', None, "1m33s"),
    ],
)
def test_duration_helpers(template: str, data: Any, expected: str) -> None:
    assert render(template, data) == expected


@pytest.mark.parametrize(
    ("template", "data", "message"),
    [
        ('{{ mustToDuration "nope" }}', None, 'could not parse duration "nope"'),
        ('{{ mustToDuration "" }}', None, "empty duration"),
        ('{{ mustToDuration "   " }}', None, "empty duration"),
        ("{{ mustToDuration . }}", [1, 2, 3], "unsupported duration type []interface {}"),
        ("{{ mustToDuration . }}", Int64(MAX_SECONDS + 1), f"duration seconds overflow: {MAX_SECONDS + 1}"),
        ("{{ mustToDuration . }}", Int64(MIN_SECONDS - 1), f"duration seconds overflow: {MIN_SECONDS - 1}"),
        (
            "{{ mustToDuration . }}",
            MAX_SECONDS_FLOAT + 0.5,
            "duration seconds overflow: 9.223372037354776e+09",
        ),
        (
            "{{ mustToDuration . }}",
            MIN_SECONDS_FLOAT - 0.5,
            "duration seconds overflow: -9.223372037354776e+09",
        ),
        ("{{ mustToDuration . }}", math.nan, "invalid duration seconds: NaN"),
        ("{{ mustToDuration . }}", -math.inf, "invalid duration seconds: -Inf"),
        ("{{ mustToDuration . }}", None, "invalid duration"),
    ],
)
def test_must_to_duration_errors(template: str, data: Any, message: str) -> None:
    with pytest.raises(TemplateExecError) as raised:
        render(template, data)
    assert str(raised.value).endswith(f"error calling mustToDuration: {message}")


def test_durations_are_go_durations() -> None:
    assert render('{{ mustToDuration "90s" }}|{{ typeOf (mustToDuration 1) }}') == "1m30s|time.Duration"
    assert render('{{ printf "%d %v" (mustToDuration "1ms") (mustToDuration "1ms") }}') == "1000000 1ms"
    # sprig's duration only reads int64 and string, and a time.Duration is neither.
    assert render('{{ duration (mustToDuration "1h") }}') == "0s"


@pytest.mark.parametrize(
    ("template", "expected"),
    [("{{ mustToDuration 30 }}", "30s"), ('{{ mustToDuration "1m30s" }}', "1m30s")],
)
def test_helm_funcs_test_must_to_duration(template: str, expected: str) -> None:
    # helm pkg/engine/funcs_test.go TestFuncs mustFuncsTests.
    assert render(template) == expected
    with pytest.raises(TemplateExecError):
        render('{{ mustToDuration "foo" }}')
