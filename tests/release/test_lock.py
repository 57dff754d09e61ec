"""The per-release Lease lock and crash recovery, with real processes on the devcluster."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm import errors
from otterhelm.release import (
    Info,
    LeaseLost,
    Release,
    ReleaseBusy,
    ReleaseLease,
    ReleaseStorage,
    Status,
    hold_release,
)
from otterhelm.release.lock import LEASES, lease_name, micro_time, parse_micro_time

WORKER = Path(__file__).with_name("lock_worker.py")


def start_worker(
    kubeconfig: Path, namespace: str, name: str, mode: str, *, hold: float, lease: int, start_at: float
) -> subprocess.Popen[str]:
    argv = [
        sys.executable,
        str(WORKER),
        str(kubeconfig),
        namespace,
        name,
        mode,
        str(hold),
        str(lease),
        str(start_at),
    ]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(worker: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def test_micro_time_round_trip() -> None:
    moment = 1767323045.25
    assert micro_time(moment) == "2026-01-02T03:04:05.250000Z"
    assert parse_micro_time(micro_time(moment)) == moment


def test_busy_is_failed_precondition() -> None:
    assert issubclass(ReleaseBusy, errors.FailedPrecondition)
    assert issubclass(LeaseLost, errors.Aborted)


def test_two_processes_racing_one_wins(
    kubeconfig: Path, namespace: str, storage_run: Callable[..., Any]
) -> None:
    start_at = time.time() + 2.0
    workers = [
        start_worker(kubeconfig, namespace, "web", "upgrade", hold=2.0, lease=15, start_at=start_at)
        for _ in range(2)
    ]
    results = sorted((finish(w) for w in workers), key=lambda r: str(r["outcome"]))
    assert [r["outcome"] for r in results] == ["ReleaseBusy", "ok"]
    assert (
        "another operation (install/upgrade/rollback) is in progress for release web" in results[0]["message"]
    )

    async def body(storage: ReleaseStorage) -> tuple[list[int], int]:
        history = await storage.history("web")
        # The winner deleted its lease on the way out, so the next operation proceeds at once.
        async with hold_release(storage, "web") as lease:
            assert lease.previous_holder == ""
        return [r.version for r in history], len(
            [1 for r in history if r.lock_holder == results[1]["holder"]]
        )

    versions, by_winner = storage_run(body)
    assert versions == [1] and by_winner == 1


def test_killed_holder_is_recovered_after_its_lease_expires(
    kubeconfig: Path, namespace: str, storage_run: Callable[..., Any], helm_json: Callable[..., Any]
) -> None:
    worker = start_worker(kubeconfig, namespace, "web", "crash", hold=0, lease=2, start_at=0)
    assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)

    async def while_fresh(storage: ReleaseStorage) -> Release:
        with pytest.raises(ReleaseBusy):
            async with hold_release(storage, "web"):
                pass
        return await storage.last("web")

    stuck = storage_run(while_fresh)
    assert stuck.status is Status.PENDING_INSTALL
    time.sleep(2.5)

    async def after_expiry(storage: ReleaseStorage) -> tuple[str, Release]:
        async with hold_release(storage, "web") as lease:
            return lease.previous_holder, await storage.last("web")

    previous, recovered = storage_run(after_expiry)
    assert previous == stuck.lock_holder
    assert recovered.status is Status.FAILED and recovered.version == 1
    assert recovered.info is not None
    assert recovered.info.description.startswith(f"pending-install interrupted: {stuck.lock_holder} stopped")
    history = helm_json("history", "web", "-n", namespace)
    assert [(h["revision"], h["status"]) for h in history] == [(1, "failed")]


def test_renewal_keeps_the_lease_and_release_frees_it(
    namespace: str, storage_run: Callable[..., Any]
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        first = ReleaseLease(storage.client, namespace, "web", holder="first", duration_seconds=1)
        await first.acquire()
        await asyncio.sleep(2.5)  # more than twice the duration: only renewal keeps it
        second = ReleaseLease(storage.client, namespace, "web", holder="second", duration_seconds=1)
        with pytest.raises(ReleaseBusy):
            await second.acquire()
        first.check()
        await first.release()
        await second.acquire()
        assert second.previous_holder == ""
        lease = await storage.client.request(
            "GET", LEASES.object_path(lease_name("web"), namespace), identity=None
        )
        assert lease["spec"]["holderIdentity"] == "second"
        await second.release()

    storage_run(body)


def test_stalled_holder_loses_its_lease(namespace: str, storage_run: Callable[..., Any]) -> None:
    async def body(storage: ReleaseStorage) -> None:
        stalled = ReleaseLease(storage.client, namespace, "web", holder="stalled", duration_seconds=1)
        await stalled.acquire()
        time.sleep(1.6)  # blocks the event loop: no renewal can run
        taker = ReleaseLease(storage.client, namespace, "web", holder="taker", duration_seconds=30)
        await taker.acquire()
        assert taker.previous_holder == "stalled"
        with pytest.raises(LeaseLost):
            await stalled.renew()
        with pytest.raises(LeaseLost):
            stalled.check()
        await stalled.release()  # must not delete the taker's lease
        lease = await storage.client.request(
            "GET", LEASES.object_path(lease_name("web"), namespace), identity=None
        )
        assert lease["spec"]["holderIdentity"] == "taker" and lease["spec"]["leaseTransitions"] == 1
        await taker.release()

    storage_run(body)


def test_pending_records_helm_wrote_are_left_to_helm(namespace: str, storage_run: Callable[..., Any]) -> None:
    async def body(storage: ReleaseStorage) -> Release:
        pending = Release(
            name="web", namespace=namespace, version=1, info=Info(status=Status.PENDING_UPGRADE)
        )
        await storage.create(pending)
        async with hold_release(storage, "web"):
            return await storage.last("web")

    assert storage_run(body).status is Status.PENDING_UPGRADE


def test_holders_whose_clocks_disagree_agree_on_expiry(kubeconfig: Path, namespace: str) -> None:
    """Lease times are kept in the API server's time: a holder whose clock is two minutes
    slow and a contender whose clock is two minutes fast (each lease lasting 30 s) still
    see the lease as held, and renewTime is the server's time, not the slow clock's."""
    from otterhelm.kube import KubeClient, load_kubeconfig
    from otterhelm.kube.serverclock import ServerClock

    def skewed(seconds: float) -> KubeClient:
        return KubeClient(
            load_kubeconfig(kubeconfig), server_clock=ServerClock(lambda: time.time() + seconds)
        )

    async def body() -> None:
        slow, fast = skewed(-120), skewed(120)
        try:
            holder = ReleaseLease(slow, namespace, "skewed", holder="slow")
            await holder.acquire()
            lease = await slow.request(
                "GET", LEASES.object_path(lease_name("skewed"), namespace), identity=None
            )
            assert abs(parse_micro_time(lease["spec"]["renewTime"]) - time.time()) < 5
            contender = ReleaseLease(fast, namespace, "skewed", holder="fast")
            with pytest.raises(ReleaseBusy):
                await contender.acquire()
            await holder.release()
            await contender.acquire()
            await contender.release()
        finally:
            await slow.aclose()
            await fast.aclose()

    asyncio.run(body())


def test_server_clock_reads_http_dates() -> None:
    from otterhelm.kube.serverclock import ServerClock, parse_http_date

    assert parse_http_date("Sun, 22 Nov 2026 09:10:00 GMT") == 1795338600.0
    assert parse_http_date("Sunday, 22-Nov-26 09:10:00 GMT") is None
    assert parse_http_date("Sun, 22 Nov 2026 25:10:00 GMT") is None
    local = [1795338600.2]
    clock = ServerClock(lambda: local[0])
    assert clock.now() == local[0] and not clock.observed
    clock.observe("Sun, 22 Nov 2026 09:10:01 GMT")  # within the header's resolution: ignored
    assert clock.offset == 0.0
    clock.observe("Sun, 22 Nov 2026 09:15:00 GMT")
    assert clock.offset == pytest.approx(300.3)
