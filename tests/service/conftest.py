"""Fixtures for the service tests: a real `otterhelm serve` process on a loopback port in
front of the session's devcluster, objects to list, and one caller per wire protocol."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
import yaml
from connectrpc.errors import ConnectError
from connectrpc.protocol import ProtocolType
from google.protobuf import json_format
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1 import application_pb2_grpc
from otterscale.application.v1.application_connect import ApplicationServiceClientSync
from pyqwest import SyncClient

from otterhelm.devcluster import DevCluster

REPO = Path(__file__).resolve().parents[2]
BUF = REPO / ".venv" / "bin" / "buf"
TS_DIR = REPO / "clients" / "ts"
TSX = TS_DIR / "node_modules" / ".bin" / "tsx"
SERVICE = "otterscale.application.v1.ApplicationService"

# Bearer tokens of the service under test (its configuration maps them to identities that
# Kubernetes calls impersonate). The admin is in system:masters; alice has no RBAC rights.
ADMIN_TOKEN = "e2e-admin-token"
ALICE_TOKEN = "e2e-alice-token"

# Method -> (request type, response type, generated snake-case name).
METHODS: dict[str, tuple[type[Message], type[Message], str]] = {
    "ListNamespaces": (pb.ListNamespacesRequest, pb.ListNamespacesResponse, "list_namespaces"),
    "ListStorageClasses": (
        pb.ListStorageClassesRequest,
        pb.ListStorageClassesResponse,
        "list_storage_classes",
    ),
    "ListConfigMaps": (pb.ListConfigMapsRequest, pb.ListConfigMapsResponse, "list_config_maps"),
    "ListSecrets": (pb.ListSecretsRequest, pb.ListSecretsResponse, "list_secrets"),
    "ListReleases": (pb.ListReleasesRequest, pb.ListReleasesResponse, "list_releases"),
    "ListApplications": (pb.ListApplicationsRequest, pb.ListApplicationsResponse, "list_applications"),
    "GetRelease": (pb.GetReleaseRequest, pb.GetReleaseResponse, "get_release"),
    "ListReleaseHistory": (
        pb.ListReleaseHistoryRequest,
        pb.ListReleaseHistoryResponse,
        "list_release_history",
    ),
    "DiffRelease": (pb.DiffReleaseRequest, pb.DiffReleaseResponse, "diff_release"),
}

TRANSPORTS = (
    "connect-json",
    "connect-binary",
    "grpc",
    "grpc-web",
    "buf-curl",
    "buf-curl-connect",
    "ts-connect-json",
    "ts-grpc-web",
    "ts-grpc",
)


@dataclass
class Outcome:
    """One call's result in proto JSON form, whatever the wire protocol was."""

    response: dict[str, Any] | None = None
    code: str | None = None
    message: str = ""
    detail_types: list[str] = field(default_factory=list)
    # The fields a google.rpc.BadRequest detail names.
    field_violations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunningService:
    base_url: str
    host: str
    port: int
    log: Path


Caller = Callable[[str, str, dict[str, Any], str | None], Outcome]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_service_config(path: Path, kubeconfig: Path, port: int) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "listen": f"127.0.0.1:{port}",
                "default_scope": "dev",
                "scopes": {"dev": {"kubeconfig": str(kubeconfig)}},
                "tokens": [
                    {"token": ADMIN_TOKEN, "user": "e2e-admin", "groups": ["system:masters"]},
                    {"token": ALICE_TOKEN, "user": "alice"},
                ],
            }
        )
    )
    return path


@contextlib.contextmanager
def running_service(workdir: Path, kubeconfig: Path, *extra_args: str) -> Iterator[RunningService]:
    """`otterhelm serve` as a separate process, exactly as a user starts it."""
    port = _free_port()
    config = write_service_config(workdir / "otterhelm.yaml", kubeconfig, port)
    with serving(config, port, *extra_args) as running:
        yield running


@contextlib.contextmanager
def serving(config: Path, port: int, *extra_args: str) -> Iterator[RunningService]:
    """`otterhelm serve --config CONFIG` listening on `port`, its log beside the config; stopped
    on exit."""
    log = config.parent / "serve.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "otterhelm", "serve", "--config", str(config), *extra_args],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    running = RunningService(base_url=f"http://127.0.0.1:{port}", host="127.0.0.1", port=port, log=log)
    try:
        _wait_until_serving(running, process)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def service(devcluster: DevCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    with running_service(tmp_path_factory.mktemp("service"), devcluster.kubeconfig) as running:
        yield running


def _wait_until_serving(running: RunningService, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"otterhelm serve exited with {process.returncode}:\n{running.log.read_text()}"
            )
        try:
            response = httpx.post(
                f"{running.base_url}/grpc.health.v1.Health/Check",
                json={},
                headers={"content-type": "application/json"},
                timeout=2,
            )
            if response.status_code == 200 and response.json().get("status") == "SERVING":
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"otterhelm serve did not become healthy:\n{running.log.read_text()}")


@dataclass(frozen=True)
class ClusterObjects:
    """Objects created in the test's namespace (and one storage class), as proto JSON."""

    namespace: dict[str, Any]
    config_map: dict[str, Any]
    secret: dict[str, Any]
    storage_class: dict[str, Any]


@pytest.fixture
def cluster_objects(devcluster: DevCluster, namespace: str) -> Iterator[ClusterObjects]:
    storage_class_name = f"{namespace}-fast"
    with devcluster.http_client() as kube:

        def create(path: str, body: dict[str, Any]) -> dict[str, Any]:
            response = kube.post(path, json=body)
            response.raise_for_status()
            created: dict[str, Any] = response.json()
            return created

        config_map = create(
            f"/api/v1/namespaces/{namespace}/configmaps",
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "settings", "labels": {"app": "demo", "tier": "web"}},
                "data": {"greeting": "hello", "empty": ""},
                "binaryData": {"blob": base64.b64encode(b"\x00\x01\xfe").decode()},
                "immutable": True,
            },
        )
        secret = create(
            f"/api/v1/namespaces/{namespace}/secrets",
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "credentials", "labels": {"app": "demo"}},
                "type": "kubernetes.io/basic-auth",
                "stringData": {"username": "admin", "password": "hunter2"},
            },
        )
        storage_class = create(
            "/apis/storage.k8s.io/v1/storageclasses",
            {
                "apiVersion": "storage.k8s.io/v1",
                "kind": "StorageClass",
                "metadata": {"name": storage_class_name, "labels": {"speed": "fast"}},
                "provisioner": "example.com/fast",
                "reclaimPolicy": "Retain",
                "volumeBindingMode": "WaitForFirstConsumer",
                "parameters": {"type": "ssd", "iops": "3000"},
            },
        )
        ns = kube.get(f"/api/v1/namespaces/{namespace}").json()
        try:
            yield ClusterObjects(
                namespace={
                    "name": namespace,
                    "labels": {"kubernetes.io/metadata.name": namespace},
                    "createdAt": ns["metadata"]["creationTimestamp"],
                },
                config_map={
                    "name": "settings",
                    "namespace": namespace,
                    "labels": {"app": "demo", "tier": "web"},
                    "data": {"greeting": "hello", "empty": ""},
                    "binaryData": {"blob": base64.b64encode(b"\x00\x01\xfe").decode()},
                    "immutable": True,
                    "createdAt": config_map["metadata"]["creationTimestamp"],
                },
                secret={
                    "name": "credentials",
                    "namespace": namespace,
                    "labels": {"app": "demo"},
                    "data": {
                        "username": base64.b64encode(b"admin").decode(),
                        "password": base64.b64encode(b"hunter2").decode(),
                    },
                    "type": "kubernetes.io/basic-auth",
                    "immutable": False,
                    "createdAt": secret["metadata"]["creationTimestamp"],
                },
                storage_class={
                    "name": storage_class_name,
                    "provisioner": "example.com/fast",
                    "reclaimPolicy": "Retain",
                    "volumeBindingMode": "WaitForFirstConsumer",
                    "parameters": {"type": "ssd", "iops": "3000"},
                    "createdAt": storage_class["metadata"]["creationTimestamp"],
                },
            )
        finally:
            kube.delete(f"/apis/storage.k8s.io/v1/storageclasses/{storage_class_name}")


# Callers: one per wire protocol and client implementation.


def _connect_raw(
    service: RunningService, method: str, body: dict[str, Any], token: str | None, binary: bool
) -> Outcome:
    request_type, response_type, _ = METHODS[method]
    headers = {"content-type": "application/proto" if binary else "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    if binary:
        content = json_format.ParseDict(body, request_type()).SerializeToString()
    else:
        content = json.dumps(body).encode()
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/{method}", content=content, headers=headers, timeout=30
    )
    if response.status_code != 200:
        return _connect_error(response)
    if binary:
        assert response.headers["content-type"] == "application/proto"
        return Outcome(response=json_format.MessageToDict(response_type.FromString(response.content)))
    assert response.headers["content-type"] == "application/json"
    return Outcome(response=response.json())


def _connect_error(response: httpx.Response) -> Outcome:
    return error_outcome(response.json())


def error_outcome(error: dict[str, Any]) -> Outcome:
    """Connect's JSON error body (also `buf curl`'s report of one): details are packed messages."""
    outcome = Outcome(code=error["code"], message=error.get("message", ""))
    for detail in error.get("details", []):
        outcome.detail_types.append(detail["type"])
        if detail["type"] == "google.rpc.BadRequest":
            value = detail["value"]
            raw = base64.b64decode(value + "=" * (-len(value) % 4))
            bad = error_details_pb2.BadRequest.FromString(raw)
            outcome.field_violations += [v.field for v in bad.field_violations]
    return outcome


def _grpc(service: RunningService, method: str, body: dict[str, Any], token: str | None) -> Outcome:
    request_type, _, _ = METHODS[method]
    metadata = [("authorization", f"Bearer {token}")] if token is not None else []
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        stub = application_pb2_grpc.ApplicationServiceStub(channel)
        call = getattr(stub, method)
        try:
            response = call(json_format.ParseDict(body, request_type()), metadata=metadata, timeout=30)
        except grpc.RpcError as error:
            return grpc_error_outcome(error)
    return Outcome(response=json_format.MessageToDict(response))


def grpc_error_outcome(error: grpc.RpcError) -> Outcome:
    """A gRPC failure with the details of its `grpc-status-details-bin` trailer."""
    assert isinstance(error, grpc.Call)
    outcome = Outcome(code=error.code().name.lower(), message=error.details() or "")
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for detail in status_pb2.Status.FromString(value).details:
            outcome.detail_types.append(detail.type_url.rpartition("/")[2])
            bad = error_details_pb2.BadRequest()
            if detail.Unpack(bad):
                outcome.field_violations += [v.field for v in bad.field_violations]
    return outcome


def _grpc_web(service: RunningService, method: str, body: dict[str, Any], token: str | None) -> Outcome:
    request_type, _, snake = METHODS[method]
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    with ApplicationServiceClientSync(
        service.base_url, protocol=ProtocolType.GRPC_WEB, http_client=SyncClient()
    ) as client:
        try:
            response = getattr(client, snake)(json_format.ParseDict(body, request_type()), headers=headers)
        except ConnectError as error:
            return Outcome(
                code=error.code.value,
                message=error.message,
                detail_types=[detail.type_name for detail in error.details],
            )
    return Outcome(response=json_format.MessageToDict(response))


def _buf_curl(
    service: RunningService, method: str, body: dict[str, Any], token: str | None, *, grpc_h2: bool
) -> Outcome:
    # Schema by server reflection; gRPC over HTTP/2 cleartext, or Connect over HTTP/1.1.
    protocol = ["--protocol", "grpc", "--http2-prior-knowledge"] if grpc_h2 else ["--protocol", "connect"]
    command = [str(BUF), "curl", *protocol, "--data", json.dumps(body)]
    if token is not None:
        command += ["-H", f"authorization: Bearer {token}"]
    command.append(f"{service.base_url}/{SERVICE}/{method}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode == 0:
        return Outcome(response=json.loads(result.stdout) if result.stdout.strip() else {})
    return error_outcome(json.loads(result.stderr))


def _typescript(
    service: RunningService, kind: str, method: str, body: dict[str, Any], token: str | None
) -> Outcome:
    command = [str(TSX), "src/call.ts", service.base_url, kind, method, json.dumps(body)]
    if token is not None:
        command.append(token)
    result = subprocess.run(
        command, cwd=TS_DIR, capture_output=True, text=True, timeout=120, check=False, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    if "response" in outcome:
        return Outcome(response=outcome["response"])
    error = outcome["error"]
    return Outcome(code=error["code"], message=error["message"], detail_types=error["details"])


@pytest.fixture(scope="session")
def call(service: RunningService) -> Caller:
    """call(transport, method, request as proto JSON, token) -> Outcome."""
    return caller_for(service)


def caller_for(service: RunningService) -> Caller:
    """A Caller of one running service over every transport of TRANSPORTS."""

    def run(transport: str, method: str, body: dict[str, Any], token: str | None) -> Outcome:
        if transport == "connect-json":
            return _connect_raw(service, method, body, token, binary=False)
        if transport == "connect-binary":
            return _connect_raw(service, method, body, token, binary=True)
        if transport == "grpc":
            return _grpc(service, method, body, token)
        if transport == "grpc-web":
            return _grpc_web(service, method, body, token)
        if transport == "buf-curl":
            return _buf_curl(service, method, body, token, grpc_h2=True)
        if transport == "buf-curl-connect":
            return _buf_curl(service, method, body, token, grpc_h2=False)
        if transport.startswith("ts-"):
            return _typescript(service, transport.removeprefix("ts-"), method, body, token)
        raise AssertionError(f"unknown transport {transport}")

    return run
