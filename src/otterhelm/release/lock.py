"""One operation at a time per release, across processes: a coordination.k8s.io/v1 Lease.

The holder renews the lease while it works and deletes it when done. A lease whose holder
stopped renewing for longer than its duration is taken over. Taking the lease then recovers
a record left `pending-*` by a holder that died mid-operation: it is marked failed with a
description saying so, so no release is ever stuck. Lease times are the API server's
(kube/serverclock.py), so holders whose machines' clocks disagree still agree on expiry.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from otterhelm.errors import Aborted, FailedPrecondition
from otterhelm.kube import Identity, KubeClient, Resource
from otterhelm.kube.errors import KubeAlreadyExists, KubeConflict, KubeNotFound
from otterhelm.release.model import Release, Status
from otterhelm.release.storage import ReleaseStorage, release_from_secret

LEASES = Resource("coordination.k8s.io", "v1", "leases", namespaced=True)
LEASE_PREFIX = "otterhelm.release."
DEFAULT_LEASE_SECONDS = 30


class ReleaseBusy(FailedPrecondition):
    """Another operation holds the release."""


class LeaseLost(Aborted):
    """This process's lease was taken over (it stopped renewing in time)."""


def lease_name(release_name: str) -> str:
    return LEASE_PREFIX + release_name


def default_holder() -> str:
    return f"{socket.gethostname()}/{os.getpid()}/{secrets.token_hex(4)}"


def micro_time(moment: float) -> str:
    """metav1.MicroTime's JSON form."""
    stamp = datetime.datetime.fromtimestamp(moment, datetime.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_micro_time(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def busy_message(release_name: str) -> str:
    return f"another operation (install/upgrade/rollback) is in progress for release {release_name}"


@dataclass
class ReleaseLease:
    """The lease on one release. Use `async with hold_release(...)` rather than calling
    acquire/release by hand."""

    client: KubeClient
    namespace: str
    release_name: str
    holder: str = field(default_factory=default_holder)
    duration_seconds: int = DEFAULT_LEASE_SECONDS
    identity: Identity | None = None
    # Lease times are written and judged in the API server's time (see kube/serverclock.py),
    # so holders on machines whose clocks disagree still agree on expiry.
    clock: Callable[[], float] | None = None
    # The holder whose expired lease this one replaced ("" when the lease was free).
    previous_holder: str = ""
    lost: bool = False
    # The release's record Secrets as read under this lease (after any recovery), oldest first.
    records: list[dict[str, Any]] = field(default_factory=list)
    _resource_version: str = ""
    _acquire_time: str = ""
    _transitions: int = 0
    _renewal: asyncio.Task[None] | None = None

    def now(self) -> float:
        return self.clock() if self.clock is not None else self.client.server_clock.now()

    @property
    def path(self) -> str:
        return LEASES.object_path(lease_name(self.release_name), self.namespace)

    def _body(self, acquire_time: str, transitions: int) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "name": lease_name(self.release_name),
            "namespace": self.namespace,
        }
        if self._resource_version:
            metadata["resourceVersion"] = self._resource_version
        return {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": metadata,
            "spec": {
                "holderIdentity": self.holder,
                "leaseDurationSeconds": self.duration_seconds,
                "acquireTime": acquire_time,
                "renewTime": micro_time(self.now()),
                "leaseTransitions": transitions,
            },
        }

    async def acquire(self) -> None:
        """Takes the lease or raises ReleaseBusy when another live holder has it.
        Creating it is tried first: a free release then costs one request."""
        knew_server_time = self.clock is not None or self.client.server_clock.observed
        now = micro_time(self.now())
        self._acquire_time, self._transitions = now, 0
        for attempt in range(2):
            self._resource_version = ""
            try:
                created = await self.client.create(
                    LEASES, self._body(now, 0), identity=self.identity, namespace=self.namespace
                )
            except KubeAlreadyExists:
                if await self._take_over(now, last_attempt=attempt == 1):
                    break
            else:
                self._resource_version = str(created["metadata"]["resourceVersion"])
                break
        self.lost = False
        if not knew_server_time and abs(self.client.server_clock.offset) > 1.0:
            # Written before any answer told the server's time, by a clock that is off.
            await self.renew()
        self._renewal = asyncio.get_running_loop().create_task(self._renew_until_cancelled())

    async def _take_over(self, now: str, *, last_attempt: bool) -> bool:
        """The lease exists: replace it if it is this holder's or expired, else ReleaseBusy.
        False when it was freed meanwhile (creating it may be tried again)."""
        try:
            current = await self.client.request("GET", self.path, identity=self.identity)
        except KubeNotFound as error:
            if last_attempt:
                raise ReleaseBusy(busy_message(self.release_name)) from error
            return False
        spec = current.get("spec") or {}
        holder = str(spec.get("holderIdentity") or "")
        if holder and holder != self.holder and not self._expired(spec):
            raise ReleaseBusy(busy_message(self.release_name))
        self.previous_holder = holder if holder != self.holder else ""
        self._resource_version = str(current["metadata"]["resourceVersion"])
        self._transitions = int(spec.get("leaseTransitions") or 0) + (1 if holder else 0)
        try:
            replaced = await self.client.request(
                "PUT", self.path, identity=self.identity, body=self._body(now, self._transitions)
            )
        except KubeConflict as error:
            raise ReleaseBusy(busy_message(self.release_name)) from error
        self._resource_version = str(replaced["metadata"]["resourceVersion"])
        return True

    def _expired(self, spec: dict[str, Any]) -> bool:
        renewed = spec.get("renewTime") or spec.get("acquireTime")
        if not renewed:
            return True
        duration = float(spec.get("leaseDurationSeconds") or DEFAULT_LEASE_SECONDS)
        return parse_micro_time(str(renewed)) + duration < self.now()

    async def renew(self) -> None:
        """Extends the lease once; LeaseLost when someone else took it meanwhile. One PUT
        carrying the resourceVersion this holder last wrote: any other writer's change (or a
        deletion) since then makes the API server refuse it."""
        if not self._resource_version:
            self.lost = True
            raise LeaseLost(f"lost the lock on release {self.release_name}")
        try:
            renewed = await self.client.request(
                "PUT",
                self.path,
                identity=self.identity,
                body=self._body(self._acquire_time, self._transitions),
            )
        except (KubeConflict, KubeNotFound) as error:
            self.lost = True
            raise LeaseLost(f"lost the lock on release {self.release_name}") from error
        self._resource_version = str(renewed["metadata"]["resourceVersion"])

    async def _renew_until_cancelled(self) -> None:
        interval = max(self.duration_seconds / 3, 0.2)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.renew()
            except LeaseLost:
                return
            except Exception:  # a failed renewal is retried at the next tick
                continue

    def check(self) -> None:
        """Raises LeaseLost when the lease is no longer this holder's (call before writing)."""
        if self.lost:
            raise LeaseLost(f"lost the lock on release {self.release_name}")

    async def release(self) -> None:
        """Stops renewing and deletes the lease if it is still this holder's."""
        if self._renewal is not None:
            self._renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewal
            self._renewal = None
        if self.lost or not self._resource_version:
            return
        options = {
            "kind": "DeleteOptions",
            "apiVersion": "v1",
            "preconditions": {"resourceVersion": self._resource_version},
        }
        with contextlib.suppress(KubeNotFound, KubeConflict):
            await self.client.request("DELETE", self.path, identity=self.identity, body=options)
        self._resource_version = ""


def interrupted_description(previous: Release) -> str:
    holder = previous.lock_holder or "an earlier process"
    return (
        f"{previous.status} interrupted: {holder} stopped before finishing and its lock "
        f"expired; marked failed on recovery (was: {previous.info.description if previous.info else ''})"
    )


async def recover_interrupted(storage: ReleaseStorage, name: str, holder: str) -> Release | None:
    """Marks a release left pending by a dead otterhelm holder as failed. Call only while
    holding the release's lease. Pending records Helm itself wrote are left alone: Helm does
    not take the lease, so only Helm's own rules may judge them. Returns the fixed record."""
    records = await storage.release_secrets(name)
    return await _recover_last(storage, records, holder)


async def _recover_last(
    storage: ReleaseStorage, records: list[dict[str, Any]], holder: str
) -> Release | None:
    if not records:
        return None
    last = release_from_secret(records[-1], all_labels=True)
    if not (isinstance(last.status, Status) and last.status.is_pending):
        return None
    if not last.lock_holder or last.lock_holder == holder:
        return None
    last.set_status(Status.FAILED, interrupted_description(last))
    last.lock_holder = holder
    return await storage.update(last)


@contextlib.asynccontextmanager
async def hold_release(
    storage: ReleaseStorage,
    name: str,
    *,
    holder: str | None = None,
    duration_seconds: int = DEFAULT_LEASE_SECONDS,
) -> AsyncIterator[ReleaseLease]:
    """Holds the release's lease for one operation, recovering an interrupted earlier one
    first; the lease's `records` are the release's Secrets read once under it."""
    lease = ReleaseLease(
        client=storage.client,
        namespace=storage.namespace,
        release_name=name,
        holder=holder or default_holder(),
        duration_seconds=duration_seconds,
        identity=storage.identity,
    )
    await lease.acquire()
    try:
        lease.records = await storage.release_secrets(name)
        if await _recover_last(storage, lease.records, lease.holder) is not None:
            lease.records = await storage.release_secrets(name)
        yield lease
    finally:
        await lease.release()
