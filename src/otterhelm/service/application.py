"""The ApplicationService handlers.

Cluster listings are answered from the scope's API server, acting as the caller so that
the cluster's RBAC decides. RPCs that later work provides answer `unimplemented`, naming
themselves; none pretends to work.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any, NoReturn

from connectrpc.request import RequestContext
from google.protobuf.empty_pb2 import Empty
from otterscale.application.v1 import application_pb2 as pb

from otterhelm.errors import InvalidArgument, Unimplemented
from otterhelm.kube.resources import CONFIG_MAPS, NAMESPACES, SECRETS, STORAGE_CLASSES
from otterhelm.release.actions.discoverycache import MemoryDocumentCache
from otterhelm.release.index import ReleaseIndex
from otterhelm.render.engine import TemplateCache
from otterhelm.service import catalog as catalog_messages
from otterhelm.service import convert, releases
from otterhelm.service.auth import Authenticator
from otterhelm.service.scopes import ScopeRegistry
from otterhelm.sources import Catalog, ChartSources

Ctx = RequestContext[Any, Any]
_ReleaseRequest = (
    pb.CreateReleaseRequest
    | pb.UpdateReleaseRequest
    | pb.DeleteReleaseRequest
    | pb.RollbackReleaseRequest
    | pb.GetReleaseRequest
    | pb.ListReleaseHistoryRequest
    | pb.DiffReleaseRequest
)


def _unimplemented(rpc: str) -> NoReturn:
    raise Unimplemented(f"{rpc} is not implemented yet")


@contextlib.contextmanager
def _blaming(field: str) -> Iterator[None]:
    """Invalid arguments raised inside are about `field`, the request's only input, whatever
    the layer below called it (a loader knows nothing of request fields)."""
    try:
        yield
    except InvalidArgument as error:
        error.field = field
        raise


# How long kept discovery documents live. Every action still revalidates the aggregated
# roots (kube/discovery.py), so .Capabilities is as fresh as Helm's; the lifetime only bounds
# how stale a legacy server's per-group/version documents may be.
DISCOVERY_TTL_SECONDS = 30.0

# Distinct charts (by template text) the service keeps parsed, for every request to share; a
# chart of a few hundred templates is a few MB parsed.
TEMPLATE_CACHE_CAPACITY = 64


class ApplicationService:
    """Implements otterscale.application.v1.ApplicationService (see application_connect)."""

    def __init__(
        self,
        scopes: ScopeRegistry,
        authenticator: Authenticator,
        sources: ChartSources,
        templates: TemplateCache | None = None,
    ) -> None:
        """`sources` is long-lived (its repository indexes stay cached between calls) and
        resolves every `chart_ref`; its owner closes it. `templates` keeps parsed charts for
        every release action of every request (a new shared one when omitted)."""
        self._scopes = scopes
        self._auth = authenticator
        self._sources = sources
        self._catalog = Catalog(sources)
        self._names = releases.NameGenerator()
        self._templates = templates if templates is not None else TemplateCache(TEMPLATE_CACHE_CAPACITY)
        self._release_index = ReleaseIndex()
        self._documents: dict[str, MemoryDocumentCache] = {}

    # Cluster listings.

    async def list_namespaces(self, request: pb.ListNamespacesRequest, ctx: Ctx) -> pb.ListNamespacesResponse:
        items = await self._scopes.client(request.scope).list(
            NAMESPACES, identity=self._auth.identify(ctx.request_headers)
        )
        return pb.ListNamespacesResponse(namespaces=[convert.namespace_message(item) for item in items])

    async def list_storage_classes(
        self, request: pb.ListStorageClassesRequest, ctx: Ctx
    ) -> pb.ListStorageClassesResponse:
        items = await self._scopes.client(request.scope).list(
            STORAGE_CLASSES, identity=self._auth.identify(ctx.request_headers)
        )
        return pb.ListStorageClassesResponse(
            storage_classes=[convert.storage_class_message(item) for item in items]
        )

    async def list_config_maps(
        self, request: pb.ListConfigMapsRequest, ctx: Ctx
    ) -> pb.ListConfigMapsResponse:
        """An empty namespace lists every namespace the caller may read."""
        items = await self._scopes.client(request.scope).list(
            CONFIG_MAPS, identity=self._auth.identify(ctx.request_headers), namespace=request.namespace
        )
        return pb.ListConfigMapsResponse(config_maps=[convert.config_map_message(item) for item in items])

    async def list_secrets(self, request: pb.ListSecretsRequest, ctx: Ctx) -> pb.ListSecretsResponse:
        """An empty namespace lists every namespace the caller may read."""
        items = await self._scopes.client(request.scope).list(
            SECRETS, identity=self._auth.identify(ctx.request_headers), namespace=request.namespace
        )
        return pb.ListSecretsResponse(secrets=[convert.secret_message(item) for item in items])

    # Provided by later work.

    async def list_applications(
        self, request: pb.ListApplicationsRequest, ctx: Ctx
    ) -> pb.ListApplicationsResponse:
        _unimplemented("ListApplications")

    async def get_application(self, request: pb.GetApplicationRequest, ctx: Ctx) -> pb.Application:
        _unimplemented("GetApplication")

    async def restart_application(self, request: pb.RestartApplicationRequest, ctx: Ctx) -> Empty:
        _unimplemented("RestartApplication")

    async def scale_application(self, request: pb.ScaleApplicationRequest, ctx: Ctx) -> Empty:
        _unimplemented("ScaleApplication")

    async def delete_application_pod(self, request: pb.DeleteApplicationPodRequest, ctx: Ctx) -> Empty:
        _unimplemented("DeleteApplicationPod")

    async def watch_logs(self, request: pb.WatchLogsRequest, ctx: Ctx) -> AsyncIterator[pb.WatchLogsResponse]:
        _unimplemented("WatchLogs")
        yield pb.WatchLogsResponse()  # makes this an async generator, as streams are

    async def execute_tty(
        self, request: pb.ExecuteTTYRequest, ctx: Ctx
    ) -> AsyncIterator[pb.ExecuteTTYResponse]:
        _unimplemented("ExecuteTTY")
        yield pb.ExecuteTTYResponse()  # makes this an async generator, as streams are

    async def write_tty(self, request: pb.WriteTTYRequest, ctx: Ctx) -> Empty:
        _unimplemented("WriteTTY")

    async def list_releases(self, request: pb.ListReleasesRequest, ctx: Ctx) -> pb.ListReleasesResponse:
        """The latest revision of every release, all namespaces, by name then namespace."""
        found = await releases.list_latest(
            self._scopes.client(request.scope),
            self._auth.identify(ctx.request_headers),
            self._release_index,
        )
        return pb.ListReleasesResponse(releases=[releases.release_message(r) for r in found])

    async def create_release(self, request: pb.CreateReleaseRequest, ctx: Ctx) -> pb.Application.Release:
        """A dry run into a namespace still to be created dry-runs the Namespace and what lies
        outside it, and lists the objects inside it in `unvalidated_objects`."""
        installed = await releases.create(self._target(request, ctx), self._sources, self._names, request)
        message = releases.release_message(installed.release, with_manifest=request.dry_run)
        message.unvalidated_objects.extend(installed.unvalidated)
        return message

    async def update_release(self, request: pb.UpdateReleaseRequest, ctx: Ctx) -> pb.Application.Release:
        updated = await releases.update(self._target(request, ctx), self._sources, request)
        return releases.release_message(updated, with_manifest=request.dry_run)

    async def delete_release(self, request: pb.DeleteReleaseRequest, ctx: Ctx) -> Empty:
        await releases.delete(self._target(request, ctx), request)
        return Empty()

    async def rollback_release(self, request: pb.RollbackReleaseRequest, ctx: Ctx) -> Empty:
        await releases.roll_back(self._target(request, ctx), request)
        return Empty()

    async def get_release(self, request: pb.GetReleaseRequest, ctx: Ctx) -> pb.GetReleaseResponse:
        """One revision (0: the latest) with values, manifest, notes and a summary of its hooks."""
        found = await releases.stored_revision(self._target(request, ctx), request)
        return releases.get_response(found, computed_values=request.computed_values)

    async def list_release_history(
        self, request: pb.ListReleaseHistoryRequest, ctx: Ctx
    ) -> pb.ListReleaseHistoryResponse:
        """The newest `max` revisions (default 256), newest first."""
        found = await releases.history(self._target(request, ctx), request)
        return pb.ListReleaseHistoryResponse(releases=[releases.release_message(r) for r in found])

    async def diff_release(self, request: pb.DiffReleaseRequest, ctx: Ctx) -> pb.DiffReleaseResponse:
        """What UpdateRelease with the same fields would change, object by object."""
        result = await releases.diff(self._target(request, ctx), self._sources, request)
        return releases.diff_response(result)

    def _target(self, request: _ReleaseRequest, ctx: Ctx) -> releases.Target:
        return releases.Target(
            self._scopes.client(request.scope),
            self._auth.identify(ctx.request_headers),
            releases.namespace_or_default(request.namespace),
            self._templates,
            self._documents_for(request.scope),
        )

    def _documents_for(self, scope: str) -> MemoryDocumentCache:
        # Per cluster: discovery differs between clusters, not between callers.
        key = scope or self._scopes.default_scope
        found = self._documents.get(key)
        if found is None:
            found = self._documents[key] = MemoryDocumentCache(DISCOVERY_TTL_SECONDS)
        return found

    # The chart catalog: configured chart repositories and OCI namespaces (no scope: the
    # catalog is the service's, not a cluster's).

    async def list_charts(self, request: pb.ListChartsRequest, ctx: Ctx) -> pb.ListChartsResponse:
        """Every chart with its latest version; `versions[0].chart_ref` installs as is."""
        charts = await self._catalog.list_charts()
        return pb.ListChartsResponse(charts=[catalog_messages.chart_message(chart) for chart in charts])

    async def get_chart(self, request: pb.GetChartRequest, ctx: Ctx) -> pb.Application.Chart:
        """`name` is a chart name or `repository/name`; all versions, newest first."""
        if not request.name:
            raise InvalidArgument("name is required", field="name")
        return catalog_messages.chart_message(await self._catalog.get_chart(request.name))

    async def get_chart_metadata(
        self, request: pb.GetChartMetadataRequest, ctx: Ctx
    ) -> pb.Application.Chart.Metadata:
        with _blaming("chart_ref"):
            documents = await self._catalog.documents(request.chart_ref)
        return catalog_messages.metadata_message(documents)

    async def upload_chart(self, request: pb.UploadChartRequest, ctx: Ctx) -> Empty:
        """Validated as Helm loads a chart archive, then pushed to the upload registry as
        `<namespace>/<chart name>:<version>`, where ListCharts finds it."""
        if not request.chart_content:
            raise InvalidArgument("chart_content is empty", field="chart_content")
        with _blaming("chart_content"):
            await self._catalog.upload(request.chart_content)
        return Empty()
