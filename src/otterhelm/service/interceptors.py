"""Per-call concerns that run before a request body is read: request ids, logs, error
mapping and authentication (connectrpc runs leading metadata interceptors first)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectrpc.request import RequestContext

from otterhelm.service.auth import Authenticator
from otterhelm.service.errors import to_connect_error

REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class CallStart:
    request_id: str
    started: float


class CallObserver:
    """Gives every call a request id, maps its failure to a Connect error, and logs one line.

    Put it first: its `on_end` runs last, so it sees (and maps) every other failure,
    including the authenticator's. Bodies are never logged.
    """

    def __init__(
        self,
        logger: logging.Logger,
        *,
        success_level: int = logging.INFO,
        clock: Callable[[], float] = time.monotonic,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._logger = logger
        self._success_level = success_level
        self._clock = clock
        self._new_id = new_id

    async def on_start(self, ctx: RequestContext[Any, Any]) -> CallStart:
        offered = ctx.request_headers.get(REQUEST_ID_HEADER) or ""
        request_id = offered if _SAFE_REQUEST_ID.fullmatch(offered) else self._new_id()
        ctx.response_headers[REQUEST_ID_HEADER] = request_id
        return CallStart(request_id=request_id, started=self._clock())

    async def on_end(self, token: CallStart, ctx: RequestContext[Any, Any], error: Exception | None) -> None:
        method = f"{ctx.method.service_name}/{ctx.method.name}"
        fields: dict[str, Any] = {
            "request_id": token.request_id,
            "method": method,
            "code": "ok",
            "duration_ms": round((self._clock() - token.started) * 1000, 3),
            "peer": ctx.client_address,
        }
        if error is None:
            self._logger.log(self._success_level, "call", extra={"fields": fields})
            return
        mapped = to_connect_error(error, correlation_id=token.request_id)
        fields["code"] = mapped.error.code.value
        if mapped.unexpected:
            self._logger.error("call failed unexpectedly", exc_info=error, extra={"fields": fields})
        else:
            fields["message"] = mapped.error.message
            self._logger.info("call", extra={"fields": fields})
        if mapped.error is not error:
            raise mapped.error


class BearerAuth:
    """Rejects a call without a valid token before its body is read."""

    def __init__(self, authenticator: Authenticator) -> None:
        self._authenticator = authenticator

    async def on_start(self, ctx: RequestContext[Any, Any]) -> None:
        self._authenticator.identify(ctx.request_headers)

    async def on_end(self, token: None, ctx: RequestContext[Any, Any], error: Exception | None) -> None:
        return None
