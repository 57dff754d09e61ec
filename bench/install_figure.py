"""Figure 2: installing three corpus charts (small, medium, large) onto the devcluster with
CreateRelease against `helm install`, then upgrading each with a values change with
UpdateRelease against `helm upgrade`."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench.environment import ClusterEnvironment
from bench.measure import CommandFailed, Comparison, checked, run_process
from bench.report import Bars, Section, Table, Target, comparison_cells
from bench.rpc import RpcFailed, call_json, json_client


@dataclass(frozen=True)
class InstallCase:
    label: str
    chart: str  # relative to the corpus folder
    values: dict[str, Any] = field(default_factory=dict)
    upgrade_values: dict[str, Any] = field(default_factory=dict)
    # Values naming cluster-scoped objects after the release, so releases do not collide.
    per_release: Callable[[str], dict[str, Any]] = lambda _name: {}


# The admission-webhook switches remove the charts' pre-install Jobs: the devcluster runs no
# controllers, so a Job never completes and both tools would only measure their hook timeout.
INSTALL_CASES = (
    InstallCase(
        "small: bitnami postgresql",
        "src/bitnami+charts/postgresql",
        upgrade_values={"commonAnnotations": {"bench/round": "upgraded"}},
    ),
    InstallCase(
        "medium: ingress-nginx",
        "src/kubernetes+ingress-nginx/ingress-nginx",
        values={"controller": {"admissionWebhooks": {"enabled": False}}},
        upgrade_values={"controller": {"podAnnotations": {"bench/round": "upgraded"}}},
        per_release=lambda name: {"controller": {"ingressClassResource": {"name": f"nginx-{name}"}}},
    ),
    InstallCase(
        "large: kube-prometheus-stack",
        "src/prometheus-community+helm-charts/kube-prometheus-stack",
        values={"prometheusOperator": {"admissionWebhooks": {"enabled": False}}},
        upgrade_values={"commonLabels": {"bench-round": "upgraded"}},
    ),
)


def merged(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class InstallResult:
    case: InstallCase
    install: Comparison
    upgrade: Comparison


def create_namespace(env: ClusterEnvironment, name: str) -> None:
    with env.cluster.http_client() as client:
        client.post("/api/v1/namespaces", json={"metadata": {"name": name}}).raise_for_status()


class Installer:
    """Both tools' install and upgrade of one chart, each returning its wall time."""

    def __init__(self, env: ClusterEnvironment, helm: Path, corpus: Path, work: Path) -> None:
        self.env = env
        self.helm = helm
        self.corpus = corpus
        self.work = work
        self.client = json_client(env.service.base_url, env.service.token)

    def close(self) -> None:
        self.client.close()

    def _values_file(self, values: dict[str, Any], name: str) -> Path:
        path = self.work / f"{name}.yaml"
        path.write_text(yaml.safe_dump(values))
        return path

    def helm_run(self, action: str, name: str, namespace: str, chart: str, values: dict[str, Any]) -> float:
        command = [
            str(self.helm),
            action,
            name,
            str(self.corpus / chart),
            "-n",
            namespace,
            "-f",
            str(self._values_file(values, f"{name}-{action}")),
        ]
        return checked(run_process(command, env=self.env.helm_env), command).seconds

    def rpc_run(self, method: str, name: str, namespace: str, chart: str, values: dict[str, Any]) -> float:
        fields = {
            "namespace": namespace,
            "name": name,
            "chartRef": str(self.corpus / chart),
            "valuesYaml": yaml.safe_dump(values) if values else "",
        }
        started = time.perf_counter()
        call_json(self.client, method, fields)
        return time.perf_counter() - started


def measure(installer: Installer, case: InstallCase, index: int, rounds: int) -> InstallResult:
    # An untimed install first: cluster-wide objects the chart shares across releases (its
    # CRDs) then exist for every timed round, whichever tool goes first.
    warm_ns = f"bench-i{index}-warm"
    create_namespace(installer.env, warm_ns)
    warm_name = f"w{index}"
    installer.helm_run(
        "install", warm_name, warm_ns, case.chart, merged(case.values, case.per_release(warm_name))
    )
    times: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        tools = ("otterhelm", "helm") if round_ % 2 == 0 else ("helm", "otterhelm")
        for tool in tools:
            namespace = f"bench-i{index}-{round_}-{tool}"
            create_namespace(installer.env, namespace)
            # Distinct names: some charts name cluster-scoped objects after the release.
            name = f"i{index}r{round_}{tool[0]}"
            values = merged(case.values, case.per_release(name))
            upgraded = merged(values, case.upgrade_values)
            if tool == "helm":
                install = installer.helm_run("install", name, namespace, case.chart, values)
                upgrade = installer.helm_run("upgrade", name, namespace, case.chart, upgraded)
            else:
                install = installer.rpc_run("CreateRelease", name, namespace, case.chart, values)
                upgrade = installer.rpc_run("UpdateRelease", name, namespace, case.chart, upgraded)
            times.setdefault((tool, "install"), []).append(install)
            times.setdefault((tool, "upgrade"), []).append(upgrade)
    return InstallResult(
        case,
        Comparison.of(times[("otterhelm", "install")], times[("helm", "install")]),
        Comparison.of(times[("otterhelm", "upgrade")], times[("helm", "upgrade")]),
    )


def run(
    env: ClusterEnvironment,
    helm: Path,
    corpus: Path,
    work: Path,
    rounds: int,
    cases: Sequence[InstallCase],
    progress: Callable[[str], None],
) -> Section:
    work.mkdir(parents=True, exist_ok=True)
    installer = Installer(env, helm, corpus, work)
    results = []
    failed: list[str] = []
    try:
        for index, case in enumerate(cases):
            try:
                result = measure(installer, case, index, rounds)
            except (RpcFailed, CommandFailed) as error:
                progress(f"install {case.label} failed: {error}")
                failed.append(f"{case.label}: {str(error)[:400]}")
                continue
            progress(
                f"install {case.label}: install {result.install.ratio.median:.2f}× "
                f"upgrade {result.upgrade.ratio.median:.2f}×"
            )
            results.append(result)
    finally:
        installer.close()
    return section(results, rounds, failed)


def section(results: Sequence[InstallResult], rounds: int, failed: Sequence[str] = ()) -> Section:
    rows = []
    for r in results:
        rows.append([r.case.label, "install: CreateRelease / `helm install`", *comparison_cells(r.install)])
        rows.append([r.case.label, "upgrade: UpdateRelease / `helm upgrade`", *comparison_cells(r.upgrade)])
    install_medians = [r.install.ratio.median for r in results]
    return Section(
        title="2. Install and upgrade",
        method=(
            "Three corpus charts installed onto the devcluster, each into a fresh namespace under a "
            "fresh release name: by a CreateRelease call to `otterhelm serve` (Connect JSON, timed "
            "from the client, chart_ref = the chart's folder, which the service's configuration "
            "allows) and by `helm install` as a whole process; then upgraded with a values change "
            "that alters the manifest, by UpdateRelease and by `helm upgrade`. Both get the same "
            "values (`-f` for helm, `values_yaml` for the RPC); neither waits for readiness (no "
            "controllers run on the devcluster). One untimed helm install of each chart first (its "
            f"CRDs then exist for every timed round); then {rounds} rounds, alternating which tool "
            "goes first. Ratio: median and min–max of the per-round ratios."
        ),
        tables=[
            Table(
                ("chart", "operation", "otterhelm", "helm", "ratio: median (min–max)"),
                rows,
            )
        ],
        plots=[
            Bars(
                file_name="benchmarks-install.png",
                title="install and upgrade: otterhelm (RPC) / helm CLI",
                labels=[
                    f"{r.case.label.split(':')[0]} {op}" for r in results for op in ("install", "upgrade")
                ],
                ratios=[c.ratio for r in results for c in (r.install, r.upgrade)],
                target=0.7,
            )
        ],
        notes=[f"Failed in this run: {message}" for message in failed],
        targets=[
            Target(
                "install ≤ 0.7× `helm install` (median over the three charts)",
                0.7,
                sorted(install_medians)[len(install_medians) // 2] if install_medians else None,
            )
        ],
    )
