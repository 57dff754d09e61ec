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
from otterhelm.kube.identity import Identity
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, NameInUse, install
from otterhelm.release.actions.rollback import RollbackOptions, rollback
from otterhelm.release.actions.uninstall import UninstallOptions, uninstall
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.listing import LIST_ALL, ListOptions, ListStates, list_releases
from otterhelm.release.lock import ReleaseBusy
from otterhelm.release.model import Release, parse_go_time
from otterhelm.release.storage import ReleaseNotFound, ReleaseStorage
from otterhelm.render.pipeline import MAX_RELEASE_NAME_LENGTH, validate_release_name
from otterhelm.sources import ChartSources, ResolvedChart
from otterhelm.values import strvals

DEFAULT_NAMESPACE = "default"
# OtterScale labels its own system releases with this; they are not the user's to manage.
SYSTEM_RELEASE_LABEL = "otterscale.com/type"
SET_STRING_PREFIX = "[str]"
# Uninstalled records (kept history) are not releases a user still has.
LISTED_STATES = LIST_ALL & ~ListStates.UNINSTALLED


@dataclass(frozen=True)
class Target:
    """One namespace of one cluster, acted on as one identity."""

    client: KubeClient
    identity: Identity | None
    namespace: str

    def context(self) -> ActionContext:
        return ActionContext(ReleaseStorage(self.client, self.namespace, self.identity))


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


async def list_latest(client: KubeClient, identity: Identity | None) -> list[Release]:
    """The latest revision of every release in every namespace, by name then namespace,
    without OtterScale's system releases."""
    options = ListOptions(
        all_namespaces=True, states=LISTED_STATES, selector=f"!{SYSTEM_RELEASE_LABEL}", limit=0
    )
    releases = await list_releases(ReleaseStorage(client, "", identity), options)
    return sorted(releases, key=lambda r: (r.name, r.namespace))


async def create(
    target: Target,
    sources: ChartSources,
    names: NameGenerator,
    request: pb.CreateReleaseRequest,
) -> Release:
    if request.name:
        checked_name(request.name)
    values = user_values(request.values_yaml, request.values_map)
    resolved = await _resolve(sources, request.chart_ref)
    name = request.name or names.name_for(resolved.chart.metadata.name)
    options = InstallOptions(
        name=name, create_namespace=True, dry_run=request.dry_run, chart_reference=resolved.ref
    )
    try:
        return await install(target.context(), resolved.chart, values, options)
    except NameInUse as error:
        raise AlreadyExists(f'release "{name}" already exists in namespace "{target.namespace}"') from error
    except ReleaseBusy as error:
        # Another request is installing the same name right now: this one lost the race.
        raise Aborted(str(error)) from error


async def update(target: Target, sources: ChartSources, request: pb.UpdateReleaseRequest) -> Release:
    name = checked_name(request.name)
    values = user_values(request.values_yaml, {})
    ctx = target.context()
    chart_ref = request.chart_ref
    if not chart_ref:
        try:
            last = await ctx.storage.last(name)
        except ReleaseNotFound as error:
            raise NotFound(f'release "{name}" not found in namespace "{target.namespace}"') from error
        chart_ref = last.chart_reference
        if not chart_ref:
            raise FailedPrecondition(
                f'release "{name}" does not record the chart reference it was installed from; give chart_ref'
            )
    resolved = await _resolve(sources, chart_ref)
    options = UpgradeOptions(name=name, dry_run=request.dry_run, chart_reference=resolved.ref)
    try:
        return await upgrade(ctx, resolved.chart, values, options)
    except ReleaseNotFound as error:
        raise NotFound(f'release "{name}" not found in namespace "{target.namespace}"') from error


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
