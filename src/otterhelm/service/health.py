"""gRPC health checking (grpc.health.v1.Health)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import Any

from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.request import RequestContext
from grpc_health.v1.health_pb2 import HealthCheckRequest, HealthCheckResponse

Ctx = RequestContext[Any, Any]


class HealthService:
    """Reports SERVING for the server as a whole ("") and for each service it hosts.

    The process serves or it does not: there is no partial state to report, so Watch sends
    the status once and keeps the stream open until the client leaves.
    """

    def __init__(self, services: Iterable[str]) -> None:
        self._services = frozenset(("", *services))

    async def check(self, request: HealthCheckRequest, ctx: Ctx) -> HealthCheckResponse:
        if request.service not in self._services:
            raise ConnectError(Code.NOT_FOUND, f"unknown service {request.service!r}")
        return HealthCheckResponse(status=HealthCheckResponse.SERVING)

    async def watch(self, request: HealthCheckRequest, ctx: Ctx) -> AsyncIterator[HealthCheckResponse]:
        known = request.service in self._services
        yield HealthCheckResponse(
            status=HealthCheckResponse.SERVING if known else HealthCheckResponse.SERVICE_UNKNOWN
        )
        await asyncio.Event().wait()
