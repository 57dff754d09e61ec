"""Listing many releases: one metadata-only list of the Secrets, labels decide, only the page
is fetched and decoded, and a kept index answers the next listing from metadata alone.
Checked against `helm list -A` on the same records, for results and for time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from otterhelm.release import ListOptions, Release, ReleaseStorage, Status, list_releases
from otterhelm.release.index import ReleaseIndex

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

    async def timed(storage: ReleaseStorage) -> tuple[float, float, list[Release]]:
        await list_releases(storage, ListOptions(limit=1))  # warm the connection
        index = ReleaseIndex()
        everything = ListOptions(all_namespaces=True, limit=0)
        started = time.perf_counter()
        listed = await list_releases(storage, everything, index)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        again = await list_releases(storage, everything, index)
        warm = time.perf_counter() - started
        assert [(r.namespace, r.name, r.version, r.info) for r in again] == [
            (r.namespace, r.name, r.version, r.info) for r in listed
        ]
        return cold, warm, listed

    ours_seconds, warm_seconds, ours = storage_run(timed)
    started = time.perf_counter()
    theirs = helm_json("list", "-A", "--max", "0")
    helm_seconds = time.perf_counter() - started
    mine = [(r.name, r.version, str(r.status)) for r in ours if r.namespace == namespace]
    helms = [(r["name"], int(r["revision"]), r["status"]) for r in theirs if r["namespace"] == namespace]
    assert mine == helms
    assert len(mine) == RELEASES and {m[1] for m in mine} == {REVISIONS}
    print(
        f"list {RELEASES}x{REVISIONS}: otterhelm {ours_seconds:.3f}s cold, {warm_seconds:.3f}s warm, "
        f"helm list -A {helm_seconds:.3f}s"
    )
    assert ours_seconds < helm_seconds
    assert warm_seconds < helm_seconds
