#!/usr/bin/env python3
"""Render every corpus case with `otterhelm template` and with the real `helm template`,
interleaved in the same run, and print per-case and median whole-process time ratios
(otterhelm / helm; below 1.0 means otterhelm is faster), then the in-process render time
with a warm template cache.

usage: .venv/bin/python bench/render.py [--corpus DIR] [--repeat N] [--only TEXT] [--limit N]
The corpus folder defaults to $OTTERHELM_CORPUS, else ../shared/charts next to the checkout;
helm is the toolchain's helm v4.3.1 (scripts/tools builds it), or $HELM_BIN.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def helm_binary() -> Path:
    if os.environ.get("HELM_BIN"):
        return Path(os.environ["HELM_BIN"])
    from otterhelm.devcluster.toolchain import HELM, Toolchain, default_tools_dir

    return Toolchain(default_tools_dir(os.environ, Path.home())).binary(HELM)


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def warm_render_seconds(args: list[str], cwd: Path, repeat: int) -> float | None:
    """Median in-process time of the whole `template` command after one warm-up call that
    fills the template cache (chart loading and values included)."""
    import argparse as ap

    from otterhelm.cli import template
    from otterhelm.render.engine import TemplateCache

    parser = ap.ArgumentParser(prog="otterhelm template")
    template.add_arguments(parser)
    cache = TemplateCache()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        samples = []
        for i in range(repeat + 1):
            parsed = parser.parse_args(args[1:])
            start = time.perf_counter()
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    template.render_text(parsed, cache)
            except template.CommandError:
                return None
            if i:
                samples.append(time.perf_counter() - start)
        return statistics.median(samples)
    finally:
        os.chdir(old)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument(
        "--corpus", default=os.environ.get("OTTERHELM_CORPUS", str(ROOT.parent / "shared" / "charts"))
    )
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only", default="")
    p.add_argument("--limit", type=int, default=0)
    a = p.parse_args()
    corpus = Path(a.corpus)
    cases = [c for c in json.loads((corpus / "cases.json").read_text())["cases"] if a.only in c["case"]]
    if a.limit:
        cases = cases[: a.limit]
    ours = [str(ROOT / ".venv" / "bin" / "otterhelm")]
    helm = [str(helm_binary())]
    # Installed packages carry bytecode; an editable checkout run with PYTHONDONTWRITEBYTECODE
    # would recompile every module on every start, so compile once up front.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    ratios: list[float] = []
    warm: list[float] = []
    print(f"{'case':70} {'otterhelm':>10} {'helm':>8} {'ratio':>6} {'warm':>8}")
    for case in cases:
        o_times, h_times = [], []
        # One untimed run each, so both measure a warm machine (page cache, template cache).
        timed(ours + case["args"], corpus)
        timed(helm + case["args"], corpus)
        for _ in range(a.repeat):
            o_times.append(timed(ours + case["args"], corpus))
            h_times.append(timed(helm + case["args"], corpus))
        o, h = statistics.median(o_times), statistics.median(h_times)
        ratios.append(o / h)
        w = warm_render_seconds(case["args"], corpus, a.repeat)
        if w is not None:
            warm.append(w)
        warm_text = f"{w * 1000:7.1f}ms" if w is not None else "    fail"
        print(f"{case['case'][:70]:70} {o * 1000:8.1f}ms {h * 1000:6.1f}ms {o / h:6.2f} {warm_text}")
    print(f"cases: {len(cases)}")
    print(f"median whole-process ratio otterhelm/helm: {statistics.median(ratios):.2f}")
    if warm:
        print(f"median in-process warm render: {statistics.median(warm) * 1000:.1f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
