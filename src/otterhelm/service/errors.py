"""The one place where failures become Connect errors.

otterhelm's own error kinds and Kubernetes API errors map to the Connect code of the same
meaning, with google.rpc details a client can act on: an ErrorInfo always, and a
BadRequest with field violations when a field is to blame. Anything else is a bug or an
unforeseen failure: the caller gets `internal` and a correlation id to quote, never the
exception's text (which may carry paths, tokens or cluster internals); the log has the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectrpc.code import Code
from connectrpc.errors import ConnectError, ErrorDetail
from google.protobuf.message import Message
from google.rpc.error_details_pb2 import BadRequest, ErrorInfo
from protobuf.wkt import Any as AnyDetail

from otterhelm import errors
from otterhelm.kube.errors import KubeApiError

DOMAIN = "otterhelm"
KUBERNETES_DOMAIN = "kubernetes"

# Most specific first: Kubernetes error classes derive from these kinds.
_CODES: tuple[tuple[type[errors.OtterhelmError], Code], ...] = (
    (errors.InvalidArgument, Code.INVALID_ARGUMENT),
    (errors.NotFound, Code.NOT_FOUND),
    (errors.AlreadyExists, Code.ALREADY_EXISTS),
    (errors.FailedPrecondition, Code.FAILED_PRECONDITION),
    (errors.Aborted, Code.ABORTED),
    (errors.PermissionDenied, Code.PERMISSION_DENIED),
    (errors.Unauthenticated, Code.UNAUTHENTICATED),
    (errors.Unavailable, Code.UNAVAILABLE),
    (errors.DeadlineExceeded, Code.DEADLINE_EXCEEDED),
    (errors.ResourceExhausted, Code.RESOURCE_EXHAUSTED),
    (errors.Unimplemented, Code.UNIMPLEMENTED),
)


@dataclass(frozen=True)
class MappedError:
    error: ConnectError
    # True when the failure was not one otterhelm reports on purpose: log its traceback.
    unexpected: bool


def to_connect_error(error: Exception, *, correlation_id: str) -> MappedError:
    error = _standing_for(error)
    if isinstance(error, ConnectError):
        return MappedError(error, unexpected=False)
    code = _code_for(error)
    if code is None:
        info = ErrorInfo(reason="INTERNAL", domain=DOMAIN, metadata={"correlationId": correlation_id})
        message = f"internal error (correlation id {correlation_id})"
        return MappedError(ConnectError(Code.INTERNAL, message, [_detail(info)]), unexpected=True)
    details = [_detail(_error_info(error))]
    violations = _field_violations(error)
    if violations:
        details.append(_detail(BadRequest(field_violations=violations)))
    return MappedError(ConnectError(code, str(error), details), unexpected=False)


def _standing_for(error: Exception) -> Exception:
    """The failure an exception group stands for (asyncio.TaskGroup wraps a failed task's
    error in one): its first member that is reported on purpose, else its first member."""
    while isinstance(error, ExceptionGroup):
        members = [_standing_for(member) for member in error.exceptions]
        known = [m for m in members if isinstance(m, ConnectError) or _code_for(m) is not None]
        error = (known or members)[0]
    return error


def _code_for(error: Exception) -> Code | None:
    for kind, code in _CODES:
        if isinstance(error, kind):
            return code
    return None


def _error_info(error: Exception) -> ErrorInfo:
    if isinstance(error, KubeApiError):
        return ErrorInfo(
            reason=_upper_snake(error.reason),
            domain=KUBERNETES_DOMAIN,
            metadata={"httpStatus": str(error.http_status)},
        )
    return ErrorInfo(reason=_upper_snake(type(error).__name__), domain=DOMAIN)


def _field_violations(error: Exception) -> list[BadRequest.FieldViolation]:
    if isinstance(error, KubeApiError):
        return [
            BadRequest.FieldViolation(field=cause.field, description=cause.message, reason=cause.reason)
            for cause in error.causes
            if cause.field
        ]
    if isinstance(error, errors.InvalidArgument) and error.field:
        return [BadRequest.FieldViolation(field=error.field, description=str(error))]
    return []


def _detail(message: Message) -> ErrorDetail:
    # connectrpc's details are Buf protobuf messages; Google ones travel as a packed Any.
    packed = AnyDetail(
        type_url="type.googleapis.com/" + message.DESCRIPTOR.full_name,
        value=message.SerializeToString(),
    )
    return ErrorDetail(packed)


def _upper_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()
