"""Listing many releases: one metadata-only list of the Secrets, labels decide, only the page
is fetched and decoded, and a kept index answers the next listing from metadata alone.
Checked against `helm list -A` on the same records; speed is measured by bench/scale.py,
not here."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from otterhelm.release import ListOptions, Release, ReleaseStorage, Status, list_releases
from otterhelm.release.index import ReleaseIndex

RELEASES = 150
REVISIONS = 10


def test_many_releases_list_as_helm_lists_them_cold_and_warm(
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

    async def listed_twice(storage: ReleaseStorage) -> list[Release]:
        index = ReleaseIndex()
        everything = ListOptions(all_namespaces=True, limit=0)
        listed = await list_releases(storage, everything, index)
        again = await list_releases(storage, everything, index)
        assert [(r.namespace, r.name, r.version, r.info) for r in again] == [
            (r.namespace, r.name, r.version, r.info) for r in listed
        ]
        return listed

    ours = storage_run(listed_twice)
    theirs = helm_json("list", "-A", "--max", "0")
    mine = [(r.name, r.version, str(r.status)) for r in ours if r.namespace == namespace]
    helms = [(r["name"], int(r["revision"]), r["status"]) for r in theirs if r["namespace"] == namespace]
    assert mine == helms
    assert len(mine) == RELEASES and {m[1] for m in mine} == {REVISIONS}
