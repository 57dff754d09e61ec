"""CreateRelease dry runs into a namespace that does not exist yet, end to end.

`helm install --dry-run=server --create-namespace` succeeds there; otterhelm's dry run does
too, and still has the API server validate what it can: the Namespace itself, cluster-scoped
objects and objects in namespaces that exist. The objects inside the new namespace are listed
as not validated by the API server."""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from otterhelm.devcluster import DevCluster

from ..sources.conftest import build_chart, start_registry
from .conftest import ALICE_TOKEN
from .test_releases import ReleaseSetup, _push, _release_service

TRANSPORTS = ("connect-json", "connect-binary", "grpc")

SPREAD_TEMPLATES = {
    "templates/configmap.yaml": (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
        b"data:\n  message: {{ .Values.message | quote }}\n"
    ),
    "templates/secret.yaml": (
        b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-secret\n"
        b"stringData:\n  token: t0ken\n"
    ),
    # Cluster-scoped; with badRole it breaks an RBAC rule (a rule needs verbs).
    "templates/role.yaml": (
        b"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
        b"  name: {{ .Release.Namespace }}-{{ .Release.Name }}-reader\nrules:\n"
        b'- apiGroups: [""]\n  resources: [configmaps]\n'
        b"  verbs: {{ if .Values.badRole }}[]{{ else }}[get]{{ end }}\n"
    ),
    # An object the chart puts in another namespace (one that exists, or not).
    "templates/elsewhere.yaml": (
        b"{{- with .Values.elsewhere }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        b"  name: {{ $.Release.Name }}-elsewhere\n  namespace: {{ . }}\n"
        b"data:\n  {{ $.Values.elsewhereKey }}: x\n{{- end }}\n"
    ),
    "values.yaml": b"message: hello\nbadRole: false\nelsewhere: ''\nelsewhereKey: ok\n",
}
SPREAD = build_chart("spread", "1.0.0", app_version="1.0", extra=SPREAD_TEMPLATES)


@pytest.fixture(scope="module")
def releases(devcluster: DevCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReleaseSetup]:
    work = tmp_path_factory.mktemp("releases-dry-run")
    registry, cleanups = start_registry(work / "registry")
    try:
        asyncio.run(_push(registry, SPREAD))
        with _release_service(work, devcluster.kubeconfig, registry) as service:
            yield ReleaseSetup(service, registry, devcluster)
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


def spread_ref(releases: ReleaseSetup) -> str:
    return f"oci://{releases.registry.host}/charts/spread:1.0.0"


def missing_namespace() -> str:
    return f"t-missing-{secrets.token_hex(4)}"


def assert_nothing_created(releases: ReleaseSetup, namespace: str, name: str) -> None:
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}").status_code == 404
    assert releases.revisions(namespace, name) == []
    role = f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{namespace}-{name}-reader"
    assert releases.kube_get(role).status_code == 404


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_dry_run_into_a_missing_namespace_succeeds_and_lists_what_the_server_could_not_check(
    releases: ReleaseSetup, transport: str
) -> None:
    namespace = missing_namespace()
    body = {"namespace": namespace, "name": "early", "chartRef": spread_ref(releases), "dryRun": True}
    response = releases.ok(transport, "CreateRelease", body)
    assert (response["namespace"], response["revision"]) == (namespace, 1)
    assert response["description"] == "Dry run complete"
    assert "name: early-cm" in response["manifest"] and "kind: ClusterRole" in response["manifest"]
    assert response["unvalidatedObjects"] == [
        f"Secret/{namespace}/early-secret",
        f"ConfigMap/{namespace}/early-cm",
    ]
    assert_nothing_created(releases, namespace, "early")


def test_objects_outside_the_new_namespace_are_still_validated_by_the_api_server(
    releases: ReleaseSetup, namespace: str
) -> None:
    missing = missing_namespace()
    base = {"namespace": missing, "name": "strict", "chartRef": spread_ref(releases), "dryRun": True}

    refused_role = releases.call("connect-json", "CreateRelease", {**base, "valuesYaml": "badRole: true\n"})
    assert refused_role.code == "invalid_argument", refused_role
    assert "verbs" in refused_role.message

    # An object in a namespace that exists is dry-run there and refused when invalid.
    elsewhere = f"elsewhere: {namespace}\n"
    accepted = releases.ok("connect-json", "CreateRelease", {**base, "valuesYaml": elsewhere})
    assert f"ConfigMap/{namespace}/strict-elsewhere" not in accepted["unvalidatedObjects"]
    assert len(accepted["unvalidatedObjects"]) == 2
    refused_key = releases.call(
        "connect-json", "CreateRelease", {**base, "valuesYaml": elsewhere + "elsewhereKey: not/a/key\n"}
    )
    assert refused_key.code == "invalid_argument", refused_key
    assert "not/a/key" in refused_key.message

    # Another namespace that does not exist is not created by the install: not found, as the
    # install itself would fail.
    other = missing_namespace()
    absent = releases.call("connect-json", "CreateRelease", {**base, "valuesYaml": f"elsewhere: {other}\n"})
    assert absent.code == "not_found", absent
    assert other in absent.message
    assert_nothing_created(releases, missing, "strict")
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/configmaps/strict-elsewhere").status_code == 404


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_namespace_itself_is_dry_run(releases: ReleaseSetup, transport: str) -> None:
    body = {"namespace": "Not_A_Namespace", "name": "x", "chartRef": spread_ref(releases), "dryRun": True}
    invalid = releases.call(transport, "CreateRelease", body)
    assert invalid.code == "invalid_argument", invalid
    assert "Not_A_Namespace" in invalid.message

    namespace = missing_namespace()
    denied = releases.call(
        transport,
        "CreateRelease",
        {"namespace": namespace, "name": "x", "chartRef": spread_ref(releases), "dryRun": True},
        token=ALICE_TOKEN,
    )
    assert denied.code == "permission_denied", denied
    assert 'cannot create resource "namespaces"' in denied.message
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}").status_code == 404


def test_existing_namespace_dry_run_validates_everything(releases: ReleaseSetup, namespace: str) -> None:
    body = {"namespace": namespace, "name": "here", "chartRef": spread_ref(releases), "dryRun": True}
    response = releases.ok("grpc", "CreateRelease", body)
    assert "unvalidatedObjects" not in response
    assert response["description"] == "Dry run complete"
    assert releases.revisions(namespace, "here") == []


def test_same_outcome_as_helm_dry_run_server_with_create_namespace(
    releases: ReleaseSetup, helm_binary: Path, helm_env: dict[str, str], tmp_path: Path
) -> None:
    """helm succeeds where the namespace is missing and prints the same manifest; neither creates it."""
    namespace = missing_namespace()
    archive = tmp_path / "spread-1.0.0.tgz"
    archive.write_bytes(SPREAD)
    result = subprocess.run(
        [
            str(helm_binary),
            "install",
            "twin",
            str(archive),
            "-n",
            namespace,
            "--create-namespace",
            "--dry-run=server",
            "-o",
            "json",
        ],
        env=helm_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    helm_release = json.loads(result.stdout)
    body = {"namespace": namespace, "name": "twin", "chartRef": spread_ref(releases), "dryRun": True}
    response = releases.ok("connect-json", "CreateRelease", body)
    assert response["manifest"] == helm_release["manifest"]
    assert response["description"] == helm_release["info"]["description"] == "Dry run complete"
    assert_nothing_created(releases, namespace, "twin")


def test_the_real_install_after_the_dry_run_creates_the_namespace(releases: ReleaseSetup) -> None:
    namespace = missing_namespace()
    body = {"namespace": namespace, "name": "then", "chartRef": spread_ref(releases)}
    try:
        preview = releases.ok("connect-json", "CreateRelease", {**body, "dryRun": True})
        installed = releases.ok("connect-json", "CreateRelease", body)
        assert "unvalidatedObjects" not in installed
        assert releases.revisions(namespace, "then") == ["1:deployed"]
        assert releases.kube_get(f"/api/v1/namespaces/{namespace}/secrets/then-secret").status_code == 200
        stored = releases.ok("connect-json", "GetRelease", {"namespace": namespace, "name": "then"})
        assert stored["release"]["manifest"] == preview["manifest"]
    finally:
        with releases.devcluster.http_client() as kube:
            kube.delete(f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{namespace}-then-reader")
            kube.delete(f"/api/v1/namespaces/{namespace}")
