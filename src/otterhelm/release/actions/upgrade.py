"""Upgrade (pkg/action/upgrade.go, Helm v4.3.1): new revision = last + 1, pending-upgrade
"Preparing upgrade" → deployed "Upgrade complete" with the previous deployed revision
superseded; on failure `Upgrade "<name>" failed: <reason>` (and, with rollback-on-failure,
a rollback to the revision that was deployed)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from otterhelm.chart.model import Chart
from otterhelm.errors import Aborted, FailedPrecondition, OtterhelmError
from otterhelm.kube.apply import OwnershipConflict, PlacedObject
from otterhelm.kube.manifest import MatchKey
from otterhelm.release.actions.context import ActionContext, settle
from otterhelm.release.actions.deploy import DeployOptions, PhaseError, deploy, placed_objects
from otterhelm.release.actions.failures import rewrapped
from otterhelm.release.actions.modtimes import chart_mod_times
from otterhelm.release.actions.records import encode_outcome, mark, new_release, supersede
from otterhelm.release.actions.rendering import RenderRequest
from otterhelm.release.actions.values import ValuesMode, upgrade_values
from otterhelm.release.lock import busy_message
from otterhelm.release.model import Release, Status
from otterhelm.release.storage import (
    OWNER,
    NoDeployedReleases,
    custom_labels,
    label_version,
    release_from_secret,
)
from otterhelm.render.pipeline import RenderedRelease, ensure_installable

DESCRIPTION_PENDING = "Preparing upgrade"
DESCRIPTION_DONE = "Upgrade complete"
DESCRIPTION_DRY_RUN = "Dry run complete"
DEFAULT_MAX_HISTORY = 10


@dataclass(frozen=True, slots=True)
class UpgradeOptions:
    name: str
    deploy: DeployOptions = field(default_factory=DeployOptions)
    values_mode: ValuesMode = ValuesMode.DEFAULT
    dry_run: bool = False
    take_ownership: bool = False
    rollback_on_failure: bool = False
    description: str = ""
    max_history: int = DEFAULT_MAX_HISTORY
    chart_reference: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    skip_schema_validation: bool = False


async def upgrade(
    ctx: ActionContext, chart: Chart, given_values: dict[str, Any], opts: UpgradeOptions
) -> Release:
    ensure_installable(opts.name, chart)
    # The records are read and the chart rendered (in a worker thread) while the lock is
    # being taken; under the lock the records' labels are checked to be unchanged.
    early = await _prepare(ctx, chart, given_values, opts)
    try:
        if opts.dry_run:
            secrets = await _release_secrets(ctx, opts.name)
            return await _upgrade_locked(ctx, chart, given_values, opts, early, secrets)
        async with ctx.hold(opts.name) as lease:
            ctx.holder = lease.holder
            return await _upgrade_locked(ctx, chart, given_values, opts, early, lease.records)
    finally:
        if early is not None:
            await settle(early.rendered)


@dataclass(slots=True)
class _Prepared:
    state: tuple[tuple[int, str], ...]
    last: Release
    current: Release
    user_values: dict[str, Any]
    rendered: asyncio.Future[RenderedRelease]


def _label_state(secrets: list[dict[str, Any]]) -> tuple[tuple[int, str], ...]:
    return tuple(
        sorted(
            (label_version(s), str(((s.get("metadata") or {}).get("labels") or {}).get("status")))
            for s in secrets
        )
    )


async def _release_secrets(ctx: ActionContext, name: str) -> list[dict[str, Any]]:
    return await ctx.storage.list_secrets(f"name={name},owner={OWNER}")


def _current(secrets: list[dict[str, Any]], name: str) -> tuple[Release, Release]:
    """(last revision, revision to upgrade from: the highest deployed one, else the last),
    decoding only those two records."""
    if not secrets:
        raise NoDeployedReleases(name)
    last_secret = max(secrets, key=label_version)
    last = release_from_secret(last_secret, all_labels=True)
    if isinstance(last.status, Status) and last.status.is_pending:
        raise FailedPrecondition(busy_message(name))
    deployed = [
        s for s in secrets if ((s.get("metadata") or {}).get("labels") or {}).get("status") == Status.DEPLOYED
    ]
    if not deployed:
        if last.status in (Status.UNINSTALLED, Status.UNINSTALLING):
            raise NoDeployedReleases(name)
        return last, last
    current_secret = max(deployed, key=label_version)
    if current_secret is last_secret:
        return last, last
    return last, release_from_secret(current_secret, all_labels=True)


async def _prepare(
    ctx: ActionContext, chart: Chart, given_values: dict[str, Any], opts: UpgradeOptions
) -> _Prepared | None:
    secrets = await _release_secrets(ctx, opts.name)
    try:
        last, current = _current(secrets, opts.name)
    except (NoDeployedReleases, FailedPrecondition):
        return None  # decided again under the lock, after recovery of an interrupted operation
    user_values = upgrade_values(chart, current, given_values, opts.values_mode)
    request = RenderRequest(
        opts.name,
        ctx.namespace,
        last.version + 1,
        True,
        await ctx.capabilities(),
        opts.skip_schema_validation,
    )
    rendered = asyncio.ensure_future(asyncio.to_thread(ctx.render, chart, user_values, request))
    return _Prepared(_label_state(secrets), last, current, user_values, rendered)


async def _upgrade_locked(
    ctx: ActionContext,
    chart: Chart,
    given_values: dict[str, Any],
    opts: UpgradeOptions,
    early: _Prepared | None,
    secrets: list[dict[str, Any]],
) -> Release:
    """`secrets`: the release's record Secrets as read under the lock."""
    if early is None:
        # Nothing was prepared (the release looked busy or absent): decide now, after any
        # recovery of an interrupted operation, and render in this task.
        last, current = _current(secrets, opts.name)
        user_values = upgrade_values(chart, current, given_values, opts.values_mode)
        request = RenderRequest(
            opts.name,
            ctx.namespace,
            last.version + 1,
            True,
            await ctx.capabilities(),
            opts.skip_schema_validation,
        )
        rendered = ctx.render(chart, user_values, request)
    elif _label_state(secrets) != early.state:
        raise Aborted(f"release {opts.name} changed while the upgrade was being prepared; retry")
    else:
        last, current, user_values = early.last, early.current, early.user_values
        rendered = await early.rendered
    release = new_release(
        ctx.namespace,
        ctx.clock(),
        opts.name,
        last.version + 1,
        chart,
        user_values,
        rendered,
        status=Status.PENDING_UPGRADE,
        description=DESCRIPTION_PENDING,
        mod_times=chart_mod_times(opts.chart_reference) if opts.chart_reference else None,
        first_deployed=current.info.first_deployed if current.info else "",
    )
    release.labels = dict(opts.labels) or custom_labels(current.labels)
    release.chart_reference = opts.chart_reference or current.chart_reference
    existing = await placed_objects(ctx, current.manifest)
    target = await placed_objects(ctx, release.manifest)
    known = {p.obj.key() for p in existing}
    if opts.dry_run:
        await _check_ownership(ctx, target, known, opts)
        await ctx.applier.apply_all(target, ctx.ref(opts.name), dry_run=True)
        release.set_status(Status.PENDING_UPGRADE, DESCRIPTION_DRY_RUN)
        return release
    release.lock_holder = ctx.holder
    # The record is encoded (in a worker thread) while the cluster answers the ownership checks.
    record = asyncio.ensure_future(ctx.storage.encode(release))
    try:
        await _check_ownership(ctx, target, known, opts)
    except BaseException:
        await settle(record)
        raise
    await ctx.storage.create(release, max_history=opts.max_history, record=await record, existing=secrets)
    description = opts.description or DESCRIPTION_DONE
    outcome = encode_outcome(ctx, release, Status.DEPLOYED, description, no_hooks=opts.deploy.no_hooks)
    try:
        await deploy(ctx, release, target, current=existing, event_prefix="upgrade", opts=opts.deploy)
    except (OtterhelmError, PhaseError) as err:
        if outcome is not None:
            await settle(outcome)
        await _fail(ctx, release, current, err, opts)
    final = None if outcome is None else await outcome
    if current.status == Status.DEPLOYED:
        # Two different Secrets: written together, as neither write depends on the other.
        await asyncio.gather(supersede(ctx, current), mark(ctx, release, Status.DEPLOYED, description, final))
    else:
        await mark(ctx, release, Status.DEPLOYED, description, final)
    return release


async def _check_ownership(
    ctx: ActionContext, target: list[PlacedObject], known: set[MatchKey], opts: UpgradeOptions
) -> None:
    """Objects the current revision does not have must be free or owned by the release."""
    if opts.take_ownership:
        return
    try:
        await ctx.applier.check_ownership([p for p in target if p.obj.key() not in known], ctx.ref(opts.name))
    except OwnershipConflict as err:
        raise OwnershipConflict(f"unable to continue with update: {err}") from err


async def _fail(
    ctx: ActionContext, release: Release, current: Release, err: Exception, opts: UpgradeOptions
) -> None:
    cause = err.cause if isinstance(err, PhaseError) else err
    await mark(ctx, release, Status.FAILED, f'Upgrade "{release.name}" failed: {err}')
    message = str(err)
    if opts.rollback_on_failure and current.status == Status.DEPLOYED:
        from otterhelm.release.actions.rollback import RollbackOptions, rollback_locked

        try:
            await rollback_locked(ctx, RollbackOptions(name=release.name, revision=current.version))
        except OtterhelmError as rollback_err:
            message = f"an error occurred while rolling back the release. original upgrade error: {err}: {rollback_err}"
        else:
            message = f"release {release.name} failed, and has been rolled back due to rollback-on-failure being set: {err}"
    raise rewrapped(cause, message) from err
