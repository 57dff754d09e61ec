"""One ASGI application in front of several Connect service applications.

Each generated connectrpc application serves one service path. The router sends a call to
the application that owns its service, answers a method nobody serves with `unimplemented`
in the caller's own protocol, and runs shutdown hooks on ASGI lifespan shutdown.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

GRPC_UNIMPLEMENTED = 12


class ServiceRouter:
    def __init__(
        self,
        services: Mapping[str, tuple[ASGIApp, Iterable[str]]],
        *,
        logger: logging.Logger,
        on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
    ) -> None:
        """`services` maps a service's full name to its application and method names."""
        self._apps = {name: app for name, (app, _) in services.items()}
        self._methods = {f"/{name}/{method}" for name, (_, methods) in services.items() for method in methods}
        self._logger = logger
        self._on_shutdown = list(on_shutdown)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        service = path.lstrip("/").partition("/")[0]
        app = self._apps.get(service)
        if app is None or path not in self._methods:
            await self._unknown_method(scope, receive, send)
            return
        if scope.get("http_version", "1.1") in ("1.0", "1.1"):
            # Authentication answers before the body is read. Over HTTP/1.1 an answer to a
            # request whose body is still arriving makes the server close the connection,
            # and the client fails with a broken pipe instead of reading the error, so the
            # body is read first. (HTTP/2 streams do not have this problem.)
            buffered = await _read_body(receive)
            if buffered is None:
                return
            receive = _replay(buffered, receive)
        await app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for hook in self._on_shutdown:
                    await hook()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _unknown_method(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Drain the body so the client is not left writing to a closed stream.
        if await _read_body(receive) is None:
            return
        path: str = scope["path"]
        text = f"unknown method {path}"
        content_type = _header(scope, b"content-type")
        self._logger.info(
            "call", extra={"fields": {"method": path.lstrip("/"), "code": "unimplemented", "duration_ms": 0}}
        )
        if content_type.startswith("application/grpc"):
            status = [
                (b"grpc-status", str(GRPC_UNIMPLEMENTED).encode()),
                (b"grpc-message", quote(text, safe=" ").encode()),
            ]
            headers = [(b"content-type", content_type.encode())]
            if content_type.startswith("application/grpc-web") or "http.response.trailers" not in scope.get(
                "extensions", {}
            ):
                # gRPC-Web reads a status sent in the headers (a trailers-only response).
                await send({"type": "http.response.start", "status": 200, "headers": headers + status})
                await send({"type": "http.response.body", "body": b""})
                return
            # gRPC over HTTP/2: the status goes in real trailers.
            await send({"type": "http.response.start", "status": 200, "headers": headers, "trailers": True})
            await send({"type": "http.response.body", "body": b""})
            await send({"type": "http.response.trailers", "headers": status, "more_trailers": False})
            return
        # Connect: HTTP 404 (which Connect clients read as unimplemented) with the error body.
        body = json.dumps({"code": "unimplemented", "message": text}).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 404, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when the client went away."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(bytes(message.get("body", b"")))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Mapping[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""
