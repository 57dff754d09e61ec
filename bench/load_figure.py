"""Figure 4: throughput and latency of CreateRelease (dry run) and ListReleases under 1, 8 and
32 concurrent clients, over Connect (JSON and binary protobuf) and gRPC; the service's peak
memory."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bench.environment import ClusterEnvironment
from bench.install_figure import create_namespace
from bench.measure import peak_rss_kib, percentile
from bench.report import Section, Table
from bench.rpc import TRANSPORTS, RpcFailed, call_json, json_client, open_caller, request_message

CONCURRENCY = (1, 8, 32)


@dataclass(frozen=True)
class LoadCell:
    method: str
    transport: str
    concurrency: int
    calls: int
    errors: int
    seconds: float
    latencies: Sequence[float]

    @property
    def throughput(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


async def drive(
    method: str,
    fields: dict[str, Any],
    transport: str,
    env: ClusterEnvironment,
    concurrency: int,
    duration: float,
    max_calls: int,
) -> LoadCell:
    """`concurrency` callers issue calls back to back until `duration` has passed or `max_calls`
    have started; calls in flight at the deadline finish and count."""
    service = env.service
    caller = open_caller(transport, service.host, service.port, service.token, connections=concurrency)
    request = request_message(method, fields)
    latencies: list[float] = []
    errors: list[str] = []
    started_calls = 0
    try:
        await caller.call(method, request)  # connection set up outside the timing
        started = time.perf_counter()
        deadline = started + duration

        async def worker() -> None:
            nonlocal started_calls
            while time.perf_counter() < deadline and started_calls < max_calls:
                started_calls += 1
                call_started = time.perf_counter()
                try:
                    await caller.call(method, request)
                except RpcFailed as error:
                    errors.append(str(error))
                    continue
                latencies.append(time.perf_counter() - call_started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    finally:
        await caller.close()
    if errors and not latencies:
        raise RpcFailed(errors[0])
    return LoadCell(method, transport, concurrency, len(latencies), len(errors), elapsed, latencies)


def run(
    env: ClusterEnvironment,
    chart_ref: str,
    duration: float,
    max_calls: int,
    progress: Callable[[str], None],
) -> Section:
    create_namespace(env, "bench-load")
    with json_client(env.service.base_url, env.service.token) as client:
        listed = len(call_json(client, "ListReleases", {}).get("releases", []))
    workloads = {
        "CreateRelease (dry_run)": (
            "CreateRelease",
            {"namespace": "bench-load", "name": "load-dry-run", "chartRef": chart_ref, "dryRun": True},
        ),
        "ListReleases": ("ListReleases", {}),
    }
    rss_before = peak_rss_kib(env.service.pid)
    cells: list[tuple[str, LoadCell]] = []
    for label, (method, fields) in workloads.items():
        for transport in TRANSPORTS:
            for concurrency in CONCURRENCY:
                cell = asyncio.run(drive(method, fields, transport, env, concurrency, duration, max_calls))
                progress(
                    f"load {label} {transport} x{concurrency}: {cell.throughput:.1f}/s "
                    f"p50 {percentile(cell.latencies, 0.5) * 1000:.0f}ms"
                )
                cells.append((label, cell))
    rss_after = peak_rss_kib(env.service.pid)
    return section(cells, listed, chart_ref, duration, rss_before, rss_after)


def section(
    cells: Sequence[tuple[str, LoadCell]],
    listed: int,
    chart_ref: str,
    duration: float,
    rss_before: int,
    rss_after: int,
) -> Section:
    rows = [
        [
            label,
            cell.transport,
            str(cell.concurrency),
            str(cell.calls),
            f"{cell.throughput:.1f}",
            f"{percentile(cell.latencies, 0.5) * 1000:.1f} ms",
            f"{percentile(cell.latencies, 0.99) * 1000:.1f} ms",
            str(cell.errors),
        ]
        for label, cell in cells
    ]
    chart = chart_ref.rsplit("/", 1)[-1]
    return Section(
        title="4. Service load",
        method=(
            "One `otterhelm serve` process (hypercorn, one worker) in front of the devcluster; the "
            "load generator runs on the same machine (asyncio; httpx for Connect over keep-alive "
            "HTTP/1.1 connections, one per client; grpcio aio for gRPC, all clients on one HTTP/2 "
            "channel). For each cell N clients issue calls back to back for "
            f"{duration:g} s (calls in flight at the deadline finish and count); throughput = "
            "successful calls / elapsed time; latency percentiles by nearest rank. CreateRelease "
            f"dry runs render `{chart}` from a local chart folder and validate its objects with the "
            f"API server's dry run. ListReleases lists the {listed} releases present at that point. "
            "There is no helm counterpart to this figure (helm is not a service)."
        ),
        tables=[
            Table(
                ("workload", "transport", "clients", "calls", "calls/s", "p50", "p99", "errors"),
                rows,
            ),
            Table(
                ("`otterhelm serve` memory", "peak RSS (VmHWM)"),
                [
                    [
                        "before the load (after the install figure ran against it)",
                        f"{rss_before / 1024:.1f} MiB",
                    ],
                    ["after the load", f"{rss_after / 1024:.1f} MiB"],
                ],
            ),
        ],
    )
