"""The catalog RPCs of the assembled ASGI application, called in process (no socket, no
cluster): a server built without chart sources, and the closing of the sources it was given."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping
from typing import Any

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1.application_connect import ApplicationServiceClient
from pyqwest import Client
from pyqwest.testing import ASGITransport

from otterhelm.kube import Identity
from otterhelm.service.app import build_app
from otterhelm.service.auth import Authenticator
from otterhelm.service.logs import json_logger
from otterhelm.service.router import ServiceRouter
from otterhelm.service.scopes import ScopeRegistry
from otterhelm.sources import ChartSources, SourcesConfig, TLSOptions

TOKENS = {"admin": Identity("catalog-admin")}
HEADERS = {"authorization": "Bearer admin"}


def _app(sources: ChartSources | None = None) -> ServiceRouter:
    logger = json_logger(f"otterhelm.test.catalog.{id(object())}", stream=io.StringIO())
    return build_app(ScopeRegistry({}, ""), Authenticator(TOKENS), logger, sources)


async def _call(app: ServiceRouter, method: str, request: Any) -> Any:
    async with ASGITransport(app) as transport:  # type: ignore[arg-type]
        client = ApplicationServiceClient("http://otterhelm.test", http_client=Client(transport))
        return await getattr(client, method)(request, headers=HEADERS)


def _code(app: ServiceRouter, method: str, request: Any) -> tuple[Code, str]:
    with pytest.raises(ConnectError) as caught:
        asyncio.run(_call(app, method, request))
    return caught.value.code, caught.value.message


def test_without_sources_the_catalog_is_empty_and_uploads_have_nowhere_to_go() -> None:
    app = _app()
    listed = asyncio.run(_call(app, "list_charts", pb.ListChartsRequest()))
    assert list(listed.charts) == []
    assert _code(app, "get_chart", pb.GetChartRequest(name="web")) == (
        Code.NOT_FOUND,
        "chart 'web' not found in the configured repositories",
    )
    assert _code(app, "get_chart_metadata", pb.GetChartMetadataRequest(chart_ref="main/web")) == (
        Code.NOT_FOUND,
        "chart repository 'main' is not configured",
    )
    code, message = _code(app, "upload_chart", pb.UploadChartRequest(chart_content=b"\x1f\x8b"))
    assert code == Code.FAILED_PRECONDITION
    assert "sources.uploadRegistry" in message
    # The default address policy: loopback is refused before anything is sent.
    code, message = _code(
        app, "get_chart_metadata", pb.GetChartMetadataRequest(chart_ref="http://127.0.0.1:9/web-1.0.0.tgz")
    )
    assert code == Code.PERMISSION_DENIED
    assert "a loopback address is not allowed" in message


async def _lifespan_shutdown(app: ServiceRouter) -> None:
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive() -> Mapping[str, Any]:
        return next(messages)

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message["type"])

    await app({"type": "lifespan"}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_the_sources_given_are_closed_on_shutdown() -> None:
    sources = ChartSources(SourcesConfig())
    app = _app(sources)
    http_client = sources._http(TLSOptions())  # the client a download opens
    asyncio.run(_lifespan_shutdown(app))
    assert http_client.is_closed
