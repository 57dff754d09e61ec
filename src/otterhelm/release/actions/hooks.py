"""Running a release's hooks for one event (pkg/action/hooks.go execHook).

Hooks of the event run one at a time, by weight then name; each is deleted first when its
policies include before-hook-creation (the default), created, and waited for (Jobs must
complete, Pods succeed). After a failure the hook is deleted if it asks for hook-failed;
after success of all, those asking for hook-succeeded are deleted in reverse order.
CustomResourceDefinition hooks are never deleted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from otterhelm.errors import OtterhelmError
from otterhelm.kube.apply import CRD_KIND, PlacedObject
from otterhelm.kube.manifest import parse_manifest
from otterhelm.kube.wait import wait_hook_done
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.model import Hook, Release

BEFORE_HOOK_CREATION = "before-hook-creation"
HOOK_SUCCEEDED = "hook-succeeded"
HOOK_FAILED = "hook-failed"
PHASE_RUNNING = "Running"
PHASE_SUCCEEDED = "Succeeded"
PHASE_FAILED = "Failed"
PHASE_UNKNOWN = "Unknown"


class HookError(OtterhelmError):
    """A hook could not be created or did not succeed; str() is Helm's message."""


@dataclass(frozen=True, slots=True)
class HookRun:
    event: str
    timeout_seconds: float
    record: Callable[[Release], Awaitable[None]]


def hooks_for(release: Release, event: str) -> list[Hook]:
    chosen = [h for h in release.hooks or [] if event in h.events]
    # Go's sort.Stable(hookByWeight): weight, then name.
    return sorted(chosen, key=lambda h: (h.weight, h.name))


async def _placed(ctx: ActionContext, hook: Hook) -> list[PlacedObject]:
    return await ctx.applier.place(parse_manifest(hook.manifest), ctx.namespace)


async def _delete_by_policy(ctx: ActionContext, hook: Hook, policy: str) -> None:
    if hook.kind == CRD_KIND or policy not in hook.delete_policies:
        return
    await ctx.applier.delete_all(await _placed(ctx, hook))


async def run_hooks(ctx: ActionContext, release: Release, run: HookRun) -> None:
    """Runs the event's hooks of `release`, updating their last_run; raises HookError."""
    executed: list[Hook] = []
    for hook in hooks_for(release, run.event):
        if not hook.delete_policies:
            hook.delete_policies = [BEFORE_HOOK_CREATION]
        await _delete_by_policy(ctx, hook, BEFORE_HOOK_CREATION)
        hook.last_run.started_at = ctx.clock()
        hook.last_run.completed_at = ""
        hook.last_run.phase = PHASE_RUNNING
        await run.record(release)
        hook.last_run.phase = PHASE_UNKNOWN
        try:
            placed = await _placed(ctx, hook)
            await ctx.applier.apply_all(placed, ctx.ref(release.name))
        except OtterhelmError as err:
            hook.last_run.completed_at = ctx.clock()
            hook.last_run.phase = PHASE_FAILED
            raise HookError(f"warning: Hook {run.event} {hook.path} failed: {err}") from err
        try:
            for item in placed:
                await wait_hook_done(ctx.applier, item, run.timeout_seconds)
        except OtterhelmError as err:
            hook.last_run.completed_at = ctx.clock()
            hook.last_run.phase = PHASE_FAILED
            await _delete_by_policy(ctx, hook, HOOK_FAILED)
            for earlier in executed:
                await _delete_by_policy(ctx, earlier, HOOK_SUCCEEDED)
            raise HookError(str(err)) from err
        hook.last_run.completed_at = ctx.clock()
        hook.last_run.phase = PHASE_SUCCEEDED
        executed.append(hook)
    for hook in reversed(executed):
        await _delete_by_policy(ctx, hook, HOOK_SUCCEEDED)
