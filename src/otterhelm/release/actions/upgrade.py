"""Upgrade (pkg/action/upgrade.go, Helm v4.3.1): new revision = last + 1, pending-upgrade
"Preparing upgrade" → deployed "Upgrade complete" with the previous deployed revision
superseded; on failure `Upgrade "<name>" failed: <reason>` (and, with rollback-on-failure,
a rollback to the revision that was deployed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from otterhelm.chart.model import Chart
from otterhelm.errors import FailedPrecondition, InvalidArgument, OtterhelmError
from otterhelm.kube.apply import OwnershipConflict
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.deploy import DeployOptions, PhaseError, deploy, placed_objects
from otterhelm.release.actions.failures import rewrapped
from otterhelm.release.actions.records import mark, new_release, supersede
from otterhelm.release.actions.rendering import RenderRequest
from otterhelm.release.actions.values import ValuesMode, upgrade_values
from otterhelm.release.lock import busy_message, hold_release
from otterhelm.release.model import Release, Status
from otterhelm.release.storage import NoDeployedReleases, ReleaseNotFound, custom_labels
from otterhelm.render.pipeline import validate_release_name

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
    validate_release_name(opts.name)
    if chart.metadata.type not in ("", "application"):
        raise InvalidArgument(f"{chart.metadata.type} charts are not installable")
    if opts.dry_run:
        return await _upgrade_locked(ctx, chart, given_values, opts)
    async with hold_release(ctx.storage, opts.name) as lease:
        ctx.holder = lease.holder
        return await _upgrade_locked(ctx, chart, given_values, opts)


async def _current(ctx: ActionContext, name: str) -> tuple[Release, Release]:
    """(last revision, revision to upgrade from: the deployed one, else the last)."""
    try:
        last = await ctx.storage.last(name)
    except ReleaseNotFound as err:
        raise NoDeployedReleases(name) from err
    if isinstance(last.status, Status) and last.status.is_pending:
        raise FailedPrecondition(busy_message(name))
    try:
        current = await ctx.storage.deployed(name)
    except NoDeployedReleases:
        if last.status in (Status.UNINSTALLED, Status.UNINSTALLING):
            raise
        current = last
    return last, current


async def _upgrade_locked(
    ctx: ActionContext, chart: Chart, given_values: dict[str, Any], opts: UpgradeOptions
) -> Release:
    last, current = await _current(ctx, opts.name)
    user_values = upgrade_values(chart, current, given_values, opts.values_mode)
    capabilities = await ctx.capabilities()
    request = RenderRequest(
        opts.name, ctx.namespace, last.version + 1, True, capabilities, opts.skip_schema_validation
    )
    rendered = ctx.render(chart, user_values, request)
    release = new_release(
        ctx,
        opts.name,
        last.version + 1,
        chart,
        user_values,
        rendered,
        status=Status.PENDING_UPGRADE,
        description=DESCRIPTION_PENDING,
        first_deployed=current.info.first_deployed if current.info else "",
    )
    release.labels = dict(opts.labels) or custom_labels(current.labels)
    release.chart_reference = opts.chart_reference or current.chart_reference
    existing = await placed_objects(ctx, current.manifest)
    target = await placed_objects(ctx, release.manifest)
    known = {p.obj.key() for p in existing}
    if not opts.take_ownership:
        try:
            await ctx.applier.check_ownership(
                [p for p in target if p.obj.key() not in known], ctx.ref(opts.name)
            )
        except OwnershipConflict as err:
            raise OwnershipConflict(
                f"rendered manifests contain a resource that already exists. Unable to continue with update: {err}"
            ) from err
    if opts.dry_run:
        await ctx.applier.apply_all(target, ctx.ref(opts.name), dry_run=True)
        release.set_status(Status.PENDING_UPGRADE, DESCRIPTION_DRY_RUN)
        return release
    release.lock_holder = ctx.holder
    await ctx.storage.create(release, max_history=opts.max_history)
    try:
        await deploy(ctx, release, target, current=existing, event_prefix="upgrade", opts=opts.deploy)
    except (OtterhelmError, PhaseError) as err:
        await _fail(ctx, release, current, err, opts)
    if current.status == Status.DEPLOYED:
        await supersede(ctx, current)
    await mark(ctx, release, Status.DEPLOYED, opts.description or DESCRIPTION_DONE)
    return release


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
