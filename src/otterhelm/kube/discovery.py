"""What the API server serves: group/versions, kinds and their REST resources.

Helm invalidates its discovery cache at the start of every action (pkg/action/action.go
getCapabilities), so `.Capabilities` always reflects the server as it is now, CRDs installed
a moment ago by anyone included. Discovery does the same without paying for it: the root
documents are read as aggregated discovery (`/api` and `/apis` with the
apidiscovery.k8s.io/v2 media type, every group/version with its resources in two answers)
and a kept copy is revalidated with its ETag, which the server answers with an empty 304
while nothing changed. Servers without aggregated discovery get the legacy documents, one
per group/version, kept for the cache's lifetime and refreshed on a miss.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Protocol

from otterhelm.errors import InvalidArgument
from otterhelm.kube.client import KubeClient
from otterhelm.kube.errors import KubeNotFound
from otterhelm.kube.identity import Identity
from otterhelm.kube.resources import Resource

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGGREGATED_ACCEPT = f"{AGGREGATED},application/json"
ROOTS = ("/api", "/apis")
# Where a root's aggregated document and its ETag are kept in a DocumentCache.
_KEPT_PREFIX = "aggregated:"


class UnknownKind(InvalidArgument):
    """The API server serves no resource for an object's apiVersion and kind."""


class DocumentCache(Protocol):
    """Keeps discovery documents between actions (kubectl's and helm's disk cache does the same)."""

    def get(self, path: str) -> Any | None: ...

    def put(self, path: str, document: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class GroupVersion:
    """One served group/version: its kinds' resources, and every kind it names (its
    subresources' kinds too: a Deployment's scale subresource serves Scale)."""

    name: str
    resources: dict[str, Resource]
    served_kinds: list[str]


class Discovery:
    """apiVersion/kind → Resource, and the served group/versions and kinds, for one action
    (one instance per action: the roots are read once, fresh, and then reused)."""

    def __init__(
        self, client: KubeClient, identity: Identity | None, documents: DocumentCache | None = None
    ) -> None:
        self._client = client
        self._identity = identity
        self._documents = documents
        # From the aggregated roots, in the server's order; None until read (or after forget).
        self._served: dict[str, GroupVersion] | None = None
        self._aggregated = True
        # Legacy servers: one document per group/version.
        self._legacy: dict[str, GroupVersion] = {}

    async def resource_for(self, api_version: str, kind: str) -> Resource:
        found = (await self._group_version(api_version, fresh=False)).resources.get(kind)
        if found is None:
            found = (await self._group_version(api_version, fresh=True)).resources.get(kind)
        if found is None:
            raise UnknownKind(
                f'resource mapping not found for kind "{kind}" in version "{api_version}": '
                f"ensure CRDs are installed first"
            )
        return found

    async def kinds(self, api_version: str) -> dict[str, Resource]:
        return (await self._group_version(api_version, fresh=False)).resources

    async def served_kinds(self, api_version: str) -> list[str]:
        """Every kind the group/version names: what Helm's GetVersionSet lists."""
        return (await self._group_version(api_version, fresh=False)).served_kinds

    async def group_versions(self) -> list[str]:
        """Every served group/version, core first (ServerGroups order)."""
        served = await self._aggregated_roots(fresh=False)
        if served is not None:
            return list(served)
        core, groups = await asyncio.gather(self.document("/api"), self.document("/apis"))
        found = [str(v) for v in (core or {}).get("versions") or []]
        for group in (groups or {}).get("groups") or []:
            found.extend(str(v.get("groupVersion")) for v in group.get("versions") or [])
        return found

    async def refresh(self) -> None:
        """Reads the roots again (after this action created CRDs, for the render that follows)."""
        self._legacy.clear()
        if await self._aggregated_roots(fresh=True) is None:
            await asyncio.gather(*(self.document(root, fresh=True) for root in ROOTS))

    async def document(self, path: str, *, fresh: bool = False) -> Any:
        """A legacy discovery document (None when the server has no such path)."""
        if not fresh and self._documents is not None:
            cached = self._documents.get(path)
            if cached is not None:
                return cached
        try:
            found = await self._client.request("GET", path, identity=self._identity)
        except KubeNotFound:
            found = {}
        if self._documents is not None:
            self._documents.put(path, found)
        return found

    async def _group_version(self, api_version: str, *, fresh: bool) -> GroupVersion:
        served = await self._aggregated_roots(fresh=fresh)
        if served is not None:
            return served.get(api_version) or GroupVersion(api_version, {}, [])
        if fresh or api_version not in self._legacy:
            self._legacy[api_version] = await self._legacy_group_version(api_version, fresh=fresh)
        return self._legacy[api_version]

    async def _aggregated_roots(self, *, fresh: bool) -> dict[str, GroupVersion] | None:
        """The group/versions of the aggregated roots, read once per action (again when
        `fresh`); None when the server serves only legacy discovery."""
        if not self._aggregated:
            return None
        if self._served is None or fresh:
            roots = await asyncio.gather(*(self._aggregated_root(root) for root in ROOTS))
            if any(root is None for root in roots):
                self._aggregated = False
                return None
            served: dict[str, GroupVersion] = {}
            for root in roots:
                served.update(group_versions_of(root))
            self._served = served
        return self._served

    async def _aggregated_root(self, root: str) -> Any | None:
        """One root as an APIGroupDiscoveryList, revalidating a kept copy by its ETag."""
        key = _KEPT_PREFIX + root
        kept = self._documents.get(key) if self._documents is not None else None
        headers: list[tuple[str, str]] = []
        if isinstance(kept, dict) and kept.get("etag"):
            headers.append(("If-None-Match", str(kept["etag"])))
        response = await self._client.send(
            "GET", root, identity=self._identity, accept=AGGREGATED_ACCEPT, headers=headers
        )
        if response.status_code == 304 and isinstance(kept, dict):
            document = kept.get("document")
        elif response.headers.get("content-type", "").startswith(AGGREGATED):
            document = response.json()
        else:
            return None
        if self._documents is not None:
            self._documents.put(key, {"etag": response.headers.get("etag", ""), "document": document})
        return document

    async def _legacy_group_version(self, api_version: str, *, fresh: bool) -> GroupVersion:
        group, _, version = api_version.rpartition("/")
        path = f"/api/{version}" if group == "" else f"/apis/{group}/{version}"
        document = await self.document(path, fresh=fresh)
        resources: dict[str, Resource] = {}
        served: dict[str, None] = {}
        for entry in (document or {}).get("resources") or []:
            name = str(entry.get("name") or "")
            kind = str(entry.get("kind") or "")
            if kind:
                served[kind] = None
            if name and "/" not in name:  # not a subresource such as pods/status
                resources[kind] = Resource(group, version, name, bool(entry.get("namespaced")))
        return GroupVersion(api_version, resources, list(served))


def group_versions_of(root: Any) -> dict[str, GroupVersion]:
    """The group/versions of an APIGroupDiscoveryList, in its order. Versions the server
    marks Stale (an aggregated API server that does not answer) are left out, as client-go
    leaves them out of ServerGroupsAndResources."""
    found: dict[str, GroupVersion] = {}
    for group in (root or {}).get("items") or []:
        group_name = str((group.get("metadata") or {}).get("name") or "")
        for entry in group.get("versions") or []:
            if entry.get("freshness") == "Stale":
                continue
            version = str(entry.get("version") or "")
            name = f"{group_name}/{version}" if group_name else version
            resources: dict[str, Resource] = {}
            served: dict[str, None] = {}
            for resource in entry.get("resources") or []:
                kind = str((resource.get("responseKind") or {}).get("kind") or "")
                if kind:
                    served[kind] = None
                    plural = str(resource.get("resource") or "")
                    resources[kind] = Resource(
                        group_name, version, plural, resource.get("scope") == "Namespaced"
                    )
                for sub in resource.get("subresources") or []:
                    sub_kind = str((sub.get("responseKind") or {}).get("kind") or "")
                    if sub_kind:
                        served[sub_kind] = None
            found[name] = GroupVersion(name, resources, list(served))
    return found
