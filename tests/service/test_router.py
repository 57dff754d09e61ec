"""The router on its own, driven with ASGI messages."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

import pytest

from otterhelm.service.router import ServiceRouter

SERVICE = "demo.v1.Demo"


class Recorder:
    """An ASGI app standing in for a connectrpc application: echoes the body it read."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []

    async def __call__(self, scope: Mapping[str, Any], receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.calls.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


def _drive(
    router: ServiceRouter,
    path: str,
    chunks: list[bytes],
    *,
    content_type: str = "application/json",
    http_version: str = "1.1",
) -> list[Mapping[str, Any]]:
    scope = {
        "type": "http",
        "http_version": http_version,
        "method": "POST",
        "path": path,
        "headers": [(b"content-type", content_type.encode())],
        "extensions": {"http.response.trailers": {}} if http_version == "2" else {},
    }
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    sent: list[Mapping[str, Any]] = []

    async def receive() -> Mapping[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(router(scope, receive, send))
    return sent


@pytest.fixture
def app() -> Recorder:
    return Recorder()


def _router(app: Recorder, max_body_bytes: int = 1024) -> ServiceRouter:
    return ServiceRouter(
        {SERVICE: (app, ["Echo"])}, logger=logging.getLogger("test.router"), max_body_bytes=max_body_bytes
    )


@pytest.mark.parametrize("http_version", ["1.1", "2"])
def test_known_method_reaches_its_app_with_the_whole_body(app: Recorder, http_version: str) -> None:
    sent = _drive(_router(app), f"/{SERVICE}/Echo", [b'{"a":', b" 1}"], http_version=http_version)
    assert app.calls == [b'{"a": 1}']
    assert sent[0]["status"] == 200


def test_unknown_method_over_connect(app: Recorder) -> None:
    sent = _drive(_router(app), f"/{SERVICE}/Other", [b"{}"])
    assert app.calls == []
    assert sent[0]["status"] == 404
    assert json.loads(sent[1]["body"]) == {
        "code": "unimplemented",
        "message": f"unknown method /{SERVICE}/Other",
    }


def test_unknown_method_over_grpc_uses_trailers(app: Recorder) -> None:
    sent = _drive(
        _router(app), "/other.Service/Call", [b""], content_type="application/grpc", http_version="2"
    )
    assert sent[0]["status"] == 200 and sent[0]["trailers"] is True
    assert sent[2]["type"] == "http.response.trailers"
    assert dict(sent[2]["headers"])[b"grpc-status"] == b"12"


def test_unknown_method_over_grpc_web_is_trailers_only(app: Recorder) -> None:
    sent = _drive(_router(app), "/other.Service/Call", [b""], content_type="application/grpc-web+proto")
    headers = dict(sent[0]["headers"])
    assert headers[b"grpc-status"] == b"12"
    assert headers[b"grpc-message"] == b"unknown method /other.Service/Call"


def test_oversized_http1_body_is_resource_exhausted(app: Recorder) -> None:
    sent = _drive(_router(app, max_body_bytes=10), f"/{SERVICE}/Echo", [b"x" * 8, b"x" * 8])
    assert app.calls == []
    assert sent[0]["status"] == 429
    assert json.loads(sent[1]["body"])["code"] == "resource_exhausted"


def test_lifespan_shutdown_runs_hooks(app: Recorder) -> None:
    closed: list[str] = []

    async def hook() -> None:
        closed.append("closed")

    router = ServiceRouter(
        {SERVICE: (app, ["Echo"])}, logger=logging.getLogger("test.router"), on_shutdown=[hook]
    )
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Mapping[str, Any]] = []

    async def receive() -> Mapping[str, Any]:
        return messages.pop(0)

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(router({"type": "lifespan"}, receive, send))
    assert [message["type"] for message in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
    assert closed == ["closed"]
