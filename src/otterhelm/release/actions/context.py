"""Everything an action works with: the cluster, the namespace and the release records."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from otterhelm.chart.model import Chart
from otterhelm.kube.apply import Applier, ReleaseRef
from otterhelm.kube.client import KubeClient
from otterhelm.kube.discovery import Discovery, DocumentCache
from otterhelm.kube.identity import Identity
from otterhelm.release.actions.lookup import ClusterLookup
from otterhelm.release.actions.rendering import RenderRequest, render_chart
from otterhelm.release.lock import DEFAULT_LEASE_SECONDS, ReleaseLease, hold_release
from otterhelm.release.model import now_go_time
from otterhelm.release.storage import ReleaseStorage
from otterhelm.render.capabilities import Capabilities, VersionSet, parse_kube_version
from otterhelm.render.engine import TemplateCache
from otterhelm.render.pipeline import RenderedRelease

if TYPE_CHECKING:
    from otterhelm.template.treecache import TreeCache


@dataclass
class ActionContext:
    """One namespace of one cluster as one identity (the storage's); `clock` gives Go RFC3339Nano times."""

    storage: ReleaseStorage
    clock: Callable[[], str] = now_go_time
    # The lock holder writing records (set while an action holds the release's lease).
    holder: str = ""
    # Discovery documents kept between runs (the commands use a disk cache; None: always ask).
    documents: DocumentCache | None = None
    # Parsed templates kept between runs (the template package's cache), if any.
    tree_cache: TreeCache | None = None
    # Parsed template sets kept in this process (a service's long-lived one), if any: rendering
    # the same chart again then skips parsing.
    template_cache: TemplateCache | None = None
    # How long the release's lease lasts without renewal (a crashed holder's lease expires then).
    lease_seconds: int = DEFAULT_LEASE_SECONDS
    applier: Applier = field(init=False)

    def __post_init__(self) -> None:
        self.applier = Applier(self.storage.client, self.storage.identity, documents=self.documents)

    def hold(self, name: str) -> AbstractAsyncContextManager[ReleaseLease]:
        """The release's lease for one operation (recovering an interrupted earlier one first)."""
        return hold_release(self.storage, name, duration_seconds=self.lease_seconds)

    async def capabilities(self) -> Capabilities:
        return await cluster_capabilities(self.applier.discovery)

    def render(self, chart: Chart, user_values: dict[str, Any], request: RenderRequest) -> RenderedRelease:
        """Renders with `lookup` reading this cluster as this identity."""
        reader = ClusterLookup(self.client.credentials, self.identity)
        try:
            return render_chart(chart, user_values, request, reader, self.tree_cache, self.template_cache)
        finally:
            reader.close()

    @property
    def client(self) -> KubeClient:
        return self.storage.client

    @property
    def identity(self) -> Identity | None:
        return self.storage.identity

    @property
    def namespace(self) -> str:
        return self.storage.namespace

    def ref(self, name: str) -> ReleaseRef:
        return ReleaseRef(name, self.namespace)


async def cluster_capabilities(discovery: Discovery) -> Capabilities:
    """What `.Capabilities` holds when installing: the server's version and every served
    group/version and group/version/Kind (Helm's GetVersionSet), read fresh for every action
    as Helm does (the version, and the roots revalidated: see kube/discovery.py)."""
    version, group_versions = await asyncio.gather(
        discovery.document("/version", fresh=True), discovery.group_versions()
    )
    kinds = await asyncio.gather(*(discovery.served_kinds(gv) for gv in group_versions))
    versions = VersionSet(
        [
            *group_versions,
            *(f"{gv}/{kind}" for gv, each in zip(group_versions, kinds, strict=True) for kind in each),
        ]
    )
    return Capabilities(kube_version=parse_kube_version(str(version["gitVersion"])), api_versions=versions)


async def settle(work: asyncio.Future[Any]) -> None:
    """Lets background work finish when the action ended without using it (its thread cannot
    be cancelled); a failure it had is dropped, the action's own outcome stands."""
    await asyncio.wait([work])
    if not work.cancelled():
        work.exception()
