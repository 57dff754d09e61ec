"""`python -m bench`: run the figures, interleaving otterhelm and helm, and write the document.

    .venv/bin/python -m bench [--only render,install,scale,load,memory] [--quick] [--rounds N]
                              [--limit N] [--case TEXT] [--out docs/benchmarks.md] [--no-plots]

The corpus defaults to $OTTERHELM_CORPUS, else ../shared/charts beside the checkout; helm is
the toolchain's helm v4.3.1 (or $HELM_BIN). Figures 2–4 start a private devcluster and one
`otterhelm serve` and stop both at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import install_figure, load_figure, memory_figure, render_figure, scale_figure
from bench.environment import cluster_environment
from bench.machine import describe
from bench.measure import peak_rss_kib
from bench.render import helm_binary
from bench.report import Report, Section, with_kube_version, write

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("render", "install", "scale", "load", "memory")
CLUSTER_FIGURES = frozenset({"install", "scale", "load"})
PREAMBLE = (
    "Every ratio is otterhelm / helm (below 1.0 otterhelm is faster), from rounds that run both "
    "tools back to back on the same machine in the same run, alternating which goes first; a "
    "ratio's range pairs round i of one tool with round i of the other. The machine is shared and "
    "has 2 cores, so absolute times are noisy; ratios are the figures to compare. Where a target "
    "is missed, [benchmarks-profiles.md](benchmarks-profiles.md) shows where the time goes."
)


@dataclass(frozen=True)
class Plan:
    figures: frozenset[str]
    render_rounds: int
    render_limit: int
    case_filter: str
    memory_rounds: int
    install_rounds: int
    install_cases: tuple[install_figure.InstallCase, ...]
    load_seconds: float
    load_max_calls: int
    scale_releases: int
    scale_revisions: int
    scale_rounds: int


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", default=",".join(FIGURES), help="comma-separated figures: " + ", ".join(FIGURES)
    )
    parser.add_argument("--quick", action="store_true", help="few cases and rounds, to try the command")
    parser.add_argument("--rounds", type=int, default=0, help="interleaved rounds per measurement")
    parser.add_argument("--limit", type=int, default=0, help="render only the first N corpus cases")
    parser.add_argument("--case", default="", help="render only cases whose name contains this")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-plots", action="store_true", help="tables only, no PNG plots")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("OTTERHELM_CORPUS", ROOT.parent / "shared" / "charts")),
    )
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    figures = frozenset(f.strip() for f in args.only.split(",") if f.strip())
    unknown = figures - set(FIGURES)
    if unknown:
        raise SystemExit(f"unknown figures: {', '.join(sorted(unknown))} (known: {', '.join(FIGURES)})")
    quick = bool(args.quick)
    rounds = args.rounds or (1 if quick else 3)
    return Plan(
        figures=figures,
        render_rounds=rounds,
        render_limit=args.limit or (5 if quick else 0),
        case_filter=args.case,
        memory_rounds=rounds,
        install_rounds=rounds,
        install_cases=install_figure.INSTALL_CASES[:1] if quick else install_figure.INSTALL_CASES,
        load_seconds=2.0 if quick else 10.0,
        load_max_calls=10_000,
        scale_releases=50 if quick else 1000,
        scale_revisions=10,
        scale_rounds=max(2, rounds) if quick else rounds,
    )


def progress(message: str) -> None:
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def failed_section(title: str, error: BaseException) -> Section:
    detail = "".join(traceback.format_exception_only(type(error), error)).strip()
    return Section(title=title, method=f"This figure failed in this run: `{detail[:500]}`")


def attempt(title: str, figure: Callable[[], Section], failures: list[str]) -> Section:
    try:
        return figure()
    except Exception as error:
        traceback.print_exc()
        failures.append(title)
        return failed_section(title, error)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    plan = make_plan(args)
    corpus: Path = args.corpus.resolve()
    helm = helm_binary()
    ours = [str(ROOT / ".venv" / "bin" / "otterhelm")]
    render_figure.compile_bytecode(ROOT / "src")
    machine = describe(helm, ROOT)
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    report = Report(machine=machine, command=command.strip(), preamble=PREAMBLE)
    failures: list[str] = []
    if "render" in plan.figures:
        report.sections.append(
            attempt(
                "1. Render",
                lambda: render_figure.run(
                    corpus,
                    ours,
                    [str(helm)],
                    plan.render_rounds,
                    plan.render_limit,
                    plan.case_filter,
                    progress,
                ),
                failures,
            )
        )
    if "memory" in plan.figures:
        report.sections.append(
            attempt(
                "5. Memory",
                lambda: memory_figure.run(
                    render_figure.load_cases(corpus), corpus, ours, [str(helm)], plan.memory_rounds, progress
                ),
                failures,
            )
        )
    if plan.figures & CLUSTER_FIGURES:
        report.sections += cluster_sections(plan, corpus, helm, ours, report, failures)
    report.sections.sort(key=lambda s: s.title)
    load = os.getloadavg()
    report.load_average_end = (load[0], load[1], load[2])
    write(report, args.out, plots=not args.no_plots)
    progress(f"wrote {args.out}")
    if failures:
        progress(f"failed figures: {', '.join(failures)}")
        return 1
    return 0


def cluster_sections(
    plan: Plan, corpus: Path, helm: Path, ours: list[str], report: Report, failures: list[str]
) -> list[Section]:
    from otterhelm.devcluster import Toolchain, default_tools_dir

    sections: list[Section] = []
    toolchain = Toolchain(default_tools_dir(os.environ, Path.home()))
    with tempfile.TemporaryDirectory(prefix="otterhelm-bench-") as state_text:
        state = Path(state_text)
        with cluster_environment(state, toolchain, corpus / "src", progress) as env:
            report.machine = with_kube_version(report.machine, env.kube_version)
            if "install" in plan.figures:
                sections.append(
                    attempt(
                        "2. Install and upgrade",
                        lambda: install_figure.run(
                            env,
                            helm,
                            corpus,
                            state / "install",
                            plan.install_rounds,
                            plan.install_cases,
                            progress,
                        ),
                        failures,
                    )
                )
            if "load" in plan.figures:
                chart_ref = str(corpus / install_figure.INSTALL_CASES[0].chart)
                sections.append(
                    attempt(
                        "4. Service load",
                        lambda: load_figure.run(
                            env, chart_ref, plan.load_seconds, plan.load_max_calls, progress
                        ),
                        failures,
                    )
                )
            if "scale" in plan.figures:
                sections.append(
                    attempt(
                        "3. Scale",
                        lambda: scale_figure.run(
                            env,
                            helm,
                            ours,
                            plan.scale_releases,
                            plan.scale_revisions,
                            plan.scale_rounds,
                            progress,
                        ),
                        failures,
                    )
                )
            peak = peak_rss_kib(env.service.pid)
            for section in sections:
                if section.title.startswith("4."):
                    section.notes.append(
                        f"Peak RSS of `otterhelm serve` over the whole run (figures 2–4): {peak / 1024:.1f} MiB."
                    )
    return sections
