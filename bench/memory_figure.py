"""Figure 5: peak resident memory of `otterhelm template` against `helm template` on the
corpus case with the largest output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.measure import Spread, checked, run_process
from bench.render_figure import Case
from bench.report import Section, Table


def largest_case(cases: list[Case]) -> Case:
    return max((c for c in cases if c.helm_rc == 0), key=lambda c: c.lines)


def run(
    corpus_cases: list[Case],
    corpus: Path,
    ours: list[str],
    helm: list[str],
    rounds: int,
    progress: Callable[[str], None],
) -> Section:
    case = largest_case(corpus_cases)
    ours_kib: list[float] = []
    helm_kib: list[float] = []
    ours_s: list[float] = []
    helm_s: list[float] = []
    for round_ in range(rounds):
        pairs = [(ours + case.args, ours_kib, ours_s), (helm + case.args, helm_kib, helm_s)]
        for command, memory, times in pairs if round_ % 2 == 0 else reversed(pairs):
            sample = checked(run_process(command, cwd=corpus), command)
            memory.append(sample.peak_rss_kib)
            times.append(sample.seconds)
    ours_peak, helm_peak = Spread.of(ours_kib), Spread.of(helm_kib)
    ratio = Spread.of([o / h for o, h in zip(ours_kib, helm_kib, strict=True)])
    progress(f"memory {case.name}: {ours_peak.median / 1024:.0f} MiB vs {helm_peak.median / 1024:.0f} MiB")
    return Section(
        title="5. Memory",
        method=(
            f"Peak resident set (the child's `ru_maxrss`, read with `os.wait4` when it exits) of the "
            f"whole `template` process on the corpus case with the largest output, `{case.name}` "
            f"({case.lines} lines of YAML), {rounds} interleaved rounds."
        ),
        tables=[
            Table(
                ("tool", "peak RSS median", "min–max", "wall time median"),
                [
                    [
                        "otterhelm template",
                        f"{ours_peak.median / 1024:.1f} MiB",
                        f"{ours_peak.low / 1024:.1f}–{ours_peak.high / 1024:.1f} MiB",
                        f"{Spread.of(ours_s).median:.2f} s",
                    ],
                    [
                        "helm template",
                        f"{helm_peak.median / 1024:.1f} MiB",
                        f"{helm_peak.low / 1024:.1f}–{helm_peak.high / 1024:.1f} MiB",
                        f"{Spread.of(helm_s).median:.2f} s",
                    ],
                    [
                        "ratio otterhelm / helm",
                        f"{ratio.median:.2f}×",
                        f"{ratio.low:.2f}–{ratio.high:.2f}×",
                        "",
                    ],
                ],
            )
        ],
    )
