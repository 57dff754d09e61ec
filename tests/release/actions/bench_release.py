"""Install and upgrade times of `otterhelm` against the real helm v4.3.1 on one API server.

Run: `python tests/release/actions/bench_release.py [CHARTS_DIR] [ROUNDS] [CHART,...]` (the
last argument picks charts by a part of their path). Starts a private
devcluster, then for each chart installs and upgrades it, round after round, with
- `helm` (whole process),
- `otterhelm` (whole process, same flags),
- the install and upgrade actions in this process (the code path the service's
  CreateRelease/UpdateRelease run), warm: one client, discovery documents and parsed
  templates kept between calls, as a running service keeps them,
each time under a fresh name in a fresh namespace, and prints the medians. With
OTTERHELM_BENCH_BASELINE set to another checkout's `src` directory, that otterhelm's CLI
runs too ("baseline"), interleaved with the others, for before/after comparisons. Every tool gets
one untimed install per chart first, so that every cache (helm's and otterhelm's discovery
caches on disk, otterhelm's parse trees) is warm. Charts whose hooks are Jobs run with
`--no-hooks`: a devcluster has no kubelet, so such hooks never finish."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from otterhelm import devcluster
from otterhelm.chart.loader import load
from otterhelm.devcluster import HELM, Toolchain, default_tools_dir
from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.deploy import DeployOptions
from otterhelm.release.actions.discoverycache import MemoryDocumentCache
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.storage import ReleaseStorage
from otterhelm.render.engine import TemplateCache


@dataclass(frozen=True)
class BenchChart:
    path: str
    no_hooks: bool = False
    # Values (dotted paths) set to the release name: cluster-wide names the chart does not
    # derive from the release name on its own.
    named: tuple[str, ...] = ()

    def flags(self, name: str) -> list[str]:
        hooks = ["--no-hooks"] if self.no_hooks else []
        return hooks + [arg for key in self.named for arg in ("--set", f"{key}={name}")]

    def values(self, name: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in self.named:
            *parents, leaf = key.split(".")
            level = values
            for parent in parents:
                level = level.setdefault(parent, {})
            level[leaf] = name
        return values


CHARTS = (
    BenchChart("src/bitnami+charts/redis"),
    BenchChart("src/kubernetes+dashboard/kubernetes-dashboard"),
    BenchChart("src/bitnami+charts/grafana-tempo"),
    BenchChart(
        "src/kubernetes+ingress-nginx/ingress-nginx",
        no_hooks=True,
        named=("controller.ingressClassResource.name",),
    ),
    BenchChart("src/prometheus-community+helm-charts/kube-prometheus-stack", no_hooks=True),
)
ROUNDS = 5
TOOLS = ("helm", "otterhelm", "in-process")
UPGRADE_VALUES = {"benchRound": 2}


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return elapsed


@dataclass
class InProcess:
    """What a running service keeps between requests: one client, discovery documents and
    parsed templates; each call gets a fresh ActionContext as a request does."""

    kubeconfig: Path
    runner: asyncio.Runner = field(default_factory=asyncio.Runner)
    documents: MemoryDocumentCache = field(default_factory=MemoryDocumentCache)
    templates: TemplateCache = field(default_factory=TemplateCache)
    client: KubeClient | None = None

    def context(self, namespace: str) -> ActionContext:
        if self.client is None:
            self.client = KubeClient(load_kubeconfig(self.kubeconfig))
        return ActionContext(
            ReleaseStorage(self.client, namespace), documents=self.documents, template_cache=self.templates
        )

    def install(self, chart_dir: str, bench: BenchChart, name: str, namespace: str) -> float:
        """Seconds for the install action alone (the chart is loaded before, untimed)."""
        chart = load(chart_dir)
        deploy = DeployOptions(no_hooks=bench.no_hooks)
        opts = InstallOptions(name=name, deploy=deploy, chart_reference=chart_dir)
        return self._timed(lambda: install(self.context(namespace), chart, bench.values(name), opts))

    def upgrade(self, chart_dir: str, bench: BenchChart, name: str, namespace: str) -> float:
        chart = load(chart_dir)
        deploy = DeployOptions(no_hooks=bench.no_hooks)
        opts = UpgradeOptions(name=name, deploy=deploy, chart_reference=chart_dir)
        values = {**bench.values(name), **UPGRADE_VALUES}
        return self._timed(lambda: upgrade(self.context(namespace), chart, values, opts))

    def _timed(self, action: Callable[[], Any]) -> float:
        started = time.perf_counter()
        self.runner.run(action())
        return time.perf_counter() - started

    def close(self) -> None:
        if self.client is not None:
            self.runner.run(self.client.aclose())
        self.runner.close()


def _namespace(cluster: devcluster.DevCluster, name: str) -> None:
    with cluster.http_client() as client:
        client.post("/api/v1/namespaces", json={"metadata": {"name": name}}).raise_for_status()


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}" if base else "-"


def main(charts_dir: Path, rounds: int, picked: list[str]) -> None:
    toolchain = Toolchain(default_tools_dir(os.environ, Path.home()))
    helm = str(toolchain.binary(HELM))
    with tempfile.TemporaryDirectory() as state:
        cluster = devcluster.start(Path(state) / "cluster", toolchain, die_with_caller=True)
        in_process = InProcess(cluster.kubeconfig)
        try:
            env = {
                **os.environ,
                "KUBECONFIG": str(cluster.kubeconfig),
                "HELM_CACHE_HOME": f"{state}/helm/cache",
                "HELM_CONFIG_HOME": f"{state}/helm/config",
                "HELM_DATA_HOME": f"{state}/helm/data",
                "XDG_CACHE_HOME": f"{state}/otterhelm-cache",
            }
            commands = {"helm": [helm], "otterhelm": [sys.executable, "-m", "otterhelm"]}
            envs = {"helm": env, "otterhelm": env}
            tools: tuple[str, ...] = TOOLS
            baseline = os.environ.get("OTTERHELM_BENCH_BASELINE")
            if baseline:
                commands["baseline"] = commands["otterhelm"]
                envs["baseline"] = {**env, "PYTHONPATH": baseline}
                tools = ("baseline", *TOOLS)
            heads = [f"{t} s" for t in tools] + [f"{t}/helm" for t in tools]
            print("chart\taction\t" + "\t".join(heads))
            for index, bench in enumerate(CHARTS):
                if picked and not any(part in bench.path for part in picked):
                    continue
                chart = str(charts_dir / bench.path)
                times: dict[tuple[str, str], list[float]] = {}
                for round_ in range(-1, rounds):  # round -1 warms every cache, untimed
                    for tool in tools:
                        ns = f"bench-{index}-{round_ + 1}-{tool}"
                        _namespace(cluster, ns)
                        # Distinct names: cluster-scoped objects are named after the release.
                        name = f"r{round_ + 1}-{tool}"
                        if tool == "in-process":
                            took = (
                                in_process.install(chart, bench, name, ns),
                                in_process.upgrade(chart, bench, name, ns),
                            )
                        else:
                            command = commands[tool]
                            flags = bench.flags(name)
                            took = (
                                _timed([*command, "install", name, chart, "-n", ns, *flags], envs[tool]),
                                _timed(
                                    [
                                        *command,
                                        "upgrade",
                                        name,
                                        chart,
                                        "--set",
                                        "benchRound=2",
                                        "-n",
                                        ns,
                                        *flags,
                                    ],
                                    envs[tool],
                                ),
                            )
                        print(
                            f"# {bench.path} {tool} round {round_}: install {took[0]:.3f} upgrade {took[1]:.3f}"
                        )
                        if round_ >= 0:
                            times.setdefault((tool, "install"), []).append(took[0])
                            times.setdefault((tool, "upgrade"), []).append(took[1])
                for action in ("install", "upgrade"):
                    medians = [statistics.median(times[(tool, action)]) for tool in tools]
                    helm_s = medians[tools.index("helm")]
                    cells = [f"{m:.2f}" for m in medians] + [_ratio(m, helm_s) for m in medians]
                    print(f"{bench.path}\t{action}\t" + "\t".join(cells), flush=True)
        finally:
            in_process.close()
            devcluster.stop(Path(state) / "cluster", purge=True)


if __name__ == "__main__":
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OTTERHELM_CHARTS", "charts")),
        int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS,
        sys.argv[3].split(",") if len(sys.argv) > 3 else [],
    )
