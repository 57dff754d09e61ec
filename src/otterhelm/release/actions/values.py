"""Which user values an upgrade renders with (pkg/action/upgrade.go reuseValues, Helm v4.3.1)."""

from __future__ import annotations

import enum
from typing import Any

from otterhelm.chart.model import Chart
from otterhelm.release.model import Release
from otterhelm.values.coalesce import coalesce_tables, deep_copy


class ValuesMode(enum.Enum):
    """DEFAULT reuses the previous values only when none are given; RESET never reuses;
    REUSE merges the given values over the previous ones and renders with the previous
    chart defaults; RESET_THEN_REUSE merges them too but keeps the new chart's defaults."""

    DEFAULT = "default"
    RESET = "reset"
    REUSE = "reuse"
    RESET_THEN_REUSE = "reset-then-reuse"


def upgrade_values(chart: Chart, current: Release, given: dict[str, Any], mode: ValuesMode) -> dict[str, Any]:
    """The user values of the new revision; for REUSE `chart.values` becomes the previous
    revision's coalesced values, as Helm does."""
    previous = deep_copy(current.config or {})
    if mode is ValuesMode.RESET:
        return given
    if mode is ValuesMode.REUSE:
        # CoalesceValues(current.Chart, current.Config) over the stored (root) chart's defaults.
        stored_defaults = deep_copy((current.chart.values if current.chart else None) or {})
        chart.values = coalesce_tables(deep_copy(previous), stored_defaults)
        merged: dict[str, Any] = coalesce_tables(given, previous)
        return merged
    if mode is ValuesMode.RESET_THEN_REUSE:
        reused: dict[str, Any] = coalesce_tables(given, previous)
        return reused
    if not given and previous:
        reused_previous: dict[str, Any] = previous
        return reused_previous
    return given
