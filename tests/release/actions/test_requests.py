"""What install and upgrade ask the API server: nothing beyond what correctness needs, over
one HTTP/2 connection (the real API server, every request recorded on its way)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from otterhelm.chart.loader import load
from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.discoverycache import MemoryDocumentCache
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.model import Status
from otterhelm.release.storage import ReleaseStorage
from otterhelm.render.engine import TemplateCache

from .charts import write_demo_chart


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes every request to the real transport and notes (method, path, HTTP version, status)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        version = response.extensions.get("http_version", b"").decode()
        self.seen.append((request.method, request.url.path, version, response.status_code))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# Read for every action, as Helm reads them (kept roots revalidated by ETag: 304s).
DISCOVERY_ROOTS = ("/version", "/api", "/apis")


def _kinds(seen: list[tuple[str, str, str, int]]) -> list[tuple[str, str]]:
    """Each request as (method, what it is about), in order, object names left out."""
    out = []
    for method, path, _, _ in seen:
        if path in DISCOVERY_ROOTS:
            out.append((method, "discovery"))
        elif "/leases" in path:
            out.append((method, "lease"))
        elif "/secrets" in path:
            out.append((method, "record"))
        else:
            out.append((method, "object"))
    return out


def test_install_and_upgrade_make_only_the_requests_they_need(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)
    credentials = load_kubeconfig(kubeconfig)
    transport = RecordingTransport(httpx.AsyncHTTPTransport(verify=credentials.ssl_context(), http2=True))

    async def body() -> tuple[list[tuple[str, str, str, int]], list[tuple[str, str, str, int]]]:
        client = KubeClient(credentials, transport=transport)
        documents, templates = MemoryDocumentCache(), TemplateCache()

        def context() -> ActionContext:
            return ActionContext(
                ReleaseStorage(client, namespace), documents=documents, template_cache=templates
            )

        try:
            # Warms the discovery documents, as a running service has them.
            await install(context(), load(str(chart_dir)), {}, InstallOptions(name="first"))
            transport.seen.clear()
            installed = await install(context(), load(str(chart_dir)), {}, InstallOptions(name="demo"))
            assert installed.status == Status.DEPLOYED
            during_install = list(transport.seen)
            transport.seen.clear()
            upgraded = await upgrade(
                context(), load(str(chart_dir)), {"greeting": "yo"}, UpgradeOptions(name="demo")
            )
            assert upgraded.status == Status.DEPLOYED and upgraded.version == 2
            during_upgrade = list(transport.seen)
            stored = await context().storage.history("demo")
            assert [(r.version, r.status) for r in stored] == [(1, Status.SUPERSEDED), (2, Status.DEPLOYED)]
            return during_install, during_upgrade
        finally:
            await client.aclose()

    during_install, during_upgrade = asyncio.run(body())
    objects = 2  # the demo chart's ConfigMap and Service
    assert _kinds(during_install) == [
        *[("GET", "discovery")] * len(DISCOVERY_ROOTS),  # .Capabilities, fresh as Helm's
        ("POST", "lease"),  # a free release's lease: one create, no read first
        ("GET", "record"),  # the release's records, read once under the lease
        *[("GET", "object")] * objects,  # ownership checks
        ("POST", "record"),  # pending-install
        *[("PATCH", "object")] * objects,  # server-side apply
        ("PUT", "record"),  # deployed
        ("DELETE", "lease"),
    ]
    assert _kinds(during_upgrade) == [
        ("GET", "record"),  # read before the lease, to render meanwhile
        *[("GET", "discovery")] * len(DISCOVERY_ROOTS),
        ("POST", "lease"),
        ("GET", "record"),  # under the lease: unchanged since? (also what the history limit counts)
        ("POST", "record"),  # pending-upgrade
        *[("PATCH", "object")] * objects,
        ("PUT", "record"),  # superseded and deployed, written together
        ("PUT", "record"),
        ("DELETE", "lease"),
    ]
    assert {version for _, _, version, _ in during_install + during_upgrade} == {"HTTP/2"}
    # The kept aggregated roots were still current: the server answered with empty 304s.
    assert [status for _, path, _, status in during_install if path in ("/api", "/apis")] == [304, 304]
