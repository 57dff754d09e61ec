"""Readiness of applied objects and completion of hook Jobs and Pods, by polling.

The rules follow what Helm v4's status waiter (kstatus) treats as current: workloads whose
controllers report the desired replicas ready and up to date, Jobs complete, PVCs bound,
LoadBalancer Services with an address, and any object with status conditions whose
`Ready` condition (when present) is True.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Mapping, Sequence
from typing import Any

from otterhelm.errors import DeadlineExceeded, FailedPrecondition
from otterhelm.kube.apply import Applier, PlacedObject

POLL_SECONDS = 0.2


class HookFailed(FailedPrecondition):
    """A hook Job or Pod finished unsuccessfully."""


class Progress(enum.Enum):
    IN_PROGRESS = "InProgress"
    CURRENT = "Current"
    FAILED = "Failed"


def _conditions(live: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found = (live.get("status") or {}).get("conditions") or []
    return {str(c.get("type")): c for c in found if isinstance(c, dict)}


def _condition_true(live: Mapping[str, Any], kind: str) -> bool:
    condition = _conditions(live).get(kind)
    return condition is not None and condition.get("status") == "True"


def _observed(live: Mapping[str, Any]) -> bool:
    status = live.get("status") or {}
    generation = (live.get("metadata") or {}).get("generation")
    observed = status.get("observedGeneration")
    return generation is None or observed is None or observed >= generation


def job_progress(live: Mapping[str, Any]) -> tuple[Progress, str]:
    if _condition_true(live, "Failed"):
        reason = _conditions(live)["Failed"].get("reason") or "failed"
        return Progress.FAILED, f'job "{live["metadata"]["name"]}" failed: {reason}'
    if _condition_true(live, "Complete"):
        return Progress.CURRENT, ""
    return Progress.IN_PROGRESS, "job not complete"


def pod_progress(live: Mapping[str, Any], *, as_hook: bool) -> tuple[Progress, str]:
    phase = (live.get("status") or {}).get("phase")
    if phase == "Failed":
        return Progress.FAILED, f'pod "{live["metadata"]["name"]}" failed'
    if phase == "Succeeded":
        return Progress.CURRENT, ""
    if not as_hook and _condition_true(live, "Ready"):
        return Progress.CURRENT, ""
    return Progress.IN_PROGRESS, f"pod phase {phase or 'Pending'}"


def _replicas_ready(live: Mapping[str, Any], ready_field: str) -> tuple[Progress, str]:
    wanted = (live.get("spec") or {}).get("replicas", 1)
    status = live.get("status") or {}
    ready = status.get(ready_field) or 0
    updated = status.get("updatedReplicas") or 0
    if _observed(live) and ready >= wanted and updated >= wanted:
        return Progress.CURRENT, ""
    return Progress.IN_PROGRESS, f"{ready} of {wanted} replicas ready"


def progress(live: Mapping[str, Any]) -> tuple[Progress, str]:
    """How far an object is from ready, with a short reason when it is not."""
    kind = live.get("kind")
    status = live.get("status") or {}
    if kind == "Job":
        return job_progress(live)
    if kind == "Pod":
        return pod_progress(live, as_hook=False)
    if kind == "Deployment":
        return _replicas_ready(live, "availableReplicas")
    if kind == "StatefulSet":
        return _replicas_ready(live, "readyReplicas")
    if kind == "DaemonSet":
        wanted = status.get("desiredNumberScheduled") or 0
        ready = status.get("numberReady") or 0
        updated = status.get("updatedNumberScheduled") or 0
        if _observed(live) and ready >= wanted and updated >= wanted:
            return Progress.CURRENT, ""
        return Progress.IN_PROGRESS, f"{ready} of {wanted} pods ready"
    if kind == "PersistentVolumeClaim":
        if status.get("phase") == "Bound":
            return Progress.CURRENT, ""
        return Progress.IN_PROGRESS, "PVC is not Bound"
    if kind == "Service":
        if (live.get("spec") or {}).get("type") != "LoadBalancer":
            return Progress.CURRENT, ""
        if (status.get("loadBalancer") or {}).get("ingress"):
            return Progress.CURRENT, ""
        return Progress.IN_PROGRESS, "LoadBalancer has no address"
    conditions = _conditions(live)
    if "Ready" in conditions and conditions["Ready"].get("status") != "True":
        return Progress.IN_PROGRESS, str(conditions["Ready"].get("message") or "Ready is not True")
    return Progress.CURRENT, ""


async def wait_ready(applier: Applier, objects: Sequence[PlacedObject], timeout_seconds: float) -> None:
    """Polls until every object is ready; DeadlineExceeded names the first one that is not."""
    deadline = time.monotonic() + timeout_seconds
    pending = list(objects)
    while True:
        lives = await asyncio.gather(*(applier.live(placed) for placed in pending))
        still: list[tuple[PlacedObject, str]] = []
        for placed, live in zip(pending, lives, strict=True):
            if live is None:
                still.append((placed, "not found"))
                continue
            state, reason = progress(live)
            if state is not Progress.CURRENT:
                still.append((placed, reason))
        if not still:
            return
        if time.monotonic() >= deadline:
            placed, reason = still[0]
            raise DeadlineExceeded(
                f"resource {placed.obj.kind}/{placed.namespace}/{placed.name} not ready: {reason}: "
                "context deadline exceeded"
            )
        pending = [placed for placed, _ in still]
        await asyncio.sleep(POLL_SECONDS)


async def wait_hook_done(applier: Applier, placed: PlacedObject, timeout_seconds: float) -> None:
    """A hook Job must complete and a hook Pod succeed; other kinds are done once created."""
    if placed.obj.kind not in ("Job", "Pod"):
        return
    deadline = time.monotonic() + timeout_seconds
    while True:
        live = await applier.live(placed)
        if live is None:
            raise HookFailed(f'{placed.obj.kind.lower()} "{placed.name}" was deleted before it finished')
        state, reason = job_progress(live) if placed.obj.kind == "Job" else pod_progress(live, as_hook=True)
        if state is Progress.CURRENT:
            return
        if state is Progress.FAILED:
            raise HookFailed(reason)
        if time.monotonic() >= deadline:
            raise DeadlineExceeded(
                f'{placed.obj.kind.lower()} "{placed.name}" not finished: {reason}: context deadline exceeded'
            )
        await asyncio.sleep(POLL_SECONDS)


async def wait_deleted(applier: Applier, objects: Sequence[PlacedObject], timeout_seconds: float) -> None:
    """Polls until none of the objects exists any more (finalizers done)."""
    deadline = time.monotonic() + timeout_seconds
    pending = list(objects)
    while pending:
        lives = await asyncio.gather(*(applier.live(placed) for placed in pending))
        pending = [placed for placed, live in zip(pending, lives, strict=True) if live is not None]
        if not pending:
            return
        if time.monotonic() >= deadline:
            placed = pending[0]
            raise DeadlineExceeded(
                f"resource {placed.obj.kind}/{placed.namespace}/{placed.name} still exists: context deadline exceeded"
            )
        await asyncio.sleep(POLL_SECONDS)
