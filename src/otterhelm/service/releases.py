"""The release RPCs' requests turned into release actions, and stored releases into messages.

Every action runs against one namespace of the request's scope as the caller's identity, so
the cluster's RBAC decides what the caller may do.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from otterscale.application.v1 import application_pb2 as pb

from otterhelm.codec import yaml
from otterhelm.errors import Aborted, AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from otterhelm.kube.client import KubeClient
from otterhelm.kube.discovery import DocumentCache
from otterhelm.kube.identity import Identity
from otterhelm.kube.manifest import parse_manifest
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.dryrun import PendingNamespaceApplier, describe
from otterhelm.release.actions.install import InstallOptions, NameInUse, install
from otterhelm.release.actions.rollback import RollbackOptions, rollback
from otterhelm.release.actions.uninstall import UninstallOptions, uninstall
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.diff import Action, ObjectChange, diff_objects
from otterhelm.release.index import ReleaseIndex
from otterhelm.release.listing import LIST_ALL, ListOptions, ListStates, list_releases
from otterhelm.release.lock import ReleaseBusy
from otterhelm.release.model import Hook, Release, parse_go_time
from otterhelm.release.storage import ReleaseNotFound, ReleaseStorage
from otterhelm.render.engine import TemplateCache
from otterhelm.render.pipeline import MAX_RELEASE_NAME_LENGTH, validate_release_name
from otterhelm.sources import ChartSources, ResolvedChart
from otterhelm.values import strvals
from otterhelm.values.coalesce import coalesce_tables, deep_copy

DEFAULT_NAMESPACE = "default"
# OtterScale labels its own system releases with this; they are not the user's to manage.
SYSTEM_RELEASE_LABEL = "otterscale.com/type"
SET_STRING_PREFIX = "[str]"
# Uninstalled records (kept history) are not releases a user still has.
LISTED_STATES = LIST_ALL & ~ListStates.UNINSTALLED
# helm history's default --max.
DEFAULT_HISTORY_MAX = 256


@dataclass(frozen=True)
class Target:
    """One namespace of one cluster, acted on as one identity; `templates` is the service's
    long-lived template cache (a chart rendered again skips parsing), `documents` the
    cluster's discovery documents kept between requests."""

    client: KubeClient
    identity: Identity | None
    namespace: str
    templates: TemplateCache | None = None
    # The cluster's discovery documents, kept briefly between requests.
    documents: DocumentCache | None = None

    def storage(self) -> ReleaseStorage:
        return ReleaseStorage(self.client, self.namespace, self.identity)

    def context(self) -> ActionContext:
        return ActionContext(self.storage(), documents=self.documents, template_cache=self.templates)

    def not_found(self, name: str) -> NotFound:
        return NotFound(f'release "{name}" not found in namespace "{self.namespace}"')


def namespace_or_default(namespace: str) -> str:
    return namespace or DEFAULT_NAMESPACE


def checked_name(name: str) -> str:
    """Helm's release name rule, reported against the request's `name` field."""
    try:
        validate_release_name(name)
    except InvalidArgument as error:
        error.field = "name"
        raise
    return name


@dataclass
class NameGenerator:
    """Helm's `--generate-name` form (`<chart>-<unix seconds>`), with a random suffix so that
    two requests in the same second do not collide."""

    clock: Callable[[], float] = time.time
    suffix: Callable[[], str] = field(default=lambda: secrets.token_hex(2))

    def name_for(self, chart_name: str) -> str:
        tail = f"-{int(self.clock())}-{self.suffix()}"
        base = re.sub(r"[^a-z0-9-]+", "-", chart_name.lower()).strip("-") or "release"
        base = base[: MAX_RELEASE_NAME_LENGTH - len(tail)].rstrip("-")
        return base + tail


def _first_content_position(text: str) -> tuple[int, int]:
    """Line and column (1-based) of a document's first node, past comments and markers."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith(("#", "%")) or stripped.rstrip() == "---":
            continue
        return number, len(line) - len(stripped) + 1
    return 1, 1


def user_values(values_yaml: str, values_map: Mapping[str, str]) -> dict[str, Any]:
    """`values_yaml` (a mapping, or empty), then each `values_map` entry applied on its own in
    key order with `--set` rules (`[str]` prefix: `--set-string`); later entries win."""
    values: dict[str, Any] = {}
    if values_yaml.strip():
        try:
            loaded = yaml.load(values_yaml)
        except InvalidArgument as error:
            error.field = "values_yaml"
            raise
        if loaded is not None and not isinstance(loaded, dict):
            line, column = _first_content_position(values_yaml)
            kind = "a list" if isinstance(loaded, list) else "a scalar"
            raise InvalidArgument(
                f"values_yaml must be a YAML mapping, got {kind} at line {line}, column {column}",
                field="values_yaml",
            )
        values = loaded or {}
    for key in sorted(values_map):
        entry = values_map[key]
        try:
            if entry.startswith(SET_STRING_PREFIX):
                strvals.parse_into_string(f"{key}={entry[len(SET_STRING_PREFIX) :]}", values)
            else:
                strvals.parse_into(f"{key}={entry}", values)
        except InvalidArgument as error:
            error.field = f"values_map[{key}]"
            raise
    return values


def release_message(release: Release, *, with_manifest: bool = False) -> pb.Application.Release:
    chart = release.chart
    info = release.info
    message = pb.Application.Release(
        namespace=release.namespace,
        name=release.name,
        revision=release.version,
        chart_name=chart.name if chart else "",
        version=pb.Application.Chart.Version(
            chart_version=chart.version if chart else "",
            chart_ref=release.chart_reference,
            application_version=chart.app_version if chart else "",
        ),
        status=str(info.status) if info else "",
        description=info.description if info else "",
        notes=info.notes if info else "",
    )
    updated = parse_go_time(info.last_deployed) if info else None
    if updated is not None:
        message.updated_at.FromDatetime(updated)
    if with_manifest:
        message.manifest = release.manifest
    return message


async def list_latest(client: KubeClient, identity: Identity | None, index: ReleaseIndex) -> list[Release]:
    """The latest revision of every release in every namespace, by name then namespace,
    without OtterScale's system releases. `index` keeps decoded records between calls; the
    caller's own list request still decides what is shown."""
    options = ListOptions(
        all_namespaces=True, states=LISTED_STATES, selector=f"!{SYSTEM_RELEASE_LABEL}", limit=0
    )
    releases = await list_releases(ReleaseStorage(client, "", identity), options, index)
    return sorted(releases, key=lambda r: (r.name, r.namespace))


@dataclass(frozen=True)
class Installed:
    release: Release
    # A dry run into a namespace still to be created: the objects in it ("Kind/namespace/name"),
    # which the API server could not dry-run (see release/actions/dryrun.py).
    unvalidated: tuple[str, ...] = ()


async def create(
    target: Target,
    sources: ChartSources,
    names: NameGenerator,
    request: pb.CreateReleaseRequest,
) -> Installed:
    if request.name:
        checked_name(request.name)
    values = user_values(request.values_yaml, request.values_map)
    resolved = await _resolve(sources, request.chart_ref)
    name = request.name or names.name_for(resolved.chart.metadata.name)
    options = InstallOptions(
        name=name, create_namespace=True, dry_run=request.dry_run, chart_reference=resolved.ref
    )
    ctx = target.context()
    try:
        release = await install(ctx, resolved.chart, values, options)
    except NameInUse as error:
        raise AlreadyExists(f'release "{name}" already exists in namespace "{target.namespace}"') from error
    except ReleaseBusy as error:
        # Another request is installing the same name right now: this one lost the race.
        raise Aborted(str(error)) from error
    # install swaps in this applier for a dry run into a namespace it would create.
    pending = ctx.applier if isinstance(ctx.applier, PendingNamespaceApplier) else None
    unvalidated = tuple(describe(p) for p in pending.unvalidated) if pending else ()
    return Installed(release, unvalidated)


async def update(target: Target, sources: ChartSources, request: pb.UpdateReleaseRequest) -> Release:
    return await _upgrade(
        target.context(),
        target,
        sources,
        request.name,
        request.chart_ref,
        request.values_yaml,
        request.dry_run,
    )


async def _upgrade(
    ctx: ActionContext,
    target: Target,
    sources: ChartSources,
    requested_name: str,
    chart_ref: str,
    values_yaml: str,
    dry_run: bool,
) -> Release:
    """UpdateRelease's fields as an upgrade (DiffRelease asks for the same one as a dry run)."""
    name = checked_name(requested_name)
    values = user_values(values_yaml, {})
    if not chart_ref:
        try:
            last = await ctx.storage.last(name)
        except ReleaseNotFound as error:
            raise target.not_found(name) from error
        chart_ref = last.chart_reference
        if not chart_ref:
            raise FailedPrecondition(
                f'release "{name}" does not record the chart reference it was installed from; give chart_ref'
            )
    resolved = await _resolve(sources, chart_ref)
    options = UpgradeOptions(name=name, dry_run=dry_run, chart_reference=resolved.ref)
    try:
        return await upgrade(ctx, resolved.chart, values, options)
    except ReleaseNotFound as error:
        raise target.not_found(name) from error


async def roll_back(target: Target, request: pb.RollbackReleaseRequest) -> Release:
    name = checked_name(request.name)
    try:
        return await rollback(target.context(), RollbackOptions(name=name, dry_run=request.dry_run))
    except ReleaseNotFound:
        raise
    except NotFound as error:
        # The release exists but has no earlier deployed revision: the request cannot succeed
        # until the release's history changes.
        raise FailedPrecondition(str(error)) from error


async def delete(target: Target, request: pb.DeleteReleaseRequest) -> Release:
    name = checked_name(request.name)
    result = await uninstall(target.context(), name, UninstallOptions(name=name, dry_run=request.dry_run))
    return result.release


async def _resolve(sources: ChartSources, chart_ref: str) -> ResolvedChart:
    if not chart_ref:
        raise InvalidArgument("chart_ref is required", field="chart_ref")
    try:
        return await sources.resolve(chart_ref)
    except InvalidArgument as error:
        error.field = error.field or "chart_ref"
        raise


# --- GetRelease, ListReleaseHistory, DiffRelease ----------------------------------------------


async def stored_revision(target: Target, request: pb.GetReleaseRequest) -> Release:
    """The requested revision, or the latest for revision 0."""
    name = checked_name(request.name)
    if request.revision < 0:
        raise InvalidArgument("revision must be 0 (the latest) or a revision number", field="revision")
    storage = target.storage()
    try:
        if request.revision:
            return await storage.get(name, request.revision)
        return await storage.last(name)
    except ReleaseNotFound as error:
        if request.revision:
            raise NotFound(
                f'release "{name}" has no revision {request.revision} in namespace "{target.namespace}"'
            ) from error
        raise target.not_found(name) from error


def get_response(release: Release, *, computed_values: bool) -> pb.GetReleaseResponse:
    """What `helm get all` shows of a revision, hooks without their manifests."""
    user = deep_copy(release.config or {})
    response = pb.GetReleaseResponse(
        release=release_message(release, with_manifest=True),
        values_yaml=yaml.marshal(user) if user else "",
        hooks=[_hook_message(hook) for hook in release.hooks or []],
    )
    if computed_values:
        defaults = deep_copy((release.chart.values if release.chart else None) or {})
        computed = coalesce_tables(user, defaults)
        response.computed_values_yaml = yaml.marshal(computed) if computed else ""
    first = parse_go_time(release.info.first_deployed) if release.info else None
    if first is not None:
        response.first_deployed_at.FromDatetime(first)
    return response


def _hook_message(hook: Hook) -> pb.GetReleaseResponse.Hook:
    message = pb.GetReleaseResponse.Hook(
        name=hook.name,
        kind=hook.kind,
        path=hook.path,
        events=list(hook.events),
        weight=hook.weight,
        delete_policies=list(hook.delete_policies),
        last_run_phase=hook.last_run.phase,
    )
    started = parse_go_time(hook.last_run.started_at)
    if started is not None:
        message.last_run_started_at.FromDatetime(started)
    completed = parse_go_time(hook.last_run.completed_at)
    if completed is not None:
        message.last_run_completed_at.FromDatetime(completed)
    return message


async def history(target: Target, request: pb.ListReleaseHistoryRequest) -> list[Release]:
    """The newest `max` revisions (helm history's selection), newest first."""
    name = checked_name(request.name)
    if request.max < 0:
        raise InvalidArgument("max must be 0 (the default, 256) or a positive number", field="max")
    revisions = await target.storage().history(name)
    if not revisions:
        raise target.not_found(name)
    limit = request.max or DEFAULT_HISTORY_MAX
    return list(reversed(revisions[-limit:]))


@dataclass(frozen=True)
class ReleaseDiff:
    current_revision: int
    revision: int
    objects: list[ObjectChange]


async def diff(target: Target, sources: ChartSources, request: pb.DiffReleaseRequest) -> ReleaseDiff:
    """The upgrade UpdateRelease would run, rendered and validated as a dry run, against the
    revision that upgrade starts from (the latest deployed one, else the latest)."""
    ctx = target.context()
    proposed = await _upgrade(
        ctx, target, sources, request.name, request.chart_ref, request.values_yaml, dry_run=True
    )
    try:
        current = await ctx.storage.deployed(proposed.name)
    except ReleaseNotFound:
        current = await ctx.storage.last(proposed.name)
    before = await ctx.applier.place(parse_manifest(current.manifest), target.namespace)
    after = await ctx.applier.place(parse_manifest(proposed.manifest), target.namespace)
    changes = diff_objects(
        [p.obj for p in before],
        [p.obj for p in after],
        current_label=f"revision {current.version}",
        proposed_label=f"revision {proposed.version}",
    )
    return ReleaseDiff(current.version, proposed.version, changes)


_ACTIONS = {
    Action.ADDED: pb.DiffReleaseResponse.ObjectChange.ACTION_ADDED,
    Action.REMOVED: pb.DiffReleaseResponse.ObjectChange.ACTION_REMOVED,
    Action.CHANGED: pb.DiffReleaseResponse.ObjectChange.ACTION_CHANGED,
    Action.UNCHANGED: pb.DiffReleaseResponse.ObjectChange.ACTION_UNCHANGED,
}


def diff_response(result: ReleaseDiff) -> pb.DiffReleaseResponse:
    return pb.DiffReleaseResponse(
        current_revision=result.current_revision,
        revision=result.revision,
        objects=[
            pb.DiffReleaseResponse.ObjectChange(
                api_version=change.api_version,
                kind=change.kind,
                namespace=change.namespace,
                name=change.name,
                action=_ACTIONS[change.action],
                diff=change.diff,
                kept=change.kept,
            )
            for change in result.objects
        ],
    )
