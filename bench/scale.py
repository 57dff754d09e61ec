"""Release reads at scale: 1,000 releases of 10 revisions each (10,000 release Secrets), listed
by `helm list -A` and by otterhelm, plus one release's latest record and its history.

Seeds the records on a development cluster (a fresh one unless `--kubeconfig` names one), then
runs every measurement in interleaved rounds so both tools see the same machine load, and
prints medians and ratios:

- list: `helm list -A` whole process; `otterhelm list -A` whole process; the in-process call
  the ListReleases service method makes, cold (a fresh index) and warm (the same index again);
- get: `helm get all` whole process vs the in-process read of one release's latest record
  (values and manifest decoded);
- history: `helm history` whole process vs the in-process read of all its revisions.

Run as `python -m bench.scale [--releases N] [--revisions N] [--rounds N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from otterscale.application.v1 import application_pb2 as pb

from otterhelm import devcluster
from otterhelm.devcluster import HELM, Toolchain, default_tools_dir
from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.kube.errors import KubeAlreadyExists
from otterhelm.release.index import ReleaseIndex
from otterhelm.release.listing import LIST_ALL, ListOptions, ListStates, list_releases
from otterhelm.release.model import Info, Release, Status, StoredChart, StoredFile
from otterhelm.release.storage import ReleaseStorage
from otterhelm.service.releases import release_message

T = TypeVar("T")

SEED_CONCURRENCY = 32
# The ListReleases service method lists every state but uninstalled, in all namespaces.
SERVICE_STATES = LIST_ALL & ~ListStates.UNINSTALLED


def seeded_release(name: str, namespace: str, version: int, status: Status, template_bytes: int) -> Release:
    """A release record like a small real chart's: one ConfigMap template padded to
    `template_bytes`, user values, and the manifest it renders."""
    padding = "# " + "x" * max(0, template_bytes - 64) + "\n"
    template = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Release.Name }}}}\n{padding}"
    chart = StoredChart(
        metadata={"name": "tiny", "version": "0.1.0", "apiVersion": "v2", "appVersion": "1.0"},
        templates=[StoredFile("templates/cm.yaml", template.encode(), "2026-01-02T03:04:05.5Z")],
        values={"replicas": 1.0},
        files=[],
    )
    return Release(
        name=name,
        namespace=namespace,
        version=version,
        info=Info(
            first_deployed="2026-01-02T03:04:05.123456789Z",
            last_deployed=f"2026-01-02T03:{version:02d}:06.5Z",
            description="Upgrade complete" if version > 1 else "Install complete",
            status=status,
        ),
        chart=chart,
        config={"replicas": 2.0},
        manifest=(
            "---\n# Source: tiny/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n"
            f"metadata:\n  name: {name}\n{padding}"
        ),
        apply_method="ssa",
    )


async def seed(
    storage: ReleaseStorage, namespace: str, releases: int, revisions: int, template_bytes: int
) -> None:
    """`releases` releases of `revisions` revisions each: every revision superseded but the
    last, which is deployed."""
    gate = asyncio.Semaphore(SEED_CONCURRENCY)

    async def one(index: int, version: int) -> None:
        status = Status.DEPLOYED if version == revisions else Status.SUPERSEDED
        record = seeded_release(f"r{index:04d}", namespace, version, status, template_bytes)
        async with gate:
            await storage.create(record)

    await asyncio.gather(*(one(i, v) for i in range(releases) for v in range(1, revisions + 1)))


@dataclass(frozen=True)
class Setup:
    kubeconfig: Path
    namespace: str
    helm: Path
    otterhelm: Path
    releases: int
    revisions: int


def helm_env(kubeconfig: Path, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }


def timed_process(command: Sequence[str], env: dict[str, str]) -> float:
    """Wall time of one whole process; a failing one stops the benchmark (its time would
    measure an error path)."""
    started = time.perf_counter()
    done = subprocess.run(
        list(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return seconds


async def timed(call: Callable[[], Awaitable[T]]) -> tuple[float, T]:
    started = time.perf_counter()
    result = await call()
    return time.perf_counter() - started, result


def service_options() -> ListOptions:
    """What ListReleases asks for: every namespace, every state but uninstalled, no limit,
    OtterScale's own releases left out."""
    return ListOptions(all_namespaces=True, states=SERVICE_STATES, selector="!otterscale.com/type", limit=0)


async def record_count(storage: ReleaseStorage, namespace: str) -> int:
    index = ReleaseIndex()
    listing = await index.records(storage, namespace)
    return len(listing.records)


async def measure(setup: Setup, rounds: int) -> dict[str, list[float]]:
    """Interleaved rounds of every measurement; seconds per sample, by name."""
    samples: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds)

    env = helm_env(setup.kubeconfig, Path(tempfile.mkdtemp(prefix="helm-home-")))
    ns = setup.namespace
    # A release in the middle of the seeded set, with every revision.
    probe = f"r{setup.releases // 2:04d}"
    helm = str(setup.helm)
    ours = [str(setup.otterhelm)]
    kube = ["--kubeconfig", str(setup.kubeconfig)]
    client = KubeClient(load_kubeconfig(setup.kubeconfig))
    try:
        everywhere = ReleaseStorage(client, "")
        storage = ReleaseStorage(client, ns)
        warm = ReleaseIndex()
        await list_releases_checked(everywhere, warm, setup)  # fills the index, warms the connection
        for _ in range(rounds):
            add("helm list -A", timed_process([helm, "list", "-A", "--max", "0"], env))
            add("otterhelm list -A", timed_process([*ours, "list", "-A", "--max", "0", *kube], env))
            cold_seconds, _ = await timed(lambda: list_releases_checked(everywhere, ReleaseIndex(), setup))
            add("in-process list, cold index", cold_seconds)
            warm_seconds, _ = await timed(lambda: list_releases_checked(everywhere, warm, setup))
            add("in-process list, warm index", warm_seconds)
            answer_seconds, _ = await timed(lambda: list_releases_answer(everywhere, warm, setup))
            add("in-process ListReleases answer, warm index", answer_seconds)
            add("helm get all", timed_process([helm, "get", "all", probe, "-n", ns], env))
            get_seconds, latest = await timed(lambda: storage.last(probe))
            assert latest.version == setup.revisions and latest.manifest and latest.config is not None
            add("in-process get (latest record)", get_seconds)
            add("helm history", timed_process([helm, "history", probe, "-n", ns, "--max", "0"], env))
            history_seconds, history = await timed(lambda: storage.history(probe))
            assert [r.version for r in history] == list(range(1, setup.revisions + 1))
            add("in-process history", history_seconds)
    finally:
        await client.aclose()
    return samples


async def list_releases_checked(storage: ReleaseStorage, index: ReleaseIndex, setup: Setup) -> list[Release]:
    listed = await list_releases(storage, service_options(), index)
    mine = [r for r in listed if r.namespace == setup.namespace]
    if len(mine) != setup.releases or any(r.version != setup.revisions for r in mine):
        raise RuntimeError(f"listing shows {len(mine)} seeded releases, expected {setup.releases}")
    return listed


async def list_releases_answer(storage: ReleaseStorage, index: ReleaseIndex, setup: Setup) -> bytes:
    """The listing as the ListReleases method answers it: sorted, converted to messages and
    serialized (all but the transport)."""
    listed = await list_releases_checked(storage, index, setup)
    listed.sort(key=lambda r: (r.name, r.namespace))
    answer = pb.ListReleasesResponse(releases=[release_message(r) for r in listed])
    return answer.SerializeToString()


RATIOS = [
    ("otterhelm list -A", "helm list -A"),
    ("in-process list, cold index", "helm list -A"),
    ("in-process list, warm index", "helm list -A"),
    ("in-process ListReleases answer, warm index", "helm list -A"),
    ("in-process get (latest record)", "helm get all"),
    ("in-process history", "helm history"),
]


def summary(samples: dict[str, list[float]]) -> dict[str, Any]:
    """Medians and ratios, for `--json`."""
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "samples": samples,
        "medians": medians,
        "ratios": {f"{ours} / {theirs}": medians[ours] / medians[theirs] for ours, theirs in RATIOS},
    }


def report(samples: dict[str, list[float]]) -> str:
    medians = {name: statistics.median(values) for name, values in samples.items()}
    lines = [f"{'measurement':40} {'median s':>9} {'min s':>7} {'max s':>7}  n"]
    for name, values in samples.items():
        lines.append(f"{name:40} {medians[name]:9.3f} {min(values):7.3f} {max(values):7.3f}  {len(values)}")
    lines.append("")
    lines.append(f"{'ratio (median / median)':70} {'x':>6}")
    for ours, theirs in RATIOS:
        lines.append(f"{ours + ' / ' + theirs:70} {medians[ours] / medians[theirs]:6.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--revisions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--template-bytes", type=int, default=512, help="size of each record's chart template"
    )
    parser.add_argument("--kubeconfig", type=Path, help="use this cluster instead of starting one")
    parser.add_argument("--namespace", default="scale-bench")
    parser.add_argument("--json", type=Path, help="also write samples, medians and ratios here")
    args = parser.parse_args(argv)
    toolchain = Toolchain(default_tools_dir(os.environ, Path.home()))
    root = Path(__file__).resolve().parent.parent
    otterhelm = root / ".venv" / "bin" / "otterhelm"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "src")], check=False)
    state_dir = None
    kubeconfig = args.kubeconfig
    if kubeconfig is None:
        state_dir = Path(tempfile.mkdtemp(prefix="scale-devcluster-"))
        kubeconfig = devcluster.start(state_dir, toolchain, die_with_caller=True).kubeconfig
    try:
        setup = Setup(
            kubeconfig, args.namespace, toolchain.binary(HELM), otterhelm, args.releases, args.revisions
        )
        asyncio.run(prepare(setup, args.template_bytes))
        samples = asyncio.run(measure(setup, args.rounds))
        print(report(samples))
        if args.json is not None:
            args.json.write_text(json.dumps(summary(samples), indent=2) + "\n")
    finally:
        if state_dir is not None:
            devcluster.stop(state_dir, purge=True)
    return 0


async def prepare(setup: Setup, template_bytes: int) -> None:
    """Seeds the namespace unless it already holds the expected records."""
    client = KubeClient(load_kubeconfig(setup.kubeconfig))
    try:
        storage = ReleaseStorage(client, setup.namespace)
        present = await record_count(storage, setup.namespace)
        expected = setup.releases * setup.revisions
        if present == expected:
            return
        if present:
            raise RuntimeError(
                f"namespace {setup.namespace} holds {present} records, expected 0 or {expected}"
            )
        namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": setup.namespace}}
        with contextlib.suppress(KubeAlreadyExists):
            await client.request("POST", "/api/v1/namespaces", identity=None, body=namespace)
        started = time.perf_counter()
        await seed(storage, setup.namespace, setup.releases, setup.revisions, template_bytes)
        print(f"seeded {expected} records in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    finally:
        await client.aclose()


if __name__ == "__main__":
    sys.exit(main())
