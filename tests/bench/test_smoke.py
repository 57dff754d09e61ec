"""The benchmark command starts, measures one corpus case with both tools, and writes a
document with one data row carrying a ratio. (The benchmark itself is not a test.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "charts"


@pytest.mark.usefixtures("helm_binary")
def test_smallest_run_writes_one_row_with_a_ratio(tmp_path: Path) -> None:
    out = tmp_path / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--only",
            "render",
            "--quick",
            "--limit",
            "1",
            "--no-plots",
            "--corpus",
            str(CORPUS),
            "--out",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    document = out.read_text()
    assert "| helm | v4.3.1 |" in document
    per_case = document.split("| case | otterhelm | helm |", 1)[1]
    rows = [line for line in per_case.splitlines()[2:] if line.startswith("| ")]
    # One corpus case was measured: exactly one row, with times for both tools and a ratio.
    assert len(rows) == 1, per_case
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert cells[0] == "bitnami+charts__cadvisor"
    assert re.fullmatch(r"[\d.]+ (ms|s)", cells[1]) and re.fullmatch(r"[\d.]+ (ms|s)", cells[2])
    ratio = re.fullmatch(r"([\d.]+)× \(([\d.]+)–([\d.]+)\)", cells[3])
    assert ratio is not None, cells[3]
    assert float(ratio.group(1)) > 0
    assert not list(tmp_path.glob("*.png"))


def test_unknown_figure_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "renderr", "--out", str(tmp_path / "x.md")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "unknown figures: renderr" in done.stderr
    assert not (tmp_path / "x.md").exists()
