"""Wire-level behaviour over a real socket that the generated clients cannot provoke:
malformed bodies, unknown methods and services, long-lived HTTP/2 connections, request ids,
health and reflection."""

from __future__ import annotations

import json
import struct
import subprocess

import grpc
import httpx
import pytest
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1 import application_pb2_grpc

from .conftest import ADMIN_TOKEN, BUF, SERVICE, RunningService

AUTH = {"authorization": f"Bearer {ADMIN_TOKEN}"}


def _grpc_frame(payload: bytes) -> bytes:
    return struct.pack(">BI", 0, len(payload)) + payload


def _grpc_web_status(response: httpx.Response) -> tuple[str, str]:
    """grpc-status and grpc-message from headers (trailers-only) or the trailer frame."""
    if "grpc-status" in response.headers:
        return response.headers["grpc-status"], response.headers.get("grpc-message", "")
    body = response.content
    offset = 0
    while offset < len(body):
        flags, length = struct.unpack(">BI", body[offset : offset + 5])
        chunk = body[offset + 5 : offset + 5 + length]
        offset += 5 + length
        if flags & 0x80:
            trailers = dict(
                line.split(":", 1) for line in chunk.decode().strip().split("\r\n") if ":" in line
            )
            return trailers["grpc-status"].strip(), trailers.get("grpc-message", "").strip()
    raise AssertionError(f"no grpc-status in {response.headers} / {body!r}")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"scope": '),
        ("application/json", b'{"scope": 7}'),
        ("application/proto", b"\xff\xff\xff"),
    ],
)
def test_malformed_connect_body_is_invalid_argument(
    service: RunningService, content_type: str, body: bytes
) -> None:
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/ListNamespaces",
        content=body,
        headers={"content-type": content_type, **AUTH},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_argument"


def test_malformed_body_without_token_is_unauthenticated_first(service: RunningService) -> None:
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/ListNamespaces",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_malformed_grpc_web_body_is_invalid_argument(service: RunningService) -> None:
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/ListNamespaces",
        content=_grpc_frame(b"\xff\xff\xff"),
        headers={"content-type": "application/grpc-web+proto", **AUTH},
    )
    assert response.status_code == 200
    status, _ = _grpc_web_status(response)
    assert status == "3"  # INVALID_ARGUMENT


def test_malformed_grpc_body_is_invalid_argument(service: RunningService) -> None:
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        raw = channel.unary_unary(f"/{SERVICE}/ListNamespaces")
        with pytest.raises(grpc.RpcError) as caught:
            raw(b"\xff\xff\xff", metadata=list(AUTH.items()), timeout=30)
    assert isinstance(caught.value, grpc.Call)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize(
    "path", [f"/{SERVICE}/NoSuchMethod", "/otterscale.application.v1.NoSuchService/ListNamespaces", "/"]
)
def test_unknown_method_over_connect_is_unimplemented(service: RunningService, path: str) -> None:
    response = httpx.post(
        f"{service.base_url}{path}", content=b"{}", headers={"content-type": "application/json", **AUTH}
    )
    assert response.status_code == 404
    error = response.json()
    assert error["code"] == "unimplemented"
    assert path in error["message"]


def test_unknown_method_over_grpc_is_unimplemented(service: RunningService) -> None:
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        raw = channel.unary_unary(f"/{SERVICE}/NoSuchMethod")
        with pytest.raises(grpc.RpcError) as caught:
            raw(b"", metadata=list(AUTH.items()), timeout=30)
    assert isinstance(caught.value, grpc.Call)
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "NoSuchMethod" in (caught.value.details() or "")


def test_unknown_method_over_grpc_web_is_unimplemented(service: RunningService) -> None:
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/NoSuchMethod",
        content=_grpc_frame(b""),
        headers={"content-type": "application/grpc-web+proto", **AUTH},
    )
    status, message = _grpc_web_status(response)
    assert status == "12"
    assert "NoSuchMethod" in message


def test_unknown_method_with_buf_curl_fails_against_the_reflected_schema(service: RunningService) -> None:
    result = subprocess.run(
        [str(BUF), "curl", "--data", "{}", f"{service.base_url}/{SERVICE}/NoSuchMethod"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "contains no such method" in result.stderr


def test_one_http2_connection_outlives_hypercorns_default_request_limit(service: RunningService) -> None:
    # hypercorn closes a connection after 1,000 requests unless told otherwise; grpcio keeps
    # one HTTP/2 connection per channel, so 1,100 calls on one channel cross that line.
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        stub = application_pb2_grpc.ApplicationServiceStub(channel)
        for _ in range(1100):
            with pytest.raises(grpc.RpcError) as caught:
                stub.ListApplications(pb.ListApplicationsRequest(), metadata=list(AUTH.items()), timeout=30)
            assert isinstance(caught.value, grpc.Call)
            assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_request_id_is_returned_and_logged_without_bodies(service: RunningService) -> None:
    marker = "body-marker-that-must-not-be-logged"
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/ListSecrets",
        json={"namespace": marker},
        headers={"x-request-id": "req-12345", **AUTH},
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-12345"
    lines = [json.loads(line) for line in service.log.read_text().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "req-12345"]
    assert len(mine) == 1
    assert mine[0]["method"] == f"{SERVICE}/ListSecrets"
    assert mine[0]["code"] == "ok"
    assert mine[0]["duration_ms"] >= 0
    assert marker not in service.log.read_text()


def test_health_check(service: RunningService) -> None:
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=lambda service_name: (
                b"\x0a" + bytes([len(service_name)]) + service_name.encode() if service_name else b""
            ),
            response_deserializer=lambda data: data,
        )
        assert check("", timeout=10) == b"\x08\x01"  # status: SERVING
        assert check(SERVICE, timeout=10) == b"\x08\x01"
        with pytest.raises(grpc.RpcError) as caught:
            check("no.such.Service", timeout=10)
    assert isinstance(caught.value, grpc.Call)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_the_services(service: RunningService) -> None:
    result = subprocess.run(
        [str(BUF), "curl", "--list-services", "--http2-prior-knowledge", service.base_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert set(result.stdout.split()) >= {
        SERVICE,
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
    }


def test_health_watch_streams_the_status(service: RunningService) -> None:
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        watch = channel.unary_stream(
            "/grpc.health.v1.Health/Watch",
            request_serializer=lambda _: b"",
            response_deserializer=lambda data: data,
        )
        stream = watch(None, timeout=10)
        assert next(stream) == b"\x08\x01"  # SERVING; the stream then stays open
        stream.cancel()


def test_connect_json_is_compact_proto3_json(service: RunningService) -> None:
    response = httpx.post(f"{service.base_url}/{SERVICE}/ListNamespaces", json={}, headers=AUTH)
    assert response.status_code == 200
    assert response.text.startswith('{"namespaces":[{"name":')
    assert "\n" not in response.text and ", " not in response.text


def test_successful_health_checks_are_not_logged_at_info(service: RunningService) -> None:
    response = httpx.post(
        f"{service.base_url}/grpc.health.v1.Health/Check", json={}, headers={"x-request-id": "health-probe-1"}
    )
    assert response.json() == {"status": "SERVING"}
    # A call logged after it shows the log is current.
    httpx.post(
        f"{service.base_url}/{SERVICE}/ListNamespaces",
        json={},
        headers={"x-request-id": "after-probe-1", **AUTH},
    )
    log = service.log.read_text()
    assert "after-probe-1" in log
    assert "health-probe-1" not in log
