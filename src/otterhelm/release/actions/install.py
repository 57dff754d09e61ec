"""Install (pkg/action/install.go RunWithContext, Helm v4.3.1).

Name check, lock, `cannot reuse a name that is still in use`, crds/ first, render, ownership
check (adopting objects the release already owns), then the record goes pending-install →
deployed, or failed with `Release "<name>" failed: <reason>`. Nothing is stored for a
dry run, a render failure or an ownership conflict, as in Helm.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from otterhelm.chart.model import Chart
from otterhelm.errors import FailedPrecondition, OtterhelmError
from otterhelm.kube.apply import OwnershipConflict, PlacedObject
from otterhelm.kube.crdheads import YAML, crd_documents
from otterhelm.kube.errors import KubeAlreadyExists
from otterhelm.kube.resources import NAMESPACES
from otterhelm.release.actions.context import ActionContext, settle
from otterhelm.release.actions.deploy import DeployOptions, PhaseError, deploy, placed_objects
from otterhelm.release.actions.dryrun import (
    PendingNamespaceApplier,
    namespace_body,
    namespace_would_be_created,
)
from otterhelm.release.actions.failures import rewrapped
from otterhelm.release.actions.modtimes import chart_mod_times
from otterhelm.release.actions.records import encode_outcome, mark, new_release
from otterhelm.release.actions.rendering import RenderRequest, render_chart
from otterhelm.release.model import Release, Status, now_go_time
from otterhelm.release.storage import release_from_secret
from otterhelm.render.capabilities import Capabilities
from otterhelm.render.pipeline import RenderedRelease, ensure_installable

if TYPE_CHECKING:
    from otterhelm.template.treecache import TreeCache

DESCRIPTION_PENDING = "Initial install underway"
DESCRIPTION_DONE = "Install complete"
DESCRIPTION_DRY_RUN = "Dry run complete"


class NameInUse(FailedPrecondition):
    def __init__(self) -> None:
        super().__init__("cannot reuse a name that is still in use")


@dataclass(frozen=True, slots=True)
class InstallOptions:
    name: str
    deploy: DeployOptions = field(default_factory=DeployOptions)
    create_namespace: bool = False
    dry_run: bool = False
    skip_crds: bool = False
    replace: bool = False
    take_ownership: bool = False
    rollback_on_failure: bool = False
    description: str = ""
    chart_reference: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    skip_schema_validation: bool = False


async def install(
    ctx: ActionContext, chart: Chart, user_values: dict[str, Any], opts: InstallOptions
) -> Release:
    """Installs `chart` as release `opts.name`; returns the stored (or, for a dry run, would-be) release."""
    ensure_installable(opts.name, chart)
    if opts.create_namespace and not opts.dry_run:
        # Before the lock: the release's Lease and records live in that namespace.
        await _create_namespace(ctx)
    if opts.create_namespace and opts.dry_run and await namespace_would_be_created(ctx):
        ctx.applier = PendingNamespaceApplier(
            ctx.client, ctx.identity, documents=ctx.documents, pending_namespace=ctx.namespace
        )
    early = await _early_render(ctx, chart, user_values, opts)
    try:
        if opts.dry_run:
            records = await ctx.storage.release_secrets(opts.name)
            return await _install_locked(ctx, chart, user_values, opts, early, records)
        async with ctx.hold(opts.name) as lease:
            ctx.holder = lease.holder
            return await _install_locked(ctx, chart, user_values, opts, early, lease.records)
    finally:
        if early is not None:
            await settle(early)


def install_client_only(
    chart: Chart,
    user_values: dict[str, Any],
    opts: InstallOptions,
    namespace: str,
    capabilities: Capabilities,
    *,
    tree_cache: TreeCache | None = None,
    clock: Callable[[], str] = now_go_time,
) -> Release:
    """`helm install --dry-run=client`: the would-be first revision, rendered as `helm
    template` renders (the given capabilities, `lookup` finding nothing) without contacting
    any cluster, so nothing there is read, checked or changed (pkg/action/install.go when it
    does not interact with the server)."""
    ensure_installable(opts.name, chart)
    request = RenderRequest(opts.name, namespace, 1, False, capabilities, opts.skip_schema_validation)
    rendered = render_chart(chart, user_values, request, tree_cache=tree_cache)
    return _pending_record(namespace, clock(), 1, chart, user_values, rendered, opts, DESCRIPTION_DRY_RUN)


def _pending_record(
    namespace: str,
    now: str,
    revision: int,
    chart: Chart,
    user_values: dict[str, Any],
    rendered: RenderedRelease,
    opts: InstallOptions,
    description: str,
) -> Release:
    """The install's revision as it is recorded before anything is deployed."""
    release = new_release(
        namespace,
        now,
        opts.name,
        revision,
        chart,
        user_values,
        rendered,
        status=Status.PENDING_INSTALL,
        description=description,
        mod_times=chart_mod_times(opts.chart_reference) if opts.chart_reference else None,
    )
    release.labels = dict(opts.labels)
    release.chart_reference = opts.chart_reference
    return release


async def _early_render(
    ctx: ActionContext, chart: Chart, user_values: dict[str, Any], opts: InstallOptions
) -> asyncio.Future[RenderedRelease] | None:
    """Starts rendering revision 1 in a worker thread while the lock and history are read.
    Not when crds/ must be installed first (their kinds belong in .Capabilities) or when
    --replace may choose another revision."""
    if opts.replace or (chart.crd_objects() and not opts.skip_crds):
        return None
    request = RenderRequest(
        opts.name, ctx.namespace, 1, False, await ctx.capabilities(), opts.skip_schema_validation
    )
    return asyncio.ensure_future(asyncio.to_thread(ctx.render, chart, user_values, request))


def _available_revision(records: list[dict[str, Any]], opts: InstallOptions) -> int:
    if not records:
        return 1
    last = release_from_secret(records[-1], all_labels=True)
    if opts.replace and last.status in (Status.UNINSTALLED, Status.FAILED):
        return last.version + 1
    raise NameInUse()


async def _install_locked(
    ctx: ActionContext,
    chart: Chart,
    user_values: dict[str, Any],
    opts: InstallOptions,
    early: asyncio.Future[RenderedRelease] | None,
    records: list[dict[str, Any]],
) -> Release:
    """`records`: the release's record Secrets as read under the lock."""
    revision = _available_revision(records, opts)
    if early is not None:
        rendered = await early
    else:
        if not opts.skip_crds and not opts.dry_run:
            await _install_crds(ctx, chart)
        request = RenderRequest(
            opts.name, ctx.namespace, revision, False, await ctx.capabilities(), opts.skip_schema_validation
        )
        rendered = ctx.render(chart, user_values, request)
    release = _pending_record(
        ctx.namespace, ctx.clock(), revision, chart, user_values, rendered, opts, DESCRIPTION_PENDING
    )
    target = await placed_objects(ctx, release.manifest)
    if opts.dry_run:
        await _check_ownership(ctx, target, opts)
        await ctx.applier.apply_all(target, ctx.ref(opts.name), dry_run=True)
        release.set_status(Status.PENDING_INSTALL, DESCRIPTION_DRY_RUN)
        return release
    release.lock_holder = ctx.holder
    # The record is encoded (mostly compression, in a worker thread) while the cluster
    # answers the ownership checks.
    record = asyncio.ensure_future(ctx.storage.encode(release))
    try:
        await _check_ownership(ctx, target, opts)
    except BaseException:
        await settle(record)
        raise
    await ctx.storage.create(release, record=await record)
    description = opts.description or DESCRIPTION_DONE
    outcome = encode_outcome(ctx, release, Status.DEPLOYED, description, no_hooks=opts.deploy.no_hooks)
    try:
        await deploy(ctx, release, target, current=[], event_prefix="install", opts=opts.deploy)
    except (OtterhelmError, PhaseError) as err:
        if outcome is not None:
            await settle(outcome)
        await _fail(ctx, release, err, opts)
    await mark(ctx, release, Status.DEPLOYED, description, None if outcome is None else await outcome)
    return release


async def _check_ownership(ctx: ActionContext, target: list[PlacedObject], opts: InstallOptions) -> None:
    if opts.take_ownership:
        return
    try:
        await ctx.applier.check_ownership(target, ctx.ref(opts.name))
    except OwnershipConflict as err:
        raise OwnershipConflict(f"unable to continue with install: {err}") from err


async def _fail(ctx: ActionContext, release: Release, err: Exception, opts: InstallOptions) -> None:
    cause = err.cause if isinstance(err, PhaseError) else err
    message = str(err)
    await mark(ctx, release, Status.FAILED, f'Release "{release.name}" failed: {message}')
    if opts.rollback_on_failure:
        from otterhelm.release.actions.uninstall import UninstallOptions, uninstall_locked

        with contextlib.suppress(OtterhelmError):
            await uninstall_locked(ctx, release.name, UninstallOptions(name=release.name))
        message = f"release {release.name} failed, and has been uninstalled due to rollback-on-failure being set: {message}"
    raise rewrapped(cause, message) from err


async def _create_namespace(ctx: ActionContext) -> None:
    with contextlib.suppress(KubeAlreadyExists):
        await ctx.client.create(NAMESPACES, namespace_body(ctx.namespace), identity=ctx.identity)


async def _install_crds(ctx: ActionContext, chart: Chart) -> None:
    """crds/ of the chart and its subcharts, created before anything else; existing ones are left alone."""
    documents = []
    for _, file in chart.crd_objects():
        documents.extend(crd_documents(file.data.decode("utf-8", errors="replace")))
    if not documents:
        return
    placed = await ctx.applier.place([d.obj for d in documents], ctx.namespace)
    exist = await asyncio.gather(*(ctx.applier.exists(p) for p in placed))
    created: list[PlacedObject] = []

    async def create(p: PlacedObject, text: str | None) -> None:
        with contextlib.suppress(KubeAlreadyExists):
            if text is None:
                await ctx.client.create(p.resource, p.obj.body, identity=ctx.identity)
            else:
                # The document as written; the answer is the whole object, whose group and
                # versions the wait below reads.
                answer = await ctx.client.request(
                    "POST",
                    p.resource.collection_path(p.namespace),
                    identity=ctx.identity,
                    body=text.encode(),
                    content_type=YAML,
                )
                p.obj.body.update(answer or {})
            created.append(p)

    await asyncio.gather(
        *(create(p, d.text) for p, d, found in zip(placed, documents, exist, strict=True) if not found)
    )
    # Only the CRDs created now can still be on their way to being served (install.go
    # installCRDs waits for the ones it created).
    await ctx.applier.wait_crds_established(created)
