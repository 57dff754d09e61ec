"""Every chart of the shared corpus loads, and after dependency processing with each
case's values its chart tree holds every chart that helm v4.3.1 rendered from
(`# Source: <chart path>/templates/...` in the golden output). Failing cases must fail
at the same step helm did."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from otterhelm.chart.dependencies import process_dependencies
from otterhelm.chart.loader import load
from otterhelm.chart.model import Chart
from otterhelm.chart.schema import SchemaValidationError, validate_values
from otterhelm.values.coalesce import coalesce_values
from otterhelm.values.options import ValueOptions

CORPUS = Path(os.environ.get("OTTERHELM_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "charts"))
_FLAGS = {
    "-f": "value_files",
    "--values": "value_files",
    "--set": "values",
    "--set-string": "string_values",
    "--set-json": "json_values",
    "--set-file": "file_values",
    "--set-literal": "literal_values",
}
_SOURCE = re.compile(r"^# Source: ([^/]+(?:/charts/[^/]+)*)/(?:templates|crds)/", re.MULTILINE)


def _cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = json.loads((CORPUS / "cases.json").read_text())["cases"]
    return cases


def _options(args: list[str]) -> ValueOptions:
    opts = ValueOptions()
    i = 0
    while i < len(args):
        flag = args[i]
        if flag in _FLAGS and i + 1 < len(args):
            getattr(opts, _FLAGS[flag]).append(args[i + 1])
            i += 2
            continue
        name, _, value = flag.partition("=")
        if name in _FLAGS and value:
            getattr(opts, _FLAGS[name]).append(value)
        i += 1
    return opts


def _tree(chart: Chart) -> Iterator[Chart]:
    yield chart
    for sub in chart.subcharts:
        yield from _tree(sub)


def test_corpus_is_present() -> None:
    assert (CORPUS / "cases.json").is_file(), f"corpus not found at {CORPUS}"


def test_every_corpus_chart_loads_with_its_subcharts() -> None:
    cwd = Path.cwd()
    os.chdir(CORPUS)
    try:
        problems: list[str] = []
        for case in _cases():
            args = [str(a) for a in case["args"]]  # type: ignore[attr-defined]
            name = str(case["case"])
            chart = load(args[2])
            user = _options(args[3:]).merge()
            process_dependencies(chart, user)
            values = coalesce_values(chart, user)
            golden = CORPUS / "golden" / f"{name}.yaml"
            rendered_from = set(_SOURCE.findall(golden.read_text())) if golden.exists() else set()
            paths = {c.full_path for c in _tree(chart)}
            if not rendered_from <= paths:
                problems.append(f"{name}: missing {sorted(rendered_from - paths)}")
            err_file = CORPUS / "golden" / f"{name}.err"
            schema_failure = err_file.exists() and "don't meet the specifications" in err_file.read_text()
            try:
                validate_values(chart, values)
                if schema_failure:
                    problems.append(f"{name}: helm rejected the values, otterhelm accepted them")
            except SchemaValidationError as err:
                first = err_file.read_text().splitlines() if err_file.exists() else []
                if not schema_failure or f"Error: {err}".splitlines() != first[: len(str(err).splitlines())]:
                    problems.append(f"{name}: unexpected schema failure {err}")
        assert problems == []
    finally:
        os.chdir(cwd)
