"""The chart part of a release, built from otterhelm's loaded chart, equals what helm v4.3.1
records for the same corpus chart (`helm install --dry-run=client -o json` prints the release
it would store). File times differ by nature and are compared separately."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart.dependencies import process_dependencies
from otterhelm.chart.loader import load as load_chart
from otterhelm.release import Release, StoredChart, release_to_json

CORPUS = Path(os.environ.get("OTTERHELM_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "charts"))
STAMP = "2026-05-06T07:08:09.5Z"

# A chart with a Chart.lock and subcharts, one with a values schema, one with nested subcharts.
CHARTS = [
    "otterscale+charts/otterscale-hami",
    "bitnami+charts/mongodb",
    "otterscale+charts/otterscale-gpu-operator",
]


def without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k not in ("modtime", "schemamodtime")}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


@pytest.mark.parametrize("chart_path", CHARTS)
def test_stored_chart_matches_helms(chart_path: str, namespace: str, helm: Callable[..., str]) -> None:
    source = CORPUS / "src" / chart_path
    theirs = json.loads(helm("install", "x", str(source), "-n", namespace, "--dry-run=client", "-o", "json"))
    chart = load_chart(source)
    process_dependencies(chart, {})
    stored = StoredChart.from_chart(chart, modtime=STAMP)
    ours = json.loads(release_to_json(Release(name="x", namespace=namespace, version=1, chart=stored)))
    assert list(ours["chart"]) == list(theirs["chart"])
    assert without_times(ours["chart"]) == without_times(theirs["chart"])
    # Times are present exactly where helm writes them.
    assert ("schemamodtime" in theirs["chart"]) and (
        ours["chart"]["schemamodtime"] != "0001-01-01T00:00:00Z"
    ) == (theirs["chart"]["schemamodtime"] != "0001-01-01T00:00:00Z")
    assert [("modtime" in t) for t in ours["chart"]["templates"]] == [
        ("modtime" in t) for t in theirs["chart"]["templates"]
    ]
