"""Everything an action works with: the cluster, the namespace and the release records."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from otterhelm.chart.model import Chart
from otterhelm.kube.apply import Applier, ReleaseRef
from otterhelm.kube.client import KubeClient
from otterhelm.kube.errors import KubeNotFound
from otterhelm.kube.identity import Identity
from otterhelm.release.actions.lookup import ClusterLookup
from otterhelm.release.actions.rendering import RenderRequest, render_chart
from otterhelm.release.model import now_go_time
from otterhelm.release.storage import ReleaseStorage
from otterhelm.render.capabilities import Capabilities, VersionSet, parse_kube_version
from otterhelm.render.pipeline import RenderedRelease


@dataclass
class ActionContext:
    """One namespace of one cluster as one identity (the storage's); `clock` gives Go RFC3339Nano times."""

    storage: ReleaseStorage
    clock: Callable[[], str] = now_go_time
    # The lock holder writing records (set while an action holds the release's lease).
    holder: str = ""
    applier: Applier = field(init=False)

    def __post_init__(self) -> None:
        self.applier = Applier(self.storage.client, self.storage.identity)

    def render(self, chart: Chart, user_values: dict[str, Any], request: RenderRequest) -> RenderedRelease:
        """Renders with `lookup` reading this cluster as this identity."""
        reader = ClusterLookup(self.client.credentials, self.identity)
        try:
            return render_chart(chart, user_values, request, reader)
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


async def cluster_capabilities(client: KubeClient, identity: Identity | None) -> Capabilities:
    """What `.Capabilities` holds when installing: the server's version and every served
    group/version and group/version/Kind (Helm's GetVersionSet)."""
    version = await client.request("GET", "/version", identity=identity)
    core = await client.request("GET", "/api", identity=identity)
    groups = await client.request("GET", "/apis", identity=identity)
    group_versions: list[str] = [str(v) for v in core.get("versions") or []]
    for group in groups.get("groups") or []:
        group_versions.extend(str(v.get("groupVersion")) for v in group.get("versions") or [])

    async def kinds_of(group_version: str) -> list[str]:
        path = f"/api/{group_version}" if "/" not in group_version else f"/apis/{group_version}"
        try:
            listing: dict[str, Any] = await client.request("GET", path, identity=identity)
        except KubeNotFound:
            return []
        return [
            f"{group_version}/{r.get('kind')}"
            for r in listing.get("resources") or []
            if "/" not in str(r.get("name", ""))
        ]

    kinds = await asyncio.gather(*(kinds_of(gv) for gv in group_versions))
    versions = VersionSet([*group_versions, *(k for each in kinds for k in each)])
    return Capabilities(kube_version=parse_kube_version(str(version["gitVersion"])), api_versions=versions)
