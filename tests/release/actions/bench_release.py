"""Install and upgrade times of `otterhelm` against the real helm v4.3.1 on one API server.

Run: `python tests/release/actions/bench_release.py [CHARTS_DIR]`. Starts a private
devcluster, then for each chart installs and upgrades it with both tools side by side (whole
processes, same flags, fresh namespaces, median of several rounds) and prints a table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from otterhelm import devcluster
from otterhelm.devcluster import HELM, Toolchain, default_tools_dir

CHARTS = (
    "src/bitnami+charts/redis",
    "src/kubernetes+dashboard/kubernetes-dashboard",
    "src/bitnami+charts/grafana-tempo",
)
ROUNDS = 3


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return elapsed


def _namespace(cluster: devcluster.DevCluster, name: str) -> None:
    with cluster.http_client() as client:
        client.post("/api/v1/namespaces", json={"metadata": {"name": name}}).raise_for_status()


def main(charts_dir: Path) -> None:
    toolchain = Toolchain(default_tools_dir(os.environ, Path.home()))
    helm = str(toolchain.binary(HELM))
    with tempfile.TemporaryDirectory() as state:
        cluster = devcluster.start(Path(state) / "cluster", toolchain, die_with_caller=True)
        try:
            env = {
                **os.environ,
                "KUBECONFIG": str(cluster.kubeconfig),
                "HELM_CACHE_HOME": f"{state}/helm/cache",
                "HELM_CONFIG_HOME": f"{state}/helm/config",
                "HELM_DATA_HOME": f"{state}/helm/data",
            }
            tools = {"helm": [helm], "otterhelm": [sys.executable, "-m", "otterhelm"]}
            print("chart\taction\thelm s\totterhelm s\tratio")
            for index, chart_path in enumerate(CHARTS):
                chart = str(charts_dir / chart_path)
                times: dict[tuple[str, str], list[float]] = {}
                for round_ in range(ROUNDS):
                    for tool, command in tools.items():
                        ns = f"bench-{index}-{round_}-{tool}"
                        _namespace(cluster, ns)
                        # Distinct names: cluster-scoped objects are named after the release.
                        name = f"r{round_}-{tool}"
                        install = _timed([*command, "install", name, chart, "-n", ns], env)
                        upgrade = _timed(
                            [*command, "upgrade", name, chart, "--set", "benchRound=2", "-n", ns], env
                        )
                        print(
                            f"# {chart_path} {tool} round {round_}: install {install:.2f} upgrade {upgrade:.2f}"
                        )
                        times.setdefault((tool, "install"), []).append(install)
                        times.setdefault((tool, "upgrade"), []).append(upgrade)
                for action in ("install", "upgrade"):
                    h = statistics.median(times[("helm", action)])
                    o = statistics.median(times[("otterhelm", action)])
                    print(f"{chart_path}\t{action}\t{h:.2f}\t{o:.2f}\t{o / h:.2f}")
        finally:
            devcluster.stop(Path(state) / "cluster", purge=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OTTERHELM_CHARTS", "charts")))
