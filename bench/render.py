#!/usr/bin/env python3
"""Render every corpus case with `otterhelm template` and with the real `helm template`,
interleaved in the same run, and print per-case and median whole-process time ratios
(otterhelm / helm; below 1.0 means otterhelm is faster), then the warm in-process render
time and its ratio to helm's whole process.

usage: .venv/bin/python bench/render.py [--corpus DIR] [--repeat N] [--only TEXT] [--limit N]
The corpus folder defaults to $OTTERHELM_CORPUS, else ../shared/charts next to the checkout;
helm is the toolchain's helm v4.3.1 (scripts/tools builds it), or $HELM_BIN.

As a library:
- `load_cases(corpus, only, limit)`: the corpus cases (each has `case` and `args`);
- `whole_process_seconds(args, corpus, repeat, ours, helm)`: median whole-process seconds
  of otterhelm and of helm for one case's arguments, runs interleaved;
- `warm_render_seconds(args, corpus, repeat)`: median seconds of one in-process render of
  the case (chart loaded once, template cache warm; values, rendering, sorting and output
  timed), or None when the case fails;
- `helm_binary()`, `otterhelm_command()`, `compile_sources()`.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def helm_binary() -> Path:
    if os.environ.get("HELM_BIN"):
        return Path(os.environ["HELM_BIN"])
    from otterhelm.devcluster.toolchain import HELM, Toolchain, default_tools_dir

    return Toolchain(default_tools_dir(os.environ, Path.home())).binary(HELM)


def otterhelm_command() -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "otterhelm")]


def compile_sources() -> None:
    """Installed packages carry bytecode; an editable checkout run with PYTHONDONTWRITEBYTECODE
    would recompile every changed module on every start, so compile once up front."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)


def load_cases(corpus: Path, only: str = "", limit: int = 0) -> list[dict[str, Any]]:
    cases = [c for c in json.loads((corpus / "cases.json").read_text())["cases"] if only in c["case"]]
    return cases[:limit] if limit else cases


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def whole_process_seconds(
    args: list[str], corpus: Path, repeat: int, ours: list[str], helm: list[str]
) -> tuple[float, float]:
    """Median whole-process seconds of (otterhelm, helm), each run once untimed first so
    both measure a warm machine (page cache, parse-tree cache)."""
    timed(ours + args, corpus)
    timed(helm + args, corpus)
    ours_times, helm_times = [], []
    for _ in range(repeat):
        ours_times.append(timed(ours + args, corpus))
        helm_times.append(timed(helm + args, corpus))
    return statistics.median(ours_times), statistics.median(helm_times)


def warm_render_seconds(args: list[str], corpus: Path, repeat: int) -> float | None:
    """Median in-process time of one render as a long-lived service does it: the chart is
    loaded once and the template cache is warm (one untimed render fills it); each timed
    render gets a fresh copy of the loaded chart and values (rendering changes the chart)
    and covers values, rendering, manifest sorting and the output text."""
    import argparse as ap

    from otterhelm.cli import template
    from otterhelm.errors import OtterhelmError
    from otterhelm.render.engine import TemplateCache
    from otterhelm.template.gcpause import collector_paused

    parser = ap.ArgumentParser(prog="otterhelm template")
    template.add_arguments(parser)
    parsed = parser.parse_args(args[1:])
    cache = TemplateCache()
    old = Path.cwd()
    os.chdir(corpus)
    try:
        loaded = template.load_request(parsed)
        samples = []
        for i in range(repeat + 1):
            request = copy.deepcopy(loaded)
            # Output-dir cases write files; their text is what is timed here.
            parsed.output_dir = ""
            with collector_paused():
                start = time.perf_counter()
                template.render_loaded(parsed, request, cache)
                elapsed = time.perf_counter() - start
            if i:
                samples.append(elapsed)
        return statistics.median(samples)
    except (template.CommandError, OtterhelmError):
        return None
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
    cases = load_cases(corpus, a.only, a.limit)
    ours, helm = otterhelm_command(), [str(helm_binary())]
    compile_sources()
    ratios: list[float] = []
    warm_ratios: list[float] = []
    warm: list[float] = []
    print(f"{'case':60} {'otterhelm':>10} {'helm':>8} {'ratio':>6} {'warm':>8} {'warm/helm':>9}")
    for case in cases:
        o, h = whole_process_seconds(case["args"], corpus, a.repeat, ours, helm)
        ratios.append(o / h)
        w = warm_render_seconds(case["args"], corpus, a.repeat)
        if w is not None:
            warm.append(w)
            warm_ratios.append(w / h)
        warm_text = f"{w * 1000:7.1f}ms {w / h:9.2f}" if w is not None else "    fail          "
        print(
            f"{case['case'][:60]:60} {o * 1000:8.1f}ms {h * 1000:6.1f}ms {o / h:6.2f} {warm_text}", flush=True
        )
    print(f"cases: {len(cases)}")
    print(f"median whole-process ratio otterhelm/helm: {statistics.median(ratios):.2f}")
    if warm:
        print(f"median in-process warm render: {statistics.median(warm) * 1000:.1f}ms")
        print(f"median warm render / helm whole process: {statistics.median(warm_ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
