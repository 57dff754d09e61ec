"""Rollback (pkg/action/rollback.go, Helm v4.3.1): a new revision (last + 1) holding the
chosen revision's chart, values, manifest and hooks, pending-rollback "Rollback to N" →
deployed, every previously deployed revision superseded; on failure `Rollback "<name>"
failed: <reason>`. Without a revision the target is the most recent earlier revision that
was deployed successfully (deployed or superseded)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from otterhelm.errors import FailedPrecondition, NotFound, OtterhelmError
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.deploy import DeployOptions, PhaseError, deploy, placed_objects
from otterhelm.release.actions.failures import rewrapped
from otterhelm.release.actions.records import mark, supersede
from otterhelm.release.actions.upgrade import DEFAULT_MAX_HISTORY
from otterhelm.release.lock import busy_message
from otterhelm.release.model import HookExecution, Info, Release, Status
from otterhelm.release.storage import ReleaseNotFound, custom_labels
from otterhelm.render.pipeline import validate_release_name

DESCRIPTION_DRY_RUN = "Dry run complete"


@dataclass(frozen=True, slots=True)
class RollbackOptions:
    name: str
    # 0 chooses the most recent earlier successfully deployed revision.
    revision: int = 0
    deploy: DeployOptions = field(default_factory=DeployOptions)
    dry_run: bool = False
    max_history: int = DEFAULT_MAX_HISTORY


async def rollback(ctx: ActionContext, opts: RollbackOptions) -> Release:
    validate_release_name(opts.name)
    if opts.dry_run:
        return await rollback_locked(ctx, opts)
    async with ctx.hold(opts.name) as lease:
        ctx.holder = lease.holder
        return await rollback_locked(ctx, opts)


def choose_target(history: list[Release], revision: int) -> Release:
    """The revision to roll back to (history oldest first, last = current)."""
    current = history[-1]
    if revision:
        for candidate in history:
            if candidate.version == revision:
                return candidate
        raise NotFound(f"release has no {revision} version")
    for candidate in reversed(history[:-1]):
        if candidate.status in (Status.DEPLOYED, Status.SUPERSEDED):
            return candidate
    raise NotFound(f"release {current.name} has no earlier successfully deployed revision to roll back to")


async def rollback_locked(ctx: ActionContext, opts: RollbackOptions) -> Release:
    history = await ctx.storage.history(opts.name)
    if not history:
        raise ReleaseNotFound()
    current = history[-1]
    if isinstance(current.status, Status) and current.status.is_pending and current.lock_holder != ctx.holder:
        raise FailedPrecondition(busy_message(opts.name))
    previous = choose_target(history, opts.revision)
    now = ctx.clock()
    target = Release(
        name=opts.name,
        namespace=ctx.namespace,
        version=current.version + 1,
        info=Info(
            first_deployed=current.info.first_deployed if current.info else now,
            last_deployed=now,
            status=Status.PENDING_ROLLBACK,
            description=f"Rollback to {previous.version}",
            notes=previous.info.notes if previous.info else "",
        ),
        chart=previous.chart,
        config=copy.deepcopy(previous.config),
        manifest=previous.manifest,
        hooks=[replace(h, last_run=HookExecution()) for h in copy.deepcopy(previous.hooks or [])],
        apply_method=previous.apply_method or "ssa",
        labels=custom_labels(previous.labels),
        chart_reference=previous.chart_reference,
    )
    existing = await placed_objects(ctx, current.manifest)
    wanted = await placed_objects(ctx, target.manifest)
    if opts.dry_run:
        await ctx.applier.apply_all(wanted, ctx.ref(opts.name), dry_run=True)
        target.set_status(Status.PENDING_ROLLBACK, DESCRIPTION_DRY_RUN)
        return target
    target.lock_holder = ctx.holder
    await ctx.storage.create(target, max_history=opts.max_history)
    try:
        await deploy(ctx, target, wanted, current=existing, event_prefix="rollback", opts=opts.deploy)
    except (OtterhelmError, PhaseError) as err:
        cause = err.cause if isinstance(err, PhaseError) else err
        await supersede(ctx, current)
        await mark(ctx, target, Status.FAILED, f'Rollback "{opts.name}" failed: {err}')
        raise rewrapped(cause, str(err)) from err
    for earlier in await ctx.storage.history(opts.name):
        if earlier.version != target.version and earlier.status == Status.DEPLOYED:
            await supersede(ctx, earlier)
    await mark(ctx, target, Status.DEPLOYED, f"Rollback to {previous.version}")
    return target
