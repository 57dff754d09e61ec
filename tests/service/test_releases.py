"""The release RPCs end to end: `otterhelm serve` (a separate process) in front of the
devcluster, installing a chart served by a real local OCI registry; called over Connect JSON
(as OtterScale's dashboard sends it in development) and gRPC (grpcio).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
import yaml
from google.protobuf import json_format
from google.protobuf.empty_pb2 import Empty
from google.protobuf.message import Message
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1 import application_pb2_grpc

from otterhelm.devcluster import DevCluster
from otterhelm.sources import ChartSources
from otterhelm.sources.archive import load_archive
from otterhelm.sources.reference import OciRef

from ..sources.conftest import RegistryServer, build_chart, free_port, start_registry
from .conftest import (
    ADMIN_TOKEN,
    ALICE_TOKEN,
    SERVICE,
    Caller,
    Outcome,
    RunningService,
    error_outcome,
    grpc_error_outcome,
    serving,
)
from .conftest import TRANSPORTS as ALL_TRANSPORTS

METHODS: dict[str, tuple[type[Message], type[Message]]] = {
    "ListReleases": (pb.ListReleasesRequest, pb.ListReleasesResponse),
    "CreateRelease": (pb.CreateReleaseRequest, pb.Application.Release),
    "UpdateRelease": (pb.UpdateReleaseRequest, pb.Application.Release),
    "DeleteRelease": (pb.DeleteReleaseRequest, Empty),
    "RollbackRelease": (pb.RollbackReleaseRequest, Empty),
    "GetRelease": (pb.GetReleaseRequest, pb.GetReleaseResponse),
    "ListReleaseHistory": (pb.ListReleaseHistoryRequest, pb.ListReleaseHistoryResponse),
    "DiffRelease": (pb.DiffReleaseRequest, pb.DiffReleaseResponse),
}
TRANSPORTS = ("connect-json", "grpc")

TEMPLATE = (
    b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
    b"data:\n  message: {{ .Values.message | quote }}\n  values: {{ toJson .Values | quote }}\n"
    # An object the API server refuses (its name is not a DNS subdomain): a failing upgrade.
    b"{{- if .Values.refused }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n{{- end }}\n"
)
NOTES = b"Installed {{ .Release.Name }} revision {{ .Release.Revision }}.\n"


def _demo_chart(version: str, app_version: str) -> bytes:
    return build_chart(
        "demo",
        version,
        app_version=app_version,
        extra={"templates/configmap.yaml": TEMPLATE, "templates/NOTES.txt": NOTES},
    )


CHARTS = {"1.0.0": _demo_chart("1.0.0", "1.25.0"), "1.1.0": _demo_chart("1.1.0", "1.26.0")}


def _connect_json(service: RunningService, method: str, body: dict[str, Any], token: str) -> Outcome:
    """As the dashboard sends it: JSON through the proxy, marked with `x-proxy-target: api`."""
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/{method}",
        content=json.dumps(body).encode(),
        headers={
            "content-type": "application/json",
            "authorization": f"Bearer {token}",
            "x-proxy-target": "api",
        },
        timeout=120,
    )
    if response.status_code != 200:
        return error_outcome(response.json())
    message = json_format.ParseDict(response.json(), METHODS[method][1]())
    return Outcome(response=json_format.MessageToDict(message))


def _connect_binary(service: RunningService, method: str, body: dict[str, Any], token: str) -> Outcome:
    """As the dashboard sends it in production: binary protobuf."""
    request_type, response_type = METHODS[method]
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/{method}",
        content=json_format.ParseDict(body, request_type()).SerializeToString(),
        headers={"content-type": "application/proto", "authorization": f"Bearer {token}"},
        timeout=120,
    )
    if response.status_code != 200:
        return error_outcome(response.json())
    assert response.headers["content-type"] == "application/proto"
    return Outcome(response=json_format.MessageToDict(response_type.FromString(response.content)))


def _grpc(service: RunningService, method: str, body: dict[str, Any], token: str) -> Outcome:
    request_type, _ = METHODS[method]
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        stub = getattr(application_pb2_grpc.ApplicationServiceStub(channel), method)
        try:
            response = stub(
                json_format.ParseDict(body, request_type()),
                metadata=[("authorization", f"Bearer {token}")],
                timeout=120,
            )
        except grpc.RpcError as error:
            return grpc_error_outcome(error)
    return Outcome(response=json_format.MessageToDict(response))


@dataclass(frozen=True)
class ReleaseSetup:
    service: RunningService
    registry: RegistryServer
    devcluster: DevCluster

    def ref(self, version: str) -> str:
        return f"oci://{self.registry.host}/charts/demo:{version}"

    def call(self, transport: str, method: str, body: dict[str, Any], token: str = ADMIN_TOKEN) -> Outcome:
        if transport == "grpc":
            return _grpc(self.service, method, body, token)
        if transport == "connect-binary":
            return _connect_binary(self.service, method, body, token)
        return _connect_json(self.service, method, body, token)

    def ok(self, transport: str, method: str, body: dict[str, Any]) -> dict[str, Any]:
        outcome = self.call(transport, method, body)
        assert outcome.code is None, outcome
        assert outcome.response is not None
        return outcome.response

    def kube_get(self, path: str) -> httpx.Response:
        with self.devcluster.http_client() as kube:
            return kube.get(path)

    def config_map_values(self, namespace: str, name: str) -> dict[str, Any]:
        response = self.kube_get(f"/api/v1/namespaces/{namespace}/configmaps/{name}-cm")
        response.raise_for_status()
        values: dict[str, Any] = json.loads(response.json()["data"]["values"])
        return values

    def revisions(self, namespace: str, name: str) -> list[str]:
        response = self.kube_get(
            f"/api/v1/namespaces/{namespace}/secrets?labelSelector=owner%3Dhelm%2Cname%3D{name}"
        )
        response.raise_for_status()
        return sorted(
            f"{item['metadata']['labels']['version']}:{item['metadata']['labels']['status']}"
            for item in response.json()["items"]
        )


async def _push(registry: RegistryServer, archive: bytes) -> None:
    metadata = load_archive(archive, "fixture").metadata
    async with ChartSources(registry.config()) as sources, sources.oci(registry.host) as client:
        await client.push(archive, metadata, OciRef(registry.host, "charts"))


@contextlib.contextmanager
def _release_service(workdir: Path, kubeconfig: Path, registry: RegistryServer) -> Iterator[RunningService]:
    port = free_port()
    config = workdir / "otterhelm.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "listen": f"127.0.0.1:{port}",
                "default_scope": "dev",
                "scopes": {"dev": {"kubeconfig": str(kubeconfig)}},
                "tokens": [
                    {"token": ADMIN_TOKEN, "user": "e2e-admin", "groups": ["system:masters"]},
                    {"token": ALICE_TOKEN, "user": "alice"},
                ],
                "sources": {
                    "registries": [{"host": registry.host, "plainHttp": True}],
                    "allowNetworks": ["127.0.0.1/32"],
                    "limits": {"timeoutSeconds": 10},
                },
            }
        )
    )
    with serving(config, port) as running:
        yield running


@pytest.fixture(scope="module")
def releases(devcluster: DevCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReleaseSetup]:
    work = tmp_path_factory.mktemp("releases")
    registry, cleanups = start_registry(work / "registry")
    try:
        for archive in CHARTS.values():
            asyncio.run(_push(registry, archive))
        with _release_service(work, devcluster.kubeconfig, registry) as service:
            yield ReleaseSetup(service, registry, devcluster)
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


def _expected_release(namespace: str, name: str, revision: int, ref: str, **extra: Any) -> dict[str, Any]:
    version, app = ("1.1.0", "1.26.0") if ref.endswith("1.1.0") else ("1.0.0", "1.25.0")
    return {
        "namespace": namespace,
        "name": name,
        "revision": revision,
        "chartName": "demo",
        "version": {"chartVersion": version, "chartRef": ref, "applicationVersion": app},
        **extra,
    }


def _without_time(response: dict[str, Any]) -> dict[str, Any]:
    """The response without its time stamp, and with the installed reference (the requested
    one pinned to the manifest digest it resolved to) checked and shown as requested."""
    assert response.pop("updatedAt", "").endswith("Z")
    installed = response["version"]["chartRef"]
    requested, _, digest = installed.partition("@sha256:")
    assert len(digest) == 64, installed
    response["version"]["chartRef"] = requested
    return response


# --- CreateRelease ---------------------------------------------------------------------------


@pytest.mark.parametrize("transport", (*TRANSPORTS, "connect-binary"))
def test_create_installs_and_answers_every_field(
    releases: ReleaseSetup, namespace: str, transport: str
) -> None:
    ref = releases.ref("1.0.0")
    body = {"namespace": namespace, "name": "web", "chartRef": ref, "valuesYaml": "", "valuesMap": {}}
    response = releases.ok(transport, "CreateRelease", body)
    assert _without_time(response) == _expected_release(
        namespace,
        "web",
        1,
        ref,
        status="deployed",
        description="Install complete",
        notes="Installed web revision 1.\n",
    )
    assert releases.revisions(namespace, "web") == ["1:deployed"]
    assert releases.config_map_values(namespace, "web") == {"message": "hello", "replicas": 1}


def test_values_yaml_then_values_map_in_key_order(releases: ReleaseSetup, namespace: str) -> None:
    body = {
        "namespace": namespace,
        "name": "valued",
        "chartRef": releases.ref("1.0.0"),
        # A whole edited values.yaml, as the dashboard sends it.
        "valuesYaml": "# edited\nreplicas: 2\nmessage: from-yaml\nnested:\n  keep: true\n",
        "valuesMap": {
            "replicas": "5",
            "code": "[str]007",
            "nested.list[1]": "z",
            "nested.keep": "false",
            "nested.list": "{x,y}",
        },
    }
    releases.ok("connect-json", "CreateRelease", body)
    # `nested.list` sorts before `nested.list[1]`: the list is set, then its second item.
    assert releases.config_map_values(namespace, "valued") == {
        "code": "007",
        "message": "from-yaml",
        "nested": {"keep": False, "list": ["x", "z"]},
        "replicas": 5,
    }


def test_generated_name_is_dns_safe_and_reported(releases: ReleaseSetup, namespace: str) -> None:
    body = {"namespace": namespace, "chartRef": releases.ref("1.0.0")}
    response = releases.ok("grpc", "CreateRelease", body)
    name = response["name"]
    assert name.startswith("demo-") and len(name) <= 53
    assert releases.revisions(namespace, name) == ["1:deployed"]


def test_missing_namespace_is_created(releases: ReleaseSetup) -> None:
    namespace = f"t-created-{secrets.token_hex(3)}"
    body = {"namespace": namespace, "name": "fresh", "chartRef": releases.ref("1.0.0")}
    try:
        assert releases.ok("connect-json", "CreateRelease", body)["namespace"] == namespace
        assert releases.kube_get(f"/api/v1/namespaces/{namespace}").status_code == 200
    finally:
        with releases.devcluster.http_client() as kube:
            kube.delete(f"/api/v1/namespaces/{namespace}")


def test_empty_namespace_means_default(releases: ReleaseSetup) -> None:
    name = f"dflt-{secrets.token_hex(3)}"
    body = {"name": name, "chartRef": releases.ref("1.0.0")}
    try:
        assert releases.ok("connect-json", "CreateRelease", body)["namespace"] == "default"
        assert releases.revisions("default", name) == ["1:deployed"]
    finally:
        releases.ok("connect-json", "DeleteRelease", {"name": name})
    assert releases.revisions("default", name) == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_dry_run_returns_the_manifest_and_stores_nothing(
    releases: ReleaseSetup, namespace: str, transport: str
) -> None:
    body = {"namespace": namespace, "name": "preview", "chartRef": releases.ref("1.0.0"), "dryRun": True}
    response = releases.ok(transport, "CreateRelease", body)
    assert response["revision"] == 1
    assert "name: preview-cm" in response["manifest"]
    assert response["description"] == "Dry run complete"
    assert releases.revisions(namespace, "preview") == []
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/configmaps/preview-cm").status_code == 404


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_invalid_name_is_a_field_violation(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    body = {"namespace": namespace, "name": "Bad_Name", "chartRef": releases.ref("1.0.0")}
    outcome = releases.call(transport, "CreateRelease", body)
    assert outcome.code == "invalid_argument"
    assert outcome.field_violations == ["name"]
    assert "release name" in outcome.message


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_values_yaml_must_be_a_mapping(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    body = {
        "namespace": namespace,
        "name": "listy",
        "chartRef": releases.ref("1.0.0"),
        "valuesYaml": "# a list\n  - a\n  - b\n",
    }
    outcome = releases.call(transport, "CreateRelease", body)
    assert outcome.code == "invalid_argument"
    assert outcome.field_violations == ["values_yaml"]
    assert "line 2, column 3" in outcome.message


def test_malformed_values_yaml_names_the_line(releases: ReleaseSetup, namespace: str) -> None:
    body = {
        "namespace": namespace,
        "name": "broken",
        "chartRef": releases.ref("1.0.0"),
        "valuesYaml": "a: 1\n b: 2\n",
    }
    outcome = releases.call("connect-json", "CreateRelease", body)
    assert outcome.code == "invalid_argument"
    assert outcome.field_violations == ["values_yaml"]
    assert "line 2" in outcome.message


def test_name_in_use_is_already_exists(releases: ReleaseSetup, namespace: str) -> None:
    body = {"namespace": namespace, "name": "twice", "chartRef": releases.ref("1.0.0")}
    releases.ok("connect-json", "CreateRelease", body)
    for transport in TRANSPORTS:
        assert releases.call(transport, "CreateRelease", body).code == "already_exists"
    assert releases.revisions(namespace, "twice") == ["1:deployed"]


def test_unknown_chart_is_not_found(releases: ReleaseSetup, namespace: str) -> None:
    ref = f"oci://{releases.registry.host}/charts/nothing:1.0.0"
    outcome = releases.call(
        "connect-json", "CreateRelease", {"namespace": namespace, "name": "x", "chartRef": ref}
    )
    assert outcome.code == "not_found", outcome


def test_missing_chart_ref_is_a_field_violation(releases: ReleaseSetup, namespace: str) -> None:
    outcome = releases.call("connect-json", "CreateRelease", {"namespace": namespace, "name": "x"})
    assert outcome.code == "invalid_argument"
    assert outcome.field_violations == ["chart_ref"]


def test_rbac_denial_is_permission_denied(releases: ReleaseSetup, namespace: str) -> None:
    body = {"namespace": namespace, "name": "denied", "chartRef": releases.ref("1.0.0")}
    for transport in TRANSPORTS:
        outcome = releases.call(transport, "CreateRelease", body, token=ALICE_TOKEN)
        assert outcome.code == "permission_denied", outcome
        assert 'User "alice" cannot' in outcome.message
        assert 'resource "' in outcome.message
    assert releases.call("connect-json", "ListReleases", {}, token=ALICE_TOKEN).code == "permission_denied"


# --- ListReleases ----------------------------------------------------------------------------


def test_list_latest_revision_by_name_then_namespace_without_system_releases(
    releases: ReleaseSetup, make_namespace: Any
) -> None:
    first, second = make_namespace(), make_namespace()
    ref = releases.ref("1.0.0")
    tag = secrets.token_hex(3)
    names = [f"list-b-{tag}", f"list-a-{tag}"]
    for ns in (second, first):
        for name in names:
            releases.ok("connect-json", "CreateRelease", {"namespace": ns, "name": name, "chartRef": ref})
    releases.ok(
        "connect-json",
        "UpdateRelease",
        {"namespace": first, "name": names[1], "chartRef": releases.ref("1.1.0")},
    )
    system = f"list-sys-{tag}"
    releases.ok("connect-json", "CreateRelease", {"namespace": first, "name": system, "chartRef": ref})
    with releases.devcluster.http_client() as kube:
        kube.patch(
            f"/api/v1/namespaces/{first}/secrets/sh.helm.release.v1.{system}.v1",
            json={"metadata": {"labels": {"otterscale.com/type": "system"}}},
            headers={"content-type": "application/merge-patch+json"},
        ).raise_for_status()
    for transport in TRANSPORTS:
        listed = releases.ok(transport, "ListReleases", {}).get("releases", [])
        mine = [r for r in listed if r["name"].endswith(tag)]
        assert [(r["name"], r["namespace"], r["revision"]) for r in mine] == sorted(
            [
                (names[1], first, 2),
                (names[1], second, 1),
                (names[0], first, 1),
                (names[0], second, 1),
            ]
        )
        assert {r["status"] for r in mine} == {"deployed"}
        upgraded = [r for r in mine if r["revision"] == 2]
        assert [r["version"]["chartVersion"] for r in upgraded] == ["1.1.0"]
        assert all("updatedAt" in r for r in mine)


# --- UpdateRelease, RollbackRelease, DeleteRelease -------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_update_rollback_delete(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    first, second = releases.ref("1.0.0"), releases.ref("1.1.0")
    target = {"namespace": namespace, "name": "cycle"}
    releases.ok(transport, "CreateRelease", {**target, "chartRef": first, "valuesYaml": "message: one\n"})
    assert releases.call(transport, "RollbackRelease", target).code == "failed_precondition"

    updated = releases.ok(
        transport, "UpdateRelease", {**target, "chartRef": second, "valuesYaml": "message: two\n"}
    )
    assert _without_time(updated) == _expected_release(
        namespace,
        "cycle",
        2,
        second,
        status="deployed",
        description="Upgrade complete",
        notes="Installed cycle revision 2.\n",
    )
    assert releases.config_map_values(namespace, "cycle")["message"] == "two"

    # No chart_ref: the stored reference; no values: the previous user values (Helm's reuse rule).
    reused = releases.ok(transport, "UpdateRelease", {**target, "valuesYaml": ""})
    assert reused["revision"] == 3 and reused["version"]["chartRef"].startswith(f"{second}@sha256:")
    assert releases.config_map_values(namespace, "cycle")["message"] == "two"

    preview = releases.ok(
        transport, "UpdateRelease", {**target, "valuesYaml": "message: three\n", "dryRun": True}
    )
    assert preview["revision"] == 4 and 'message: "three"' in preview["manifest"]
    assert releases.revisions(namespace, "cycle") == ["1:superseded", "2:superseded", "3:deployed"]

    assert releases.ok(transport, "RollbackRelease", {**target, "dryRun": True}) == {}
    assert releases.revisions(namespace, "cycle") == ["1:superseded", "2:superseded", "3:deployed"]
    assert releases.ok(transport, "RollbackRelease", target) == {}
    assert releases.revisions(namespace, "cycle") == [
        "1:superseded",
        "2:superseded",
        "3:superseded",
        "4:deployed",
    ]
    assert releases.config_map_values(namespace, "cycle")["message"] == "two"

    assert releases.ok(transport, "DeleteRelease", {**target, "dryRun": True}) == {}
    assert releases.revisions(namespace, "cycle") != []
    assert releases.ok(transport, "DeleteRelease", target) == {}
    assert releases.revisions(namespace, "cycle") == []
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/configmaps/cycle-cm").status_code == 404


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unknown_release_is_not_found(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    target = {"namespace": namespace, "name": "ghost"}
    assert releases.call(transport, "DeleteRelease", target).code == "not_found"
    assert releases.call(transport, "RollbackRelease", target).code == "not_found"
    assert releases.call(transport, "UpdateRelease", target).code == "not_found"
    with_ref = {**target, "chartRef": releases.ref("1.0.0")}
    assert releases.call(transport, "UpdateRelease", with_ref).code == "not_found"


def test_rollback_skips_failed_revisions(releases: ReleaseSetup, namespace: str) -> None:
    """The target is the most recent earlier revision that deployed, not merely N-1."""
    target = {"namespace": namespace, "name": "flaky"}
    body = {**target, "chartRef": releases.ref("1.0.0"), "valuesYaml": "message: good\n"}
    releases.ok("connect-json", "CreateRelease", body)
    for _ in range(2):
        refused = releases.call("connect-json", "UpdateRelease", {**target, "valuesYaml": "refused: true\n"})
        assert refused.code == "invalid_argument", refused
        assert "Not_Valid" in refused.message
    assert releases.revisions(namespace, "flaky")[1:] == ["2:failed", "3:failed"]
    assert releases.ok("connect-json", "RollbackRelease", target) == {}
    assert releases.revisions(namespace, "flaky")[-1] == "4:deployed"
    assert releases.config_map_values(namespace, "flaky")["message"] == "good"


def test_busy_release_is_failed_precondition(releases: ReleaseSetup, namespace: str) -> None:
    target = {"namespace": namespace, "name": "busy"}
    releases.ok("connect-json", "CreateRelease", {**target, "chartRef": releases.ref("1.0.0")})
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    lease = {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "otterhelm.release.busy"},
        "spec": {"holderIdentity": "another-replica", "leaseDurationSeconds": 300, "renewTime": now},
    }
    with releases.devcluster.http_client() as kube:
        kube.post(
            f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases", json=lease
        ).raise_for_status()
    for method, body in (
        ("UpdateRelease", {**target, "valuesYaml": "message: other\n"}),
        ("RollbackRelease", target),
        ("DeleteRelease", target),
    ):
        for transport in TRANSPORTS:
            outcome = releases.call(transport, method, body)
            assert outcome.code == "failed_precondition", (method, outcome)
            assert "in progress for release busy" in outcome.message
    assert releases.revisions(namespace, "busy") == ["1:deployed"]


def test_unreachable_registry_is_unavailable(releases: ReleaseSetup, namespace: str) -> None:
    ref = f"oci://127.0.0.1:{free_port()}/charts/demo:1.0.0"
    outcome = releases.call(
        "connect-json", "CreateRelease", {"namespace": namespace, "name": "far", "chartRef": ref}
    )
    assert outcome.code == "unavailable", outcome
    assert releases.revisions(namespace, "far") == []


def test_concurrent_creates_of_one_name_store_one_revision(releases: ReleaseSetup, namespace: str) -> None:
    """On one service (the two-replica version is separate work): one request wins, the rest
    are told the name is taken or that they lost the race."""
    body = {"namespace": namespace, "name": "racy", "chartRef": releases.ref("1.0.0")}
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: releases.call("connect-json", "CreateRelease", body), range(8)))
    codes = sorted(str(o.code) for o in outcomes)
    assert codes.count("None") == 1, outcomes
    assert set(codes) - {"None"} <= {"already_exists", "aborted"}, outcomes
    assert releases.revisions(namespace, "racy") == ["1:deployed"]


def test_unknown_scope_is_not_found(releases: ReleaseSetup, namespace: str) -> None:
    body = {"scope": "elsewhere", "namespace": namespace, "name": "x", "chartRef": releases.ref("1.0.0")}
    outcome = releases.call("connect-json", "CreateRelease", body)
    assert outcome.code == "not_found"
    assert "elsewhere" in outcome.message


@pytest.mark.parametrize("transport", ALL_TRANSPORTS)
def test_list_releases_over_every_client(
    releases: ReleaseSetup, call: Caller, namespace: str, transport: str
) -> None:
    """Installed through one `otterhelm serve`, listed through another by every client the
    contract names (Connect, gRPC, gRPC-Web, `buf curl`, the generated TypeScript client)."""
    name = f"everywhere-{namespace[-6:]}"
    releases.ok(
        "connect-json",
        "CreateRelease",
        {"namespace": namespace, "name": name, "chartRef": releases.ref("1.0.0")},
    )
    outcome = call(transport, "ListReleases", {}, ADMIN_TOKEN)
    assert outcome.code is None, outcome
    assert outcome.response is not None
    mine = [r for r in outcome.response.get("releases", []) if r["name"] == name]
    assert len(mine) == 1
    assert _without_time(mine[0]) == _expected_release(
        namespace,
        name,
        1,
        releases.ref("1.0.0"),
        status="deployed",
        description="Install complete",
        notes=f"Installed {name} revision 1.\n",
    )
