"""Listing many releases: one protobuf list of the Secrets, labels decide, only the page is
decoded. Checked against `helm list -A` on the same records, for results and for time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from otterhelm.release import ListOptions, Release, ReleaseStorage, Status, list_releases

RELEASES = 150
REVISIONS = 10


def test_list_many_releases_faster_than_helm(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: Callable[..., Release],
    helm_json: Callable[..., Any],
) -> None:
    async def seed(storage: ReleaseStorage) -> None:
        gate = asyncio.Semaphore(32)

        async def one(index: int, version: int) -> None:
            status = Status.DEPLOYED if version == REVISIONS else Status.SUPERSEDED
            async with gate:
                await storage.create(make_release(f"r{index:04d}", namespace, version, status))

        await asyncio.gather(*(one(i, v) for i in range(RELEASES) for v in range(1, REVISIONS + 1)))

    storage_run(seed)

    async def timed(storage: ReleaseStorage) -> tuple[float, list[Release]]:
        await list_releases(storage, ListOptions(limit=1))  # warm the connection
        started = time.perf_counter()
        listed = await list_releases(storage, ListOptions(all_namespaces=True, limit=0))
        return time.perf_counter() - started, listed

    ours_seconds, ours = storage_run(timed)
    started = time.perf_counter()
    theirs = helm_json("list", "-A", "--max", "0")
    helm_seconds = time.perf_counter() - started
    mine = [(r.name, r.version, str(r.status)) for r in ours if r.namespace == namespace]
    helms = [(r["name"], int(r["revision"]), r["status"]) for r in theirs if r["namespace"] == namespace]
    assert mine == helms
    assert len(mine) == RELEASES and {m[1] for m in mine} == {REVISIONS}
    print(f"list {RELEASES}x{REVISIONS}: otterhelm {ours_seconds:.3f}s, helm list -A {helm_seconds:.3f}s")
    assert ours_seconds < helm_seconds
