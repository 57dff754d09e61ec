"""The document model every figure fills in, and the writer of docs/benchmarks.md (tables in
Markdown; plots as PNG files beside it when matplotlib is installed)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import Machine
from bench.measure import Comparison, Spread


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


@dataclass(frozen=True)
class Bars:
    """A plot of ratios (one bar per label, the median, with a min–max whisker) against a target."""

    file_name: str
    title: str
    labels: Sequence[str]
    ratios: Sequence[Spread]
    target: float | None = None
    horizontal: bool = False


@dataclass(frozen=True)
class Target:
    what: str
    limit: float
    measured: float | None

    @property
    def met(self) -> bool | None:
        return None if self.measured is None else self.measured <= self.limit


@dataclass
class Section:
    title: str
    method: str
    tables: list[Table] = field(default_factory=list)
    plots: list[Bars] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    machine: Machine
    command: str
    sections: list[Section] = field(default_factory=list)
    load_average_end: tuple[float, float, float] | None = None
    preamble: str = ""


def seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def ratio_text(spread: Spread) -> str:
    return f"{spread.median:.2f}× ({spread.low:.2f}–{spread.high:.2f})"


def comparison_cells(comparison: Comparison) -> list[str]:
    return [seconds(comparison.ours.median), seconds(comparison.helm.median), ratio_text(comparison.ratio)]


def _table_lines(table: Table) -> list[str]:
    lines = []
    if table.caption:
        lines += [table.caption, ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in table.columns) + "|")
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table.rows]
    return [*lines, ""]


def _machine_lines(report: Report) -> list[str]:
    m = report.machine
    end = report.load_average_end
    rows = [
        ("date", m.started_utc),
        ("CPU", f"{m.cpu_model}, {m.cores} cores"),
        ("memory", f"{m.memory_gib:.1f} GiB"),
        ("load average at start (1/5/15 min)", " / ".join(f"{x:.2f}" for x in m.load_average)),
        ("load average at end", " / ".join(f"{x:.2f}" for x in end) if end else "n/a"),
        ("kernel", m.kernel),
        ("Python", m.python),
        ("helm", m.helm),
        ("kube-apiserver (devcluster)", m.kube_apiserver),
        ("otterhelm commit", m.otterhelm_commit),
    ]
    return _table_lines(Table(("machine", ""), [list(r) for r in rows]))


def render_markdown(report: Report, plot_files: dict[str, str]) -> str:
    lines = ["# Benchmarks: otterhelm against helm v4.3.1", ""]
    if report.preamble:
        lines += [report.preamble, ""]
    lines += [f"Produced by `{report.command}`.", ""]
    lines += _machine_lines(report)
    targets = [t for s in report.sections for t in s.targets]
    if targets:
        rows = [
            [
                t.what,
                f"≤ {t.limit:.2f}×",
                "not measured" if t.measured is None else f"{t.measured:.2f}×",
                {True: "met", False: "missed", None: "n/a"}[t.met],
            ]
            for t in targets
        ]
        lines += ["## Targets", ""]
        lines += _table_lines(Table(("target", "limit", "measured (median)", ""), rows))
    for section in report.sections:
        lines += [f"## {section.title}", "", section.method, ""]
        for table in section.tables:
            lines += _table_lines(table)
        for plot in section.plots:
            if plot.file_name in plot_files:
                lines += [f"![{plot.title}]({plot_files[plot.file_name]})", ""]
        for note in section.notes:
            lines += [note, ""]
    return "\n".join(lines).rstrip() + "\n"


def draw_plots(report: Report, directory: Path) -> dict[str, str]:
    """PNG files for every plot, named relative to `directory`; none without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return {}
    written: dict[str, str] = {}
    for section in report.sections:
        for plot in section.plots:
            if not plot.ratios:
                continue
            count = len(plot.labels)
            size = (11, max(3.0, 0.17 * count + 1.2)) if plot.horizontal else (max(5.0, 0.9 * count + 2), 4)
            figure, axes = plt.subplots(figsize=size)
            medians = [r.median for r in plot.ratios]
            errors = [
                [r.median - r.low for r in plot.ratios],
                [r.high - r.median for r in plot.ratios],
            ]
            positions = list(range(count))
            if plot.horizontal:
                axes.barh(positions, medians, xerr=errors, color="#4c72b0", ecolor="#555555", capsize=2)
                axes.set_yticks(positions, list(plot.labels), fontsize=6)
                axes.margins(y=0.5 / max(count, 1))
                axes.invert_yaxis()
                axes.set_xlabel("otterhelm / helm (median, min–max whisker)")
                if plot.target is not None:
                    axes.axvline(plot.target, color="#c44e52", linestyle="--", label=f"target {plot.target}×")
            else:
                axes.bar(positions, medians, yerr=errors, color="#4c72b0", ecolor="#555555", capsize=3)
                axes.set_xticks(positions, list(plot.labels), rotation=20, ha="right", fontsize=8)
                axes.set_ylabel("otterhelm / helm (median, min–max whisker)")
                if plot.target is not None:
                    axes.axhline(plot.target, color="#c44e52", linestyle="--", label=f"target {plot.target}×")
            if plot.target is not None:
                axes.legend(loc="best", fontsize=8)
            if plot.horizontal:
                # Long case names push the axes right; a figure title stays inside the picture.
                figure.suptitle(plot.title, fontsize=10)
            else:
                axes.set_title(plot.title, fontsize=10)
            # Room at the top for the figure title (half an inch, whatever the height).
            figure.tight_layout(rect=(0, 0, 1, 1 - 0.5 / size[1]) if plot.horizontal else None)
            figure.savefig(directory / plot.file_name, dpi=110, bbox_inches="tight")
            plt.close(figure)
            written[plot.file_name] = plot.file_name
    return written


def write(report: Report, out: Path, *, plots: bool = True) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    plot_files = draw_plots(report, out.parent) if plots else {}
    out.write_text(render_markdown(report, plot_files))


def with_kube_version(machine: Machine, version: str) -> Machine:
    return dataclasses.replace(machine, kube_apiserver=version)
