"""Kubernetes API failures as otterhelm error types.

The API server answers a failed call with a `Status` object whose `reason` says what went
wrong; each reason maps to the otterhelm error kind with the same meaning (and so, in the
service, to one Connect code). When the body is not a Status, the HTTP code decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from otterhelm.errors import (
    Aborted,
    AlreadyExists,
    DeadlineExceeded,
    InvalidArgument,
    NotFound,
    OtterhelmError,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)


@dataclass(frozen=True)
class StatusCause:
    """One entry of a Status's `details.causes` (for Invalid: the offending field)."""

    field: str
    message: str
    reason: str


class KubeApiError(OtterhelmError):
    """The API server refused a call. Subclasses also derive from the matching otterhelm kind."""

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        http_status: int,
        causes: tuple[StatusCause, ...] = (),
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.http_status = http_status
        self.causes = causes


class KubeUnauthorized(KubeApiError, Unauthenticated):
    pass


class KubeForbidden(KubeApiError, PermissionDenied):
    pass


class KubeNotFound(KubeApiError, NotFound):
    pass


class KubeAlreadyExists(KubeApiError, AlreadyExists):
    pass


class KubeConflict(KubeApiError, Aborted):
    pass


class KubeInvalid(KubeApiError, InvalidArgument):
    pass


class KubeTimeout(KubeApiError, DeadlineExceeded):
    pass


class KubeTooManyRequests(KubeApiError, ResourceExhausted):
    pass


class KubeUnavailable(KubeApiError, Unavailable):
    pass


class KubeUnreachable(Unavailable):
    """The API server could not be reached at all (connection refused, TLS failure, ...)."""


class KubeRequestTimeout(DeadlineExceeded):
    """The API server did not answer in time."""


# metav1.StatusReason values (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
_BY_REASON: dict[str, type[KubeApiError]] = {
    "Unauthorized": KubeUnauthorized,
    "Forbidden": KubeForbidden,
    "NotFound": KubeNotFound,
    "AlreadyExists": KubeAlreadyExists,
    "Conflict": KubeConflict,
    "Invalid": KubeInvalid,
    "BadRequest": KubeInvalid,
    "Timeout": KubeTimeout,
    "ServerTimeout": KubeTimeout,
    "TooManyRequests": KubeTooManyRequests,
    "ServiceUnavailable": KubeUnavailable,
}

_BY_HTTP_STATUS: dict[int, type[KubeApiError]] = {
    400: KubeInvalid,
    401: KubeUnauthorized,
    403: KubeForbidden,
    404: KubeNotFound,
    409: KubeConflict,
    422: KubeInvalid,
    429: KubeTooManyRequests,
    503: KubeUnavailable,
    504: KubeTimeout,
}


def error_from_response(http_status: int, body: bytes) -> KubeApiError:
    """The typed error for a failed API response (`body` is usually a Status object)."""
    status = _parse_status(body)
    reason = str(status.get("reason") or "")
    message = str(status.get("message") or "") or body.decode("utf-8", "replace").strip()
    if not message:
        message = f"Kubernetes API request failed with HTTP {http_status}"
    details = status.get("details")
    raw_causes = details.get("causes") if isinstance(details, dict) else None
    causes = tuple(
        StatusCause(
            field=str(cause.get("field", "")),
            message=str(cause.get("message", "")),
            reason=str(cause.get("reason", "")),
        )
        for cause in (raw_causes if isinstance(raw_causes, list) else [])
        if isinstance(cause, dict)
    )
    kind = _BY_REASON.get(reason) or _BY_HTTP_STATUS.get(http_status) or KubeApiError
    return kind(message, reason=reason or f"HTTP{http_status}", http_status=http_status, causes=causes)


def _parse_status(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    if isinstance(parsed, dict) and parsed.get("kind") == "Status":
        return parsed
    return {}
