"""Figure 1: `otterhelm template` against `helm template` over every corpus case (whole
processes, interleaved), the same with otterhelm's template and YAML caches empty (a chart
rendered for the first time), and the warm in-process render (chart loaded, template cache filled: the path
the service takes for every request after the first) against the helm CLI."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Comparison, Spread, run_process
from bench.render import warm_render_seconds
from bench.report import Bars, Section, Table, Target, comparison_cells, ratio_text, seconds


@dataclass(frozen=True)
class Case:
    name: str
    args: list[str]
    helm_rc: int
    lines: int


@dataclass(frozen=True)
class CaseResult:
    case: Case
    whole: Comparison
    warm_seconds: float | None
    # Whole processes with otterhelm's chart caches empty (parsed templates and YAML).
    cold: Comparison

    @property
    def warm_ratio(self) -> float | None:
        if self.warm_seconds is None:
            return None
        return self.warm_seconds / self.whole.helm.median


def load_cases(corpus: Path) -> list[Case]:
    document: dict[str, Any] = json.loads((corpus / "cases.json").read_text())
    return [
        Case(name=c["case"], args=list(c["args"]), helm_rc=int(c["rc"]), lines=int(c["lines"]))
        for c in document["cases"]
    ]


def compile_bytecode(src: Path) -> None:
    """Both tools start from compiled code: helm is a binary, and otterhelm's installed form
    carries bytecode, which an editable checkout only has once something compiled it."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=False)


def measure_case(case: Case, ours: list[str], helm: list[str], corpus: Path, rounds: int) -> CaseResult:
    ours_command, helm_command = ours + case.args, helm + case.args
    # One untimed run each: both then start from a warm page cache.
    run_process(ours_command, cwd=corpus)
    run_process(helm_command, cwd=corpus)
    ours_times: list[float] = []
    helm_times: list[float] = []
    for round_ in range(rounds):
        # Alternating who goes first cancels a slope in the machine's speed within a round.
        order = ((ours_command, ours_times), (helm_command, helm_times))
        for command, times in order if round_ % 2 == 0 else reversed(order):
            times.append(run_process(command, cwd=corpus).seconds)
    warm = warm_render_seconds(case.args, corpus, rounds) if case.helm_rc == 0 else None
    return CaseResult(
        case, Comparison.of(ours_times, helm_times), warm, cold_comparison(case, ours, helm, corpus)
    )


def cold_comparison(
    case: Case, ours: list[str], helm: list[str], corpus: Path, rounds: int = 1
) -> Comparison:
    """otterhelm rendering the chart for the first time, against helm (which keeps no
    caches): each run gets a cache directory (XDG_CACHE_HOME) without parsed templates or
    decoded YAML, holding only the command's start-up files (otterhelm.startup), as on a
    machine where otterhelm has run before but never on this chart."""
    ours_times: list[float] = []
    helm_times: list[float] = []
    startup = _startup_files()
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="otterhelm-cold-") as empty:
            if startup is not None:
                shutil.copytree(startup, Path(empty) / "otterhelm" / "startup")
            env = {**os.environ, "XDG_CACHE_HOME": empty}
            ours_times.append(run_process(ours + case.args, cwd=corpus, env=env).seconds)
        helm_times.append(run_process(helm + case.args, cwd=corpus).seconds)
    return Comparison.of(ours_times, helm_times)


def _startup_files() -> Path | None:
    """The start-up files the timed rounds use (otterhelm.startup.default_bundle_directory)."""
    from otterhelm.startup import default_bundle_directory

    directory = Path(default_bundle_directory())
    return directory if directory.is_dir() else None


def run(
    corpus: Path,
    ours: list[str],
    helm: list[str],
    rounds: int,
    limit: int,
    only: str,
    progress: Callable[[str], None],
) -> Section:
    cases = [c for c in load_cases(corpus) if only in c.name]
    if limit:
        cases = cases[:limit]
    results = []
    for index, case in enumerate(cases, 1):
        result = measure_case(case, ours, helm, corpus, rounds)
        warm = "n/a" if result.warm_seconds is None else seconds(result.warm_seconds)
        progress(
            f"render {index}/{len(cases)} {case.name}: {ratio_text(result.whole.ratio)}"
            f" caches empty {ratio_text(result.cold.ratio)} warm {warm}"
        )
        results.append(result)
    return section(results, rounds)


def _warm_cell(result: CaseResult) -> str:
    ratio = result.warm_ratio
    if result.warm_seconds is None or ratio is None:
        return "n/a (helm fails this case)"
    return f"{seconds(result.warm_seconds)} ({ratio:.2f}×)"


def _summary_row(label: str, ratios: Sequence[float], limit: float) -> list[str]:
    """Per-case median ratios summed up: their median, IQR and range, and how many meet `limit`."""
    spread = Spread.of(list(ratios))
    return [
        label,
        str(len(ratios)),
        f"{spread.median:.2f}×",
        f"{spread.q1:.2f}–{spread.q3:.2f}",
        f"{spread.low:.2f}–{spread.high:.2f}",
        f"{sum(r <= limit for r in ratios)}",
    ]


def section(results: Sequence[CaseResult], rounds: int) -> Section:
    whole_medians = [r.whole.ratio.median for r in results]
    cold_medians = [r.cold.ratio.median for r in results]
    warm_ratios = [r for r in (r.warm_ratio for r in results) if r is not None]
    summary_rows = [
        _summary_row(label, ratios, limit)
        for label, ratios, limit in (
            ("whole process: `otterhelm template` / `helm template`", whole_medians, 1.0),
            ("whole process, otterhelm's caches empty (first render of a chart)", cold_medians, 1.0),
            ("warm in-process render / `helm template`", warm_ratios, 0.3),
        )
        if ratios
    ]
    totals = Table(
        ("sum over cases", "otterhelm", "helm", "ratio"),
        [
            [
                "whole process (sum of per-case medians)",
                seconds(sum(r.whole.ours.median for r in results)),
                seconds(sum(r.whole.helm.median for r in results)),
                f"{sum(r.whole.ours.median for r in results) / max(sum(r.whole.helm.median for r in results), 1e-9):.2f}×",
            ]
        ],
    )
    per_case = Table(
        (
            "case",
            "otterhelm",
            "helm",
            "ratio: median (min–max)",
            "caches empty (/ helm)",
            "warm render (/ helm)",
        ),
        [
            [
                r.case.name,
                *comparison_cells(r.whole),
                f"{seconds(r.cold.ours.median)} ({r.cold.ratio.median:.2f}×)",
                _warm_cell(r),
            ]
            for r in results
        ],
        caption=f"Per case: medians of {rounds} interleaved rounds; the ratio range pairs round i with round i.",
    )
    ordered = sorted(results, key=lambda r: r.whole.ratio.median)
    plots = [
        Bars(
            file_name="benchmarks-render.png",
            title="otterhelm template / helm template, whole process, per corpus case",
            labels=[r.case.name for r in ordered],
            ratios=[r.whole.ratio for r in ordered],
            target=1.0,
            horizontal=True,
        )
    ]
    return Section(
        title="1. Render",
        method=(
            "Every case of the shared chart corpus (`cases.json`: chart, values flags, run from the "
            "corpus folder) rendered by `otterhelm template` and by `helm template` as whole processes "
            "(start-up included, output to /dev/null). Per case: one untimed run of each, then "
            f"{rounds} rounds that run both tools back to back, alternating which goes first. "
            "otterhelm keeps parsed templates and decoded YAML files in its cache directory, so "
            "those rounds render charts it has seen before (as a user re-rendering a chart does); "
            "the caches-empty row runs it once more per case with a cache directory holding none of "
            "them (only the command's start-up files, which every run after otterhelm's first has), "
            "next to one more helm run: the first render of a chart. "
            "Warm render is the in-process path of a long-lived service (bench/render.py's "
            "`warm_render_seconds`, from the render work): the chart and the case's values flags "
            "loaded once, then rendered repeatedly from a fresh copy with one warm TemplateCache "
            "(one untimed render fills it; values, rendering, manifest sorting and the output text "
            "are timed); the median of the timed renders is "
            "divided by the median whole-process `helm template` time of the same case. Summary "
            "rows aggregate the per-case median ratios: median, interquartile range and min–max over "
            "cases, and how many cases meet the target."
        ),
        tables=[
            Table(
                ("figure", "cases", "median ratio", "IQR over cases", "min–max over cases", "cases ≤ target"),
                summary_rows,
            ),
            totals,
            per_case,
        ],
        plots=plots,
        targets=[
            Target(
                "render, whole process ≤ 1.0× helm",
                1.0,
                statistics.median(whole_medians) if whole_medians else None,
            ),
            Target(
                "warm render ≤ 0.3× helm CLI",
                0.3,
                statistics.median(warm_ratios) if warm_ratios else None,
            ),
        ],
    )
