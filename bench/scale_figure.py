"""Figure 3: listing 1,000 releases of 10 revisions each (ListReleases over the wire and
`otterhelm list -A`) against `helm list -A`, and reading one release and its history at
that scale against `helm status` and `helm history`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import scale
from bench.environment import ClusterEnvironment
from bench.measure import Comparison, checked, run_process
from bench.report import Section, Table, Target, comparison_cells, seconds
from bench.rpc import RpcFailed, call_json, has_method, json_client

SCALE_NAMESPACE = "scale-bench"
# Size of each seeded record's chart template: a small chart's, as the listing work seeds it.
TEMPLATE_BYTES = 512


@dataclass(frozen=True)
class SeededReleases:
    namespace: str
    releases: int
    revisions: int
    seconds: float

    def release_name(self, index: int) -> str:
        # bench/scale.py's naming of the records it seeds.
        return f"r{index:04d}"


@dataclass(frozen=True)
class Row:
    what: str
    ours: str
    comparison: Comparison


def seed_cluster(
    env: ClusterEnvironment, helm: Path, ours: list[str], releases: int, revisions: int
) -> SeededReleases:
    """The records the listing work benchmarks with (bench/scale.py), seeded the same way."""
    setup = scale.Setup(env.cluster.kubeconfig, SCALE_NAMESPACE, helm, Path(ours[0]), releases, revisions)
    started = time.perf_counter()
    asyncio.run(scale.prepare(setup, TEMPLATE_BYTES))
    return SeededReleases(SCALE_NAMESPACE, releases, revisions, time.perf_counter() - started)


def run(
    env: ClusterEnvironment,
    helm: Path,
    ours: list[str],
    releases: int,
    revisions: int,
    rounds: int,
    progress: Callable[[str], None],
) -> Section:
    seeded = seed_cluster(env, helm, ours, releases, revisions)
    progress(f"seeded {releases} x {revisions} in {seeded.seconds:.1f}s")
    name, namespace = seeded.release_name(releases // 2), seeded.namespace
    helm_env = env.helm_env
    client = json_client(env.service.base_url, env.service.token)

    def timed_cli(command: list[str]) -> Callable[[], float]:
        return lambda: checked(run_process(command, env=helm_env), command).seconds

    def timed_rpc(method: str, fields: dict[str, object]) -> Callable[[], float]:
        def call() -> float:
            started = time.perf_counter()
            call_json(client, method, fields)
            return time.perf_counter() - started

        return call

    h = str(helm)
    pairs: list[tuple[str, str, Callable[[], float], Callable[[], float]]] = [
        (
            "list every release",
            "ListReleases (Connect JSON)",
            timed_rpc("ListReleases", {}),
            timed_cli([h, "list", "-A"]),
        ),
        (
            "list every release",
            "`otterhelm list -A`",
            timed_cli([*ours, "list", "-A"]),
            timed_cli([h, "list", "-A"]),
        ),
        (
            "one release, latest revision",
            "`otterhelm status`",
            timed_cli([*ours, "status", name, "-n", namespace]),
            timed_cli([h, "status", name, "-n", namespace]),
        ),
        (
            "one release's history",
            "`otterhelm history`",
            timed_cli([*ours, "history", name, "-n", namespace]),
            timed_cli([h, "history", name, "-n", namespace]),
        ),
    ]
    for method, what, helm_args in (
        ("GetRelease", "one release, latest revision", ["status", name, "-n", namespace]),
        ("ListReleaseHistory", "one release's history", ["history", name, "-n", namespace]),
    ):
        if has_method(method):
            pairs.append(
                (
                    what,
                    f"{method} (Connect JSON)",
                    timed_rpc(method, {"namespace": namespace, "name": name}),
                    timed_cli([h, *helm_args]),
                )
            )
    usable = []
    for pair in pairs:
        try:
            pair[2]()
            pair[3]()
            usable.append(pair)
        except (RpcFailed, RuntimeError) as error:
            progress(f"scale: {pair[1]} left out: {str(error)[:200]}")
    times: dict[int, tuple[list[float], list[float]]] = {i: ([], []) for i in range(len(usable))}
    for round_ in range(rounds):
        for i, (_, _, ours_call, helm_call) in enumerate(usable):
            first, second = (ours_call, helm_call) if round_ % 2 == 0 else (helm_call, ours_call)
            a, b = first(), second()
            ours_t, helm_t = (a, b) if round_ % 2 == 0 else (b, a)
            times[i][0].append(ours_t)
            times[i][1].append(helm_t)
    client.close()
    rows = [
        Row(what, ours_label, Comparison.of(*times[i])) for i, (what, ours_label, _, _) in enumerate(usable)
    ]
    for row in rows:
        progress(f"scale {row.ours}: {row.comparison.ratio.median:.2f}×")
    return section(rows, seeded, rounds, [p[1] for p in pairs if p not in usable])


def section(rows: list[Row], seeded: SeededReleases, rounds: int, left_out: list[str]) -> Section:
    list_rpc = [r for r in rows if r.ours.startswith("ListReleases")]
    helm_for = {
        "list every release": "`helm list -A`",
        "one release, latest revision": "`helm status`",
        "one release's history": "`helm history`",
    }
    notes = [f"Seeding {seeded.releases * seeded.revisions} release Secrets took {seconds(seeded.seconds)}."]
    if left_out:
        notes.append("Left out (failed on this build): " + ", ".join(left_out) + ".")
    if not any(r.ours.startswith("GetRelease") for r in rows):
        notes.append(
            "GetRelease and ListReleaseHistory RPCs are not in this build's API; one release and its "
            "history are measured through `otterhelm status` and `otterhelm history`, which read "
            "the same storage the service does."
        )
    return Section(
        title="3. Scale",
        method=(
            f"{seeded.releases} releases of {seeded.revisions} revisions each "
            f"({seeded.releases * seeded.revisions} Secrets in namespace `{seeded.namespace}`), seeded "
            "by bench/scale.py (the listing work's benchmark) through otterhelm's release storage: "
            f"Helm's Secrets driver format, a small chart with a {TEMPLATE_BYTES}-byte template, "
            "every revision superseded but the last, which is deployed. Calls to `otterhelm serve` are timed "
            "from the client; CLI commands are whole processes. Each otterhelm measurement is paired "
            f"with its helm counterpart in the same round; {rounds} rounds, alternating which goes "
            "first. `helm list -A` prints at most 256 rows by default, but reads and decodes every "
            "release record before it cuts the list, as ListReleases does before returning all of them."
        ),
        tables=[
            Table(
                ("what", "otterhelm", "helm", "otterhelm time", "helm time", "ratio: median (min–max)"),
                [[r.what, r.ours, helm_for[r.what], *comparison_cells(r.comparison)] for r in rows],
            )
        ],
        targets=[
            Target(
                f"ListReleases at {seeded.releases} releases ≤ 0.2× `helm list -A`",
                0.2,
                list_rpc[0].comparison.ratio.median if list_rpc else None,
            )
        ],
        notes=notes,
    )
