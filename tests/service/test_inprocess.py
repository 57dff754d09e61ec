"""The assembled ASGI application called in process (pyqwest's ASGITransport: no socket),
backed by the session's real API server."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.protocol import ProtocolType
from google.rpc.error_details_pb2 import ErrorInfo
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1.application_connect import ApplicationServiceClient
from pyqwest import Client
from pyqwest.testing import ASGITransport

from otterhelm.kube import ClusterCredentials, Identity, KubeClient, load_kubeconfig
from otterhelm.service.app import build_app
from otterhelm.service.auth import Authenticator
from otterhelm.service.logs import json_logger
from otterhelm.service.scopes import ScopeRegistry

TOKENS = {"admin": Identity("inproc-admin", ("system:masters",)), "alice": Identity("alice")}
PROTOCOLS = [ProtocolType.CONNECT, ProtocolType.GRPC, ProtocolType.GRPC_WEB]

UNIMPLEMENTED = {
    "list_applications": (pb.ListApplicationsRequest(), "ListApplications"),
    "get_application": (pb.GetApplicationRequest(), "GetApplication"),
    "restart_application": (pb.RestartApplicationRequest(), "RestartApplication"),
    "scale_application": (pb.ScaleApplicationRequest(), "ScaleApplication"),
    "delete_application_pod": (pb.DeleteApplicationPodRequest(), "DeleteApplicationPod"),
    "write_tty": (pb.WriteTTYRequest(), "WriteTTY"),
}


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    yield io.StringIO()


def _logger(stream: io.StringIO) -> logging.Logger:
    return json_logger(f"otterhelm.test.{id(stream)}", stream=stream)


async def _call(
    app: object, protocol: ProtocolType, method: str, request: object, token: str | None
) -> object:
    async with ASGITransport(app) as transport:  # type: ignore[arg-type]
        client = ApplicationServiceClient(
            "http://otterhelm.test", protocol=protocol, http_client=Client(transport)
        )
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return await getattr(client, method)(request, headers=headers)


def _real_app(kubeconfig: Path, stream: io.StringIO, *, auth: bool = True) -> object:
    scopes = ScopeRegistry({"dev": KubeClient(load_kubeconfig(kubeconfig))}, "dev")
    return build_app(scopes, Authenticator(TOKENS, enabled=auth), _logger(stream))


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_list_namespaces_in_process(
    kubeconfig: Path, namespace: str, protocol: ProtocolType, log_stream: io.StringIO
) -> None:
    response = asyncio.run(
        _call(
            _real_app(kubeconfig, log_stream),
            protocol,
            "list_namespaces",
            pb.ListNamespacesRequest(),
            "admin",
        )
    )
    assert isinstance(response, pb.ListNamespacesResponse)
    assert namespace in [item.name for item in response.namespaces]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_unfinished_rpc_is_unimplemented_and_names_itself(
    kubeconfig: Path, protocol: ProtocolType, log_stream: io.StringIO
) -> None:
    app = _real_app(kubeconfig, log_stream)
    for method, (request, rpc) in UNIMPLEMENTED.items():
        with pytest.raises(ConnectError) as caught:
            asyncio.run(_call(app, protocol, method, request, "admin"))
        assert caught.value.code == Code.UNIMPLEMENTED
        assert caught.value.message == f"{rpc} is not implemented yet"


def test_server_streams_are_unimplemented_too(kubeconfig: Path, log_stream: io.StringIO) -> None:
    async def consume(method: str, request: object) -> None:
        async with ASGITransport(_real_app(kubeconfig, log_stream)) as transport:  # type: ignore[arg-type]
            client = ApplicationServiceClient("http://otterhelm.test", http_client=Client(transport))
            async for _ in getattr(client, method)(request, headers={"authorization": "Bearer admin"}):
                pass

    for method, request, rpc in (
        ("watch_logs", pb.WatchLogsRequest(), "WatchLogs"),
        ("execute_tty", pb.ExecuteTTYRequest(), "ExecuteTTY"),
    ):
        with pytest.raises(ConnectError) as caught:
            asyncio.run(consume(method, request))
        assert caught.value.code == Code.UNIMPLEMENTED
        assert rpc in caught.value.message


def test_insecure_no_auth_uses_the_service_credentials(
    kubeconfig: Path, namespace: str, log_stream: io.StringIO
) -> None:
    app = _real_app(kubeconfig, log_stream, auth=False)
    response = asyncio.run(
        _call(app, ProtocolType.CONNECT, "list_secrets", pb.ListSecretsRequest(namespace=namespace), None)
    )
    assert isinstance(response, pb.ListSecretsResponse)
    assert list(response.secrets) == []


def test_impersonation_lets_rbac_decide(kubeconfig: Path, namespace: str, log_stream: io.StringIO) -> None:
    app = _real_app(kubeconfig, log_stream)
    request = pb.ListConfigMapsRequest(namespace=namespace)
    with pytest.raises(ConnectError) as caught:
        asyncio.run(_call(app, ProtocolType.CONNECT, "list_config_maps", request, "alice"))
    assert caught.value.code == Code.PERMISSION_DENIED
    assert 'User "alice"' in caught.value.message


def test_unexpected_failure_is_internal_with_correlation_id_and_logged(log_stream: io.StringIO) -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("secret internal detail")

    kube = KubeClient(ClusterCredentials(server="http://kube.test"), transport=httpx.MockTransport(explode))
    app = build_app(ScopeRegistry({"dev": kube}, "dev"), Authenticator(TOKENS), _logger(log_stream))
    with pytest.raises(ConnectError) as caught:
        asyncio.run(_call(app, ProtocolType.CONNECT, "list_namespaces", pb.ListNamespacesRequest(), "admin"))
    assert caught.value.code == Code.INTERNAL
    assert "secret internal detail" not in caught.value.message
    info = ErrorInfo.FromString(caught.value.details[0].message_bytes)
    correlation_id = info.metadata["correlationId"]
    assert caught.value.message == f"internal error (correlation id {correlation_id})"
    entries = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    failed = [entry for entry in entries if entry.get("code") == "internal"]
    assert len(failed) == 1
    assert failed[0]["request_id"] == correlation_id
    assert failed[0]["level"] == "error"
    assert "secret internal detail" in failed[0]["error"]


def test_unreachable_api_server_is_unavailable(log_stream: io.StringIO) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    kube = KubeClient(ClusterCredentials(server="http://kube.test"), transport=httpx.MockTransport(refuse))
    app = build_app(ScopeRegistry({"dev": kube}, "dev"), Authenticator(TOKENS), _logger(log_stream))
    with pytest.raises(ConnectError) as caught:
        asyncio.run(_call(app, ProtocolType.CONNECT, "list_namespaces", pb.ListNamespacesRequest(), "admin"))
    assert caught.value.code == Code.UNAVAILABLE
