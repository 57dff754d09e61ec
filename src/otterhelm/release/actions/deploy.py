"""The common middle of install, upgrade and rollback: hooks around applying the manifest."""

from __future__ import annotations

from dataclasses import dataclass

from otterhelm.kube.apply import PlacedObject, has_keep_policy
from otterhelm.kube.manifest import parse_manifest
from otterhelm.kube.wait import wait_ready
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.hooks import HookError, HookRun, run_hooks
from otterhelm.release.actions.records import save
from otterhelm.release.model import Release

DEFAULT_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class DeployOptions:
    wait: bool = False
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    no_hooks: bool = False
    force_conflicts: bool = False


class PhaseError(Exception):
    """Carries Helm's failure text for a phase (`failed pre-install: ...`) around the cause."""

    def __init__(self, message: str, cause: BaseException) -> None:
        super().__init__(message)
        self.cause = cause


async def placed_objects(ctx: ActionContext, manifest: str) -> list[PlacedObject]:
    return await ctx.applier.place(parse_manifest(manifest), ctx.namespace)


async def run_event(ctx: ActionContext, release: Release, event: str, opts: DeployOptions) -> None:
    if opts.no_hooks:
        return

    async def record(current: Release) -> None:
        await save(ctx, current)

    try:
        await run_hooks(ctx, release, HookRun(event, opts.timeout_seconds, record))
    except HookError as err:
        raise PhaseError(f"failed {event}: {err}", err.__cause__ or err) from err


async def deploy(
    ctx: ActionContext,
    release: Release,
    target: list[PlacedObject],
    *,
    current: list[PlacedObject],
    event_prefix: str,
    opts: DeployOptions,
) -> None:
    """pre-<event> hooks, apply `target`, delete what `current` had and `target` has not
    (unless the live object asks to be kept), optional wait, post-<event> hooks."""
    await run_event(ctx, release, f"pre-{event_prefix}", opts)
    await ctx.applier.apply_all(target, ctx.ref(release.name), force_conflicts=opts.force_conflicts)
    wanted = {p.obj.key() for p in target}
    stale = [p for p in current if p.obj.key() not in wanted]
    removable = []
    for placed in stale:
        live = await ctx.applier.live(placed)
        if live is not None and not has_keep_policy((live.get("metadata") or {}).get("annotations")):
            removable.append(placed)
    await ctx.applier.delete_all(removable)
    if opts.wait:
        await wait_ready(ctx.applier, target, opts.timeout_seconds)
    await run_event(ctx, release, f"post-{event_prefix}", opts)
