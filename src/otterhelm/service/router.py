"""One ASGI application in front of several Connect service applications.

Each generated connectrpc application serves one service path. The router sends a call to
the application that owns its service, answers a method nobody serves with `unimplemented`
in the caller's own protocol, and runs shutdown hooks on ASGI lifespan shutdown.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Bounds what an HTTP/1.1 request body may hold in memory before the service sees it
# (connectrpc limits each message to 4 MiB on its own).
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    """An error the router answers itself, in Connect's and gRPC's terms."""

    code: str
    grpc_status: int
    http_status: int
    message: str


class BodyTooLarge(Exception):
    pass


# Services whose calls stream requests: their bodies are never buffered.
CLIENT_STREAMING_SERVICES = frozenset(
    {"grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}
)


class ServiceRouter:
    def __init__(
        self,
        services: Mapping[str, tuple[ASGIApp, Iterable[str]]],
        *,
        logger: logging.Logger,
        on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        """`services` maps a service's full name to its application and method names."""
        self._apps = {name: app for name, (app, _) in services.items()}
        self._methods = {f"/{name}/{method}" for name, (_, methods) in services.items() for method in methods}
        self._logger = logger
        self._on_shutdown = list(on_shutdown)
        self._max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        service = path.lstrip("/").partition("/")[0]
        app = self._apps.get(service)
        known = app is not None and path in self._methods
        if service not in CLIENT_STREAMING_SERVICES:
            # Authentication answers before the body is read. Over HTTP/1.1 an answer to a
            # request whose body is still arriving makes the server close the connection,
            # and the client fails with a broken pipe instead of reading the error; over
            # HTTP/2 an unread request stream left some clients (buf curl) waiting forever
            # after the call had completed. Every request of ours is one message, so the
            # body is read first; only bidirectional streams are passed through as they come.
            try:
                buffered = await _read_body(receive, self._max_body_bytes)
            except BodyTooLarge:
                limit = f"request body exceeds {self._max_body_bytes} bytes"
                await self._refuse(scope, send, Refusal("resource_exhausted", 8, 429, limit))
                return
            if buffered is None:
                return
            receive = _replay(buffered, receive)
        if app is None or not known:
            await self._refuse(scope, send, Refusal("unimplemented", 12, 404, f"unknown method {path}"))
            return
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

    async def _refuse(self, scope: Scope, send: Send, refusal: Refusal) -> None:
        path: str = scope["path"]
        self._logger.info(
            "call",
            extra={"fields": {"method": path.lstrip("/"), "code": refusal.code, "message": refusal.message}},
        )
        content_type = _header(scope, b"content-type")
        if content_type.startswith("application/grpc"):
            status = [
                (b"grpc-status", str(refusal.grpc_status).encode()),
                (b"grpc-message", _grpc_percent_encode(refusal.message)),
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
        # Connect: the HTTP status Connect clients map to the code, and the error body.
        body = json.dumps({"code": refusal.code, "message": refusal.message}).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": refusal.http_status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when the client went away."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
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


def _grpc_percent_encode(message: str) -> bytes:
    # gRPC's grpc-message rule: printable ASCII except "%" as is, every other byte as %XX.
    return "".join(
        chr(byte) if 0x20 <= byte <= 0x7E and byte != 0x25 else f"%{byte:02X}" for byte in message.encode()
    ).encode()


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""
