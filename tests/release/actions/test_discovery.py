"""Discovery: the aggregated roots against the real API server, and the legacy documents for
servers that do not serve aggregated discovery."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.kube.credentials import ClusterCredentials
from otterhelm.kube.discovery import Discovery, group_versions_of
from otterhelm.kube.resources import Resource
from otterhelm.release.actions.discoverycache import MemoryDocumentCache


def test_aggregated_roots_list_what_the_legacy_documents_list(kubeconfig: Path) -> None:
    """The same server described both ways gives the same group/versions, resources and
    served kinds (subresource kinds included, as client-go's conversion has them)."""

    async def body() -> None:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            discovery = Discovery(client, None)
            versions = await discovery.group_versions()
            core = await client.request("GET", "/api", identity=None)
            groups = await client.request("GET", "/apis", identity=None)
            legacy = list(core["versions"])
            for group in groups["groups"]:
                legacy.extend(v["groupVersion"] for v in group["versions"])
            assert sorted(versions) == sorted(legacy)
            for gv in versions:
                path = f"/api/{gv}" if "/" not in gv else f"/apis/{gv}"
                document = await client.request("GET", path, identity=None)
                kinds = {r["kind"] for r in document["resources"]}
                assert set(await discovery.served_kinds(gv)) == kinds, gv
                top = {r["kind"]: r for r in document["resources"] if "/" not in r["name"]}
                resources = await discovery.kinds(gv)
                assert {k: (r.plural, r.namespaced) for k, r in resources.items()} == {
                    k: (r["name"], r["namespaced"]) for k, r in top.items()
                }, gv
        finally:
            await client.aclose()

    asyncio.run(body())


def test_a_kept_root_is_revalidated_and_reused_when_unchanged(kubeconfig: Path) -> None:
    async def body() -> list[int]:
        statuses: list[int] = []
        credentials = load_kubeconfig(kubeconfig)

        class Recording(httpx.AsyncHTTPTransport):
            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                response = await super().handle_async_request(request)
                if request.url.path in ("/api", "/apis"):
                    statuses.append(response.status_code)
                return response

        client = KubeClient(credentials, transport=Recording(verify=credentials.ssl_context()))
        documents = MemoryDocumentCache()
        try:
            first = await Discovery(client, None, documents).group_versions()
            second = await Discovery(client, None, documents).group_versions()
            assert first == second and "apps/v1" in first
        finally:
            await client.aclose()
        return statuses

    assert asyncio.run(body()) == [200, 200, 304, 304]


def test_stale_versions_are_left_out_and_subresource_kinds_are_served() -> None:
    root = {
        "kind": "APIGroupDiscoveryList",
        "items": [
            {
                "metadata": {"name": "apps"},
                "versions": [
                    {
                        "version": "v1",
                        "freshness": "Current",
                        "resources": [
                            {
                                "resource": "deployments",
                                "responseKind": {"group": "", "version": "", "kind": "Deployment"},
                                "scope": "Namespaced",
                                "subresources": [
                                    {"subresource": "scale", "responseKind": {"kind": "Scale"}},
                                    {"subresource": "status", "responseKind": {"kind": "Deployment"}},
                                ],
                            }
                        ],
                    }
                ],
            },
            {
                "metadata": {"name": "metrics.example.com"},
                "versions": [{"version": "v1beta1", "freshness": "Stale", "resources": []}],
            },
        ],
    }
    found = group_versions_of(root)
    assert list(found) == ["apps/v1"]
    assert found["apps/v1"].served_kinds == ["Deployment", "Scale"]
    assert found["apps/v1"].resources == {"Deployment": Resource("apps", "v1", "deployments", True)}


LEGACY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"]},
    "/apis": {
        "kind": "APIGroupList",
        "groups": [{"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}]}],
    },
    "/api/v1": {
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            {"name": "pods", "kind": "Pod", "namespaced": True},
            {"name": "pods/eviction", "kind": "Eviction", "namespaced": True},
        ],
    },
    "/apis/apps/v1": {
        "kind": "APIResourceList",
        "groupVersion": "apps/v1",
        "resources": [{"name": "deployments", "kind": "Deployment", "namespaced": True}],
    },
}


def test_servers_without_aggregated_discovery_are_read_through_the_legacy_documents() -> None:
    """An API server older than aggregated discovery answers the roots with the legacy
    documents whatever the Accept header asks; no such server can be built here, so this one
    is played by a transport that answers from LEGACY."""
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        document: Any = LEGACY.get(request.url.path)
        if document is None:
            return httpx.Response(404, json={"kind": "Status", "code": 404, "reason": "NotFound"})
        return httpx.Response(200, content=json.dumps(document), headers={"content-type": "application/json"})

    async def body() -> None:
        credentials = ClusterCredentials(server="https://127.0.0.1:1")
        client = KubeClient(credentials, transport=httpx.MockTransport(answer))
        try:
            discovery = Discovery(client, None)
            assert await discovery.group_versions() == ["v1", "apps/v1"]
            assert await discovery.served_kinds("v1") == ["Pod", "Eviction"]
            assert (await discovery.resource_for("apps/v1", "Deployment")).plural == "deployments"
        finally:
            await client.aclose()

    asyncio.run(body())
    assert asked[:2] == ["/api", "/apis"] and "/api/v1" in asked and "/apis/apps/v1" in asked
