"""Kubernetes Status -> otterhelm error kinds -> Connect codes with google.rpc details."""

from __future__ import annotations

import json

import pytest
from connectrpc.code import Code
from google.rpc.error_details_pb2 import BadRequest, ErrorInfo

from otterhelm import errors
from otterhelm.kube.errors import KubeApiError, error_from_response
from otterhelm.service.errors import to_connect_error


def _status(
    reason: str, code: int, message: str = "boom", causes: list[dict[str, str]] | None = None
) -> bytes:
    body: dict[str, object] = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": reason,
        "code": code,
        "message": message,
    }
    if causes is not None:
        body["details"] = {"causes": causes}
    return json.dumps(body).encode()


# The spec's table: Kubernetes reason -> Connect code.
@pytest.mark.parametrize(
    ("reason", "http_status", "code"),
    [
        ("Unauthorized", 401, Code.UNAUTHENTICATED),
        ("Forbidden", 403, Code.PERMISSION_DENIED),
        ("NotFound", 404, Code.NOT_FOUND),
        ("AlreadyExists", 409, Code.ALREADY_EXISTS),
        ("Conflict", 409, Code.ABORTED),
        ("Invalid", 422, Code.INVALID_ARGUMENT),
        ("BadRequest", 400, Code.INVALID_ARGUMENT),
        ("Timeout", 504, Code.DEADLINE_EXCEEDED),
        ("ServerTimeout", 500, Code.DEADLINE_EXCEEDED),
        ("TooManyRequests", 429, Code.RESOURCE_EXHAUSTED),
        ("ServiceUnavailable", 503, Code.UNAVAILABLE),
    ],
)
def test_kubernetes_reasons_map_to_connect_codes(reason: str, http_status: int, code: Code) -> None:
    error = error_from_response(http_status, _status(reason, http_status, "the message"))
    assert error.reason == reason
    mapped = to_connect_error(error, correlation_id="c1")
    assert mapped.error.code == code
    assert mapped.error.message == "the message"
    assert not mapped.unexpected
    info = mapped.error.details[0]
    assert info.type_name == "google.rpc.ErrorInfo"
    decoded = ErrorInfo.FromString(info.message_bytes)
    assert decoded.domain == "kubernetes"
    assert decoded.metadata["httpStatus"] == str(http_status)


def test_http_status_decides_when_the_body_is_not_a_status() -> None:
    error = error_from_response(403, b"<html>forbidden</html>")
    assert isinstance(error, errors.PermissionDenied)
    assert str(error) == "<html>forbidden</html>"


def test_unknown_kubernetes_failure_is_internal() -> None:
    error = error_from_response(500, _status("InternalError", 500, "etcd exploded at /registry/secrets"))
    assert type(error) is KubeApiError
    mapped = to_connect_error(error, correlation_id="abc123")
    assert mapped.error.code == Code.INTERNAL
    assert "etcd" not in mapped.error.message
    assert "abc123" in mapped.error.message
    assert mapped.unexpected


def test_invalid_objects_carry_field_violations() -> None:
    error = error_from_response(
        422,
        _status(
            "Invalid",
            422,
            'ConfigMap "x" is invalid',
            [
                {
                    "field": "metadata.name",
                    "message": "a lowercase RFC 1123 subdomain",
                    "reason": "FieldValueInvalid",
                }
            ],
        ),
    )
    mapped = to_connect_error(error, correlation_id="c")
    assert mapped.error.code == Code.INVALID_ARGUMENT
    assert [detail.type_name for detail in mapped.error.details] == [
        "google.rpc.ErrorInfo",
        "google.rpc.BadRequest",
    ]
    bad_request = BadRequest.FromString(mapped.error.details[1].message_bytes)
    assert [(v.field, v.description, v.reason) for v in bad_request.field_violations] == [
        ("metadata.name", "a lowercase RFC 1123 subdomain", "FieldValueInvalid")
    ]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InvalidArgument("bad"), Code.INVALID_ARGUMENT),
        (errors.NotFound("gone"), Code.NOT_FOUND),
        (errors.AlreadyExists("there"), Code.ALREADY_EXISTS),
        (errors.FailedPrecondition("locked"), Code.FAILED_PRECONDITION),
        (errors.Aborted("raced"), Code.ABORTED),
        (errors.PermissionDenied("no"), Code.PERMISSION_DENIED),
        (errors.Unauthenticated("who"), Code.UNAUTHENTICATED),
        (errors.Unavailable("down"), Code.UNAVAILABLE),
        (errors.DeadlineExceeded("slow"), Code.DEADLINE_EXCEEDED),
        (errors.ResourceExhausted("big"), Code.RESOURCE_EXHAUSTED),
        (errors.Unimplemented("later"), Code.UNIMPLEMENTED),
    ],
)
def test_otterhelm_error_kinds(error: errors.OtterhelmError, code: Code) -> None:
    mapped = to_connect_error(error, correlation_id="c")
    assert mapped.error.code == code
    assert mapped.error.message == str(error)
    info = ErrorInfo.FromString(mapped.error.details[0].message_bytes)
    assert info.domain == "otterhelm"
    assert info.reason == code.name  # the kind's name in upper snake case matches the code's


def test_subclass_reason_names_the_subclass_and_field_becomes_a_violation() -> None:
    class ReleaseNameInvalid(errors.InvalidArgument):
        pass

    mapped = to_connect_error(ReleaseNameInvalid("name too long", field="name"), correlation_id="c")
    assert ErrorInfo.FromString(mapped.error.details[0].message_bytes).reason == "RELEASE_NAME_INVALID"
    bad_request = BadRequest.FromString(mapped.error.details[1].message_bytes)
    assert [(v.field, v.description) for v in bad_request.field_violations] == [("name", "name too long")]


def test_any_other_exception_is_internal_with_a_correlation_id_and_no_raw_message() -> None:
    mapped = to_connect_error(KeyError("/etc/secret/path"), correlation_id="corr-42")
    assert mapped.error.code == Code.INTERNAL
    assert mapped.error.message == "internal error (correlation id corr-42)"
    assert mapped.unexpected
    info = ErrorInfo.FromString(mapped.error.details[0].message_bytes)
    assert (info.reason, info.domain, dict(info.metadata)) == (
        "INTERNAL",
        "otterhelm",
        {"correlationId": "corr-42"},
    )


def test_an_exception_group_maps_as_the_failure_it_stands_for() -> None:
    """asyncio.TaskGroup raises a failed task's error inside an ExceptionGroup."""
    forbidden = error_from_response(403, _status("Forbidden", 403, 'User "alice" cannot list'))
    group = ExceptionGroup(
        "unhandled errors in a TaskGroup", [RuntimeError("noise"), ExceptionGroup("inner", [forbidden])]
    )
    mapped = to_connect_error(group, correlation_id="c2")
    assert mapped.error.code == Code.PERMISSION_DENIED
    assert mapped.error.message == 'User "alice" cannot list'
    assert not mapped.unexpected


def test_an_exception_group_of_unknown_failures_stays_internal() -> None:
    mapped = to_connect_error(ExceptionGroup("g", [RuntimeError("secret path")]), correlation_id="c3")
    assert mapped.error.code == Code.INTERNAL
    assert "secret path" not in mapped.error.message
    assert mapped.unexpected
