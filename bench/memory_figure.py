"""Figure 5: peak resident memory of `otterhelm template` against `helm template` on the
largest corpus charts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from bench.measure import CommandFailed, Spread, peak_memory
from bench.render_figure import Case
from bench.report import Section, Table

# The chart with the most templates and values in the corpus, besides the case with the
# largest output (which is chosen from cases.json).
LARGEST_CHART_CASE = "prometheus-community+helm-charts__kube-prometheus-stack"


def largest_cases(cases: Sequence[Case]) -> list[Case]:
    rendered = [c for c in cases if c.helm_rc == 0]
    chosen = [max(rendered, key=lambda c: c.lines)]
    chosen += [c for c in rendered if c.name == LARGEST_CHART_CASE and c not in chosen]
    return chosen


def _mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def measure(case: Case, corpus: Path, ours: list[str], helm: list[str], rounds: int) -> tuple[Spread, Spread]:
    ours_kib: list[float] = []
    helm_kib: list[float] = []
    for round_ in range(rounds):
        pairs = [(ours + case.args, ours_kib), (helm + case.args, helm_kib)]
        for command, memory in pairs if round_ % 2 == 0 else reversed(pairs):
            sample = peak_memory(command, cwd=corpus)
            if sample.returncode != 0:
                raise CommandFailed(f"{' '.join(command)} exited {sample.returncode}")
            memory.append(sample.peak_rss_kib)
    return Spread.of(ours_kib), Spread.of(helm_kib)


def run(
    corpus_cases: Sequence[Case],
    corpus: Path,
    ours: list[str],
    helm: list[str],
    rounds: int,
    progress: Callable[[str], None],
) -> Section:
    rows = []
    for case in largest_cases(corpus_cases):
        ours_peak, helm_peak = measure(case, corpus, ours, helm, rounds)
        progress(f"memory {case.name}: {_mib(ours_peak.median)} vs {_mib(helm_peak.median)}")
        rows.append(
            [
                f"{case.name} ({case.lines} lines out)",
                f"{_mib(ours_peak.median)} ({_mib(ours_peak.low)}–{_mib(ours_peak.high)})",
                f"{_mib(helm_peak.median)} ({_mib(helm_peak.low)}–{_mib(helm_peak.high)})",
                f"{ours_peak.median / helm_peak.median:.2f}×",
            ]
        )
    return Section(
        title="5. Memory",
        method=(
            "Peak resident set of the whole `template` process: the command's `ru_maxrss` from "
            "`wait4`, started by a small launcher interpreter (Linux carries the pre-exec memory "
            "of the forking process into the child's peak, so the benchmark process itself must not "
            "be the parent). Cases: the one with the largest output and kube-prometheus-stack, the "
            f"corpus's largest chart; {rounds} interleaved rounds."
        ),
        tables=[
            Table(
                ("case", "otterhelm template: median (min–max)", "helm template: median (min–max)", "ratio"),
                rows,
            )
        ],
    )
