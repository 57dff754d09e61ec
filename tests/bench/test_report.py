"""The document writer: machine table, targets, sections, plots only when asked for."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bench.machine import Machine
from bench.measure import Spread
from bench.report import Bars, Report, Section, Table, Target, render_markdown, write

MACHINE = Machine(
    cpu_model="Test CPU",
    cores=2,
    memory_gib=24.0,
    load_average=(0.5, 0.25, 0.125),
    kernel="6.1",
    python="3.11.7",
    helm="v4.3.1",
    otterhelm_commit="abc1234",
    kube_apiserver="v1.36.3",
    started_utc="2026-01-01 00:00 UTC",
)


def sample_report() -> Report:
    report = Report(machine=MACHINE, command="python -m bench --quick")
    report.sections.append(
        Section(
            title="1. Render",
            method="how it was measured",
            tables=[Table(("case", "ratio"), [["a|b", "0.50×"]])],
            plots=[Bars("benchmarks-test.png", "ratios", ["a"], [Spread.of([0.4, 0.5, 0.6])], target=1.0)],
            targets=[Target("render ≤ 1.0×", 1.0, 0.5), Target("warm ≤ 0.3×", 0.3, 0.45)],
            notes=["a note"],
        )
    )
    return report


def test_markdown_has_machine_targets_and_tables() -> None:
    text = render_markdown(sample_report(), {})
    assert "| CPU | Test CPU, 2 cores |" in text
    assert "| kube-apiserver (devcluster) | v1.36.3 |" in text
    assert "| render ≤ 1.0× | ≤ 1.00× | 0.50× | met |" in text
    assert "| warm ≤ 0.3× | ≤ 0.30× | 0.45× | missed |" in text
    assert "| a\\|b | 0.50× |" in text
    assert "![ratios]" not in text
    assert text.index("## 1. Render") < text.index("how it was measured") < text.index("a note")


def test_write_without_plots(tmp_path: Path) -> None:
    write(sample_report(), tmp_path / "out.md", plots=False)
    assert (tmp_path / "out.md").read_text().startswith("# Benchmarks")
    assert not (tmp_path / "benchmarks-test.png").exists()


def test_write_with_plots_draws_them_when_matplotlib_is_there(tmp_path: Path) -> None:
    write(sample_report(), tmp_path / "out.md", plots=True)
    png = tmp_path / "benchmarks-test.png"
    text = (tmp_path / "out.md").read_text()
    if importlib.util.find_spec("matplotlib") is None:
        # Plotting is optional: without matplotlib the document simply has no picture.
        assert not png.exists() and "![ratios]" not in text
    else:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "![ratios](benchmarks-test.png)" in text
