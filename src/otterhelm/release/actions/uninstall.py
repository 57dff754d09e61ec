"""Uninstall (pkg/action/uninstall.go, Helm v4.3.1): uninstalling → pre-delete hooks →
delete the manifest's objects in UninstallOrder (keeping those whose manifest says
`helm.sh/resource-policy: keep`) → post-delete hooks → uninstalled; without keep-history
every revision is then removed from storage."""

from __future__ import annotations

from dataclasses import dataclass, field

from otterhelm.errors import FailedPrecondition
from otterhelm.kube.apply import RESOURCE_POLICY_ANNOTATION, PlacedObject, has_keep_policy
from otterhelm.kube.manifest import parse_manifest
from otterhelm.kube.wait import wait_deleted
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.deploy import DeployOptions, run_event
from otterhelm.release.actions.records import mark, save, supersede
from otterhelm.release.model import Release, Status
from otterhelm.release.storage import ReleaseNotFound
from otterhelm.render.pipeline import validate_release_name

DESCRIPTION_UNINSTALLING = "Deletion in progress (or silently failed)"
DESCRIPTION_DONE = "Uninstallation complete"


@dataclass(frozen=True, slots=True)
class UninstallOptions:
    name: str
    keep_history: bool = False
    dry_run: bool = False
    description: str = ""
    deploy: DeployOptions = field(default_factory=DeployOptions)


@dataclass(slots=True)
class UninstallResult:
    release: Release
    # `These resources were kept due to the resource policy:` lines, `[Kind] name`.
    kept: list[str] = field(default_factory=list)

    @property
    def info(self) -> str:
        if not self.kept:
            return ""
        return "These resources were kept due to the resource policy:\n" + "".join(
            f"{k}\n" for k in self.kept
        )


async def uninstall(ctx: ActionContext, name: str, opts: UninstallOptions) -> UninstallResult:
    validate_release_name(name)
    if opts.dry_run:
        history = await ctx.storage.history(name)
        if not history:
            raise ReleaseNotFound(f"uninstall: Release not loaded: {name}: release: not found")
        return UninstallResult(history[-1])
    async with ctx.hold(name) as lease:
        ctx.holder = lease.holder
        return await uninstall_locked(ctx, name, opts)


async def uninstall_locked(ctx: ActionContext, name: str, opts: UninstallOptions) -> UninstallResult:
    history = await ctx.storage.history(name)
    if not history:
        raise ReleaseNotFound(f"uninstall: Release not loaded: {name}: release: not found")
    release = history[-1]
    if release.status == Status.UNINSTALLED:
        if not opts.keep_history:
            await _purge(ctx, history)
            return UninstallResult(release)
        raise FailedPrecondition(f'the release named "{name}" is already deleted')
    release.lock_holder = ctx.holder
    release.set_status(Status.UNINSTALLING, DESCRIPTION_UNINSTALLING)
    if release.info is not None:
        release.info.deleted = ctx.clock()
    await save(ctx, release)
    await run_event(ctx, release, "pre-delete", opts.deploy)
    kept = await delete_release_objects(ctx, release, opts.deploy)
    await run_event(ctx, release, "post-delete", opts.deploy)
    await mark(ctx, release, Status.UNINSTALLED, opts.description or DESCRIPTION_DONE)
    if not opts.keep_history:
        await _purge(ctx, await ctx.storage.history(name))
        return UninstallResult(release, kept)
    for earlier in history[:-1]:
        if earlier.status == Status.DEPLOYED:
            await supersede(ctx, earlier)
    return UninstallResult(release, kept)


async def delete_release_objects(ctx: ActionContext, release: Release, deploy: DeployOptions) -> list[str]:
    """Deletes the manifest's objects (waiting until they are gone when asked to); returns
    the kept ones as `[Kind] name`."""
    objects = parse_manifest(release.manifest)
    kept = [f"[{o.kind}] {o.name}" for o in objects if has_keep_policy(o.annotations_in_manifest)]
    # Helm drops an object with any other policy value from both lists: neither deleted nor reported.
    doomed = [o for o in objects if RESOURCE_POLICY_ANNOTATION not in o.annotations_in_manifest]
    placed: list[PlacedObject] = await ctx.applier.place(doomed, ctx.namespace)
    await ctx.applier.delete_all(placed)
    if deploy.wait:
        await wait_deleted(ctx.applier, placed, deploy.timeout_seconds)
    return kept


async def _purge(ctx: ActionContext, history: list[Release]) -> None:
    for revision in history:
        try:
            await ctx.storage.delete(revision.name, revision.version)
        except ReleaseNotFound:
            continue
