"""`helm status`: a release revision with its live objects (pkg/action/status.go, and
pkg/kube/client.go Get with related pods)."""

from __future__ import annotations

import asyncio
from typing import Any

from otterhelm.kube.apply import PlacedObject
from otterhelm.kube.errors import KubeApiError
from otterhelm.kube.manifest import parse_manifest
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.model import Release

# What kubectl asks for to print a table (k8s client transformRequests): the server's Table,
# with the object inside it.
TABLE_ACCEPT = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,"
    "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)
RELATED_PODS = "v1/Pod(related)"
# Where each workload kind keeps the labels of its pods (getSelectorFromObject).
_POD_SELECTORS = {
    "ReplicaSet": ("spec", "selector", "matchLabels"),
    "Deployment": ("spec", "selector", "matchLabels"),
    "StatefulSet": ("spec", "selector", "matchLabels"),
    "DaemonSet": ("spec", "selector", "matchLabels"),
    "Job": ("spec", "selector", "matchLabels"),
    "ReplicationController": ("spec", "selector"),
}


async def release_status(ctx: ActionContext, name: str, revision: int = 0, *, tables: bool) -> Release:
    """The revision (the latest when 0) without its chart, as `helm status` shows it, with
    `info.resources`: its live objects by "version/Kind" (server-side Tables when `tables`)."""
    release = await (ctx.storage.get(name, revision) if revision else ctx.storage.last(name))
    release.chart = None
    if release.info is not None:
        release.info.resources = await live_resources(ctx, release, tables=tables)
    return release


async def live_resources(ctx: ActionContext, release: Release, *, tables: bool) -> dict[str, list[Any]]:
    """The manifest's objects as the cluster has them now, in manifest order, each workload
    followed by the pods its selector matches (once per distinct selector). Objects that
    cannot be read are left out, as helm leaves them out."""
    placed = await ctx.applier.place(parse_manifest(release.manifest), release.namespace)
    live = await asyncio.gather(*(_read(ctx, p, tables) for p in placed))
    found: dict[str, list[Any]] = {}
    selectors: list[dict[str, str]] = []
    for target, obj in zip(placed, live, strict=True):
        if obj is None:
            continue
        found.setdefault(f"{target.resource.version}/{target.obj.kind}", []).append(obj)
        selector = pod_selector(target.obj.kind, target.obj.body)
        if selector is None or selector in selectors:
            continue
        selectors.append(selector)
        pods = await _related_pods(ctx, target.namespace or release.namespace, selector, tables)
        if pods is not None:
            found.setdefault(RELATED_PODS, []).append(pods)
    return found


def pod_selector(kind: str, body: dict[str, Any]) -> dict[str, str] | None:
    path = _POD_SELECTORS.get(kind)
    if path is None:
        return None
    value: Any = body
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items()}


async def _read(ctx: ActionContext, target: PlacedObject, tables: bool) -> Any | None:
    path = target.resource.object_path(target.name, target.namespace)
    try:
        if tables:
            response = await ctx.client.send(
                "GET", path, identity=ctx.identity, params={"includeObject": "Object"}, accept=TABLE_ACCEPT
            )
            return response.json()
        return await ctx.client.request("GET", path, identity=ctx.identity)
    except KubeApiError:
        return None


async def _related_pods(
    ctx: ActionContext, namespace: str, selector: dict[str, str], tables: bool
) -> Any | None:
    path = f"/api/v1/namespaces/{namespace}/pods"
    params = {"labelSelector": ",".join(f"{k}={v}" for k, v in sorted(selector.items()))}
    try:
        if tables:
            params["includeObject"] = "Object"
            response = await ctx.client.send(
                "GET", path, identity=ctx.identity, params=params, accept=TABLE_ACCEPT
            )
            return response.json()
        pods = await ctx.client.request("GET", path, identity=ctx.identity, params=params)
    except KubeApiError:
        return None
    # As client-go's unstructured lists carry them: each item names its own kind.
    for item in pods.get("items") or []:
        item.setdefault("apiVersion", "v1")
        item.setdefault("kind", "Pod")
    return pods
