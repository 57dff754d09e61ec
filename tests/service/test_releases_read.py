"""GetRelease, ListReleaseHistory and DiffRelease end to end: `otterhelm serve` in front of the
devcluster, charts from a real local OCI registry, called over Connect JSON, Connect binary
and gRPC (and, for one release, over every client of the contract)."""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from otterhelm.devcluster import DevCluster

from ..sources.conftest import build_chart, start_registry
from .conftest import ADMIN_TOKEN, ALICE_TOKEN, caller_for
from .conftest import TRANSPORTS as ALL_TRANSPORTS
from .test_releases import ReleaseSetup, _push, _release_service

TRANSPORTS = ("connect-json", "connect-binary", "grpc")

# A chart whose objects come and go with its values: an always-present ConfigMap, a Service,
# a ConfigMap that asks to be kept, a cluster-scoped ClusterRole, and a post-install hook.
SHAPES_TEMPLATES = {
    "templates/configmap.yaml": (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
        b"data:\n  message: {{ .Values.message | quote }}\n"
    ),
    "templates/service.yaml": (
        b"{{- if .Values.service }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"
        b"spec:\n  ports:\n  - port: {{ .Values.port }}\n{{- end }}\n"
    ),
    "templates/kept.yaml": (
        b"{{- if .Values.kept }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        b"  name: {{ .Release.Name }}-kept\n  annotations:\n    helm.sh/resource-policy: keep\n"
        b"data: {}\n{{- end }}\n"
    ),
    "templates/role.yaml": (
        b"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
        b"  name: {{ .Release.Namespace }}-{{ .Release.Name }}-reader\nrules: []\n"
    ),
    "templates/hook.yaml": (
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n"
        b'    "helm.sh/hook": post-install,post-upgrade\n    "helm.sh/hook-weight": "5"\n'
        b'    "helm.sh/hook-delete-policy": before-hook-creation\ndata: {}\n'
    ),
    "templates/NOTES.txt": b"{{ .Release.Name }} says {{ .Values.message }}.\n",
    # An object the API server refuses (not a DNS subdomain): a dry run that fails validation.
    "templates/refused.yaml": (
        b"{{- if .Values.refused }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n{{- end }}\n"
    ),
    "values.yaml": b"message: hello\nport: 80\nservice: false\nkept: false\nrefused: false\n",
}
SHAPES = build_chart("shapes", "2.0.0", app_version="9.9", extra=SHAPES_TEMPLATES)
SHAPES_NEXT = build_chart("shapes", "2.1.0", app_version="9.10", extra=SHAPES_TEMPLATES)


@pytest.fixture(scope="module")
def releases(devcluster: DevCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReleaseSetup]:
    work = tmp_path_factory.mktemp("releases-read")
    registry, cleanups = start_registry(work / "registry")
    try:
        for archive in (SHAPES, SHAPES_NEXT):
            asyncio.run(_push(registry, archive))
        with _release_service(work, devcluster.kubeconfig, registry) as service:
            yield ReleaseSetup(service, registry, devcluster)
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


def shapes_ref(releases: ReleaseSetup, version: str = "2.0.0") -> str:
    return f"oci://{releases.registry.host}/charts/shapes:{version}"


def install(releases: ReleaseSetup, namespace: str, name: str, values: str, version: str = "2.0.0") -> None:
    body = {
        "namespace": namespace,
        "name": name,
        "chartRef": shapes_ref(releases, version),
        "valuesYaml": values,
    }
    releases.ok("connect-json", "CreateRelease", body)


def update(releases: ReleaseSetup, namespace: str, name: str, values: str, version: str = "2.0.0") -> None:
    body = {
        "namespace": namespace,
        "name": name,
        "chartRef": shapes_ref(releases, version),
        "valuesYaml": values,
    }
    releases.ok("connect-json", "UpdateRelease", body)


# --- GetRelease ------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_latest_revision_with_values_manifest_notes_and_hooks(
    releases: ReleaseSetup, namespace: str, transport: str
) -> None:
    install(releases, namespace, "got", "message: one\nservice: true\n")
    update(releases, namespace, "got", "message: two\n", "2.1.0")

    got = releases.ok(transport, "GetRelease", {"namespace": namespace, "name": "got"})
    release = got["release"]
    assert (release["name"], release["namespace"], release["revision"]) == ("got", namespace, 2)
    assert release["status"] == "deployed"
    assert release["description"] == "Upgrade complete"
    assert release["chartName"] == "shapes"
    assert release["version"]["chartVersion"] == "2.1.0"
    assert release["version"]["applicationVersion"] == "9.10"
    assert release["version"]["chartRef"].startswith(shapes_ref(releases, "2.1.0") + "@sha256:")
    assert release["notes"] == "got says two.\n"
    assert 'message: "two"' in release["manifest"]
    assert "kind: Service" not in release["manifest"]  # the new values have no service
    assert "got-hook" not in release["manifest"]  # hooks are not part of the manifest
    assert got["valuesYaml"] == "message: two\n"
    assert "computedValuesYaml" not in got
    assert got["firstDeployedAt"] <= release["updatedAt"]
    (hook,) = got["hooks"]
    assert {k: v for k, v in hook.items() if not k.startswith("lastRunS") and k != "lastRunCompletedAt"} == {
        "name": "got-hook",
        "kind": "ConfigMap",
        "path": "shapes/templates/hook.yaml",
        "events": ["post-install", "post-upgrade"],
        "weight": 5,
        "deletePolicies": ["before-hook-creation"],
        "lastRunPhase": "Succeeded",
    }
    assert hook["lastRunStartedAt"] <= hook["lastRunCompletedAt"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_an_earlier_revision_and_computed_values(
    releases: ReleaseSetup, namespace: str, transport: str
) -> None:
    install(releases, namespace, "older", "message: one\nservice: true\n")
    update(releases, namespace, "older", "message: two\n")

    got = releases.ok(
        transport,
        "GetRelease",
        {"namespace": namespace, "name": "older", "revision": 1, "computedValues": True},
    )
    release = got["release"]
    assert (release["revision"], release["status"], release["description"]) == (
        1,
        "superseded",
        "Install complete",
    )
    assert release["notes"] == "older says one.\n"
    assert "kind: Service" in release["manifest"]
    assert got["valuesYaml"] == "message: one\nservice: true\n"
    # Chart defaults under the user's values, as `helm get values --all` shows them.
    assert yaml.safe_load(got["computedValuesYaml"]) == {
        "kept": False,
        "message": "one",
        "port": 80,
        "refused": False,
        "service": True,
    }


def test_get_matches_helm_get(
    releases: ReleaseSetup, namespace: str, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    """The same values, computed values, manifest and notes that helm v4 reads from the record."""
    install(releases, namespace, "same", "message: shared\nport: 8080\nservice: true\n")
    got = releases.ok(
        "connect-json", "GetRelease", {"namespace": namespace, "name": "same", "computedValues": True}
    )

    def helm(*args: str) -> str:
        result = subprocess.run(
            [str(helm_binary), *args, "same", "-n", namespace],
            env=helm_env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return result.stdout

    assert yaml.safe_load(got["valuesYaml"]) == json.loads(helm("get", "values", "-o", "json"))
    assert yaml.safe_load(got["computedValuesYaml"]) == json.loads(
        helm("get", "values", "--all", "-o", "json")
    )
    # helm prints the manifest and the notes with a line feed after them (fmt.Fprintln).
    assert helm("get", "manifest") == got["release"]["manifest"] + "\n"
    assert helm("get", "notes") == f"NOTES:\n{got['release']['notes']}\n"


def test_get_release_without_user_values_has_empty_values(releases: ReleaseSetup, namespace: str) -> None:
    install(releases, namespace, "plain", "")
    got = releases.ok("grpc", "GetRelease", {"namespace": namespace, "name": "plain", "computedValues": True})
    assert "valuesYaml" not in got or got["valuesYaml"] == ""
    assert yaml.safe_load(got["computedValuesYaml"])["message"] == "hello"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_release_errors(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    install(releases, namespace, "known", "")
    ghost = releases.call(transport, "GetRelease", {"namespace": namespace, "name": "ghost"})
    assert ghost.code == "not_found", ghost
    assert f'release "ghost" not found in namespace "{namespace}"' in ghost.message

    missing = releases.call(transport, "GetRelease", {"namespace": namespace, "name": "known", "revision": 7})
    assert missing.code == "not_found", missing
    assert "no revision 7" in missing.message

    negative = releases.call(
        transport, "GetRelease", {"namespace": namespace, "name": "known", "revision": -1}
    )
    assert (negative.code, negative.field_violations) == ("invalid_argument", ["revision"])

    bad = releases.call(transport, "GetRelease", {"namespace": namespace, "name": "Bad_Name"})
    assert (bad.code, bad.field_violations) == ("invalid_argument", ["name"])

    denied = releases.call(
        transport, "GetRelease", {"namespace": namespace, "name": "known"}, token=ALICE_TOKEN
    )
    assert denied.code == "permission_denied", denied
    assert 'User "alice" cannot' in denied.message


# --- ListReleaseHistory ----------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_history_newest_first_with_max(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    install(releases, namespace, "hist", "message: one\n")
    update(releases, namespace, "hist", "message: two\n", "2.1.0")
    refused = releases.call(
        "connect-json",
        "UpdateRelease",
        {"namespace": namespace, "name": "hist", "valuesYaml": "refused: true\n"},
    )
    assert refused.code == "invalid_argument", refused
    releases.ok("connect-json", "RollbackRelease", {"namespace": namespace, "name": "hist"})

    listed = releases.ok(transport, "ListReleaseHistory", {"namespace": namespace, "name": "hist"})[
        "releases"
    ]
    rows = [
        (
            r["revision"],
            r["status"],
            r["version"]["chartVersion"],
            r["version"]["applicationVersion"],
            r["description"],
        )
        for r in listed
    ]
    assert rows == [
        (4, "deployed", "2.1.0", "9.10", "Rollback to 2"),
        (3, "failed", "2.1.0", "9.10", rows[1][4]),
        (2, "superseded", "2.1.0", "9.10", "Upgrade complete"),
        (1, "superseded", "2.0.0", "9.9", "Install complete"),
    ]
    assert rows[1][4].startswith('Upgrade "hist" failed: ')
    assert all(
        r["name"] == "hist" and r["namespace"] == namespace and r["chartName"] == "shapes" for r in listed
    )
    assert all("manifest" not in r for r in listed)
    stamps = [r["updatedAt"] for r in listed]
    assert stamps == sorted(stamps, reverse=True)

    newest = releases.ok(transport, "ListReleaseHistory", {"namespace": namespace, "name": "hist", "max": 2})
    assert [r["revision"] for r in newest["releases"]] == [4, 3]


def test_history_matches_helm_history(
    releases: ReleaseSetup, namespace: str, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    """The rows `helm history --max 2 -o json` prints (the newest two, which helm lists oldest
    first), newest first."""
    install(releases, namespace, "rows", "message: one\n")
    update(releases, namespace, "rows", "message: two\n", "2.1.0")
    update(releases, namespace, "rows", "message: three\n")
    result = subprocess.run(
        [str(helm_binary), "history", "rows", "-n", namespace, "--max", "2", "-o", "json"],
        env=helm_env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    expected = [
        (row["revision"], row["status"], row["chart"], row["app_version"], row["description"])
        for row in reversed(json.loads(result.stdout))
    ]
    listed = releases.ok("grpc", "ListReleaseHistory", {"namespace": namespace, "name": "rows", "max": 2})[
        "releases"
    ]
    assert [
        (
            r["revision"],
            r["status"],
            f"{r['chartName']}-{r['version']['chartVersion']}",
            r["version"]["applicationVersion"],
            r["description"],
        )
        for r in listed
    ] == expected
    assert [row[0] for row in expected] == [3, 2]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_history_errors(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    install(releases, namespace, "known", "")
    ghost = releases.call(transport, "ListReleaseHistory", {"namespace": namespace, "name": "ghost"})
    assert ghost.code == "not_found", ghost
    negative = releases.call(
        transport, "ListReleaseHistory", {"namespace": namespace, "name": "known", "max": -1}
    )
    assert (negative.code, negative.field_violations) == ("invalid_argument", ["max"])
    bad = releases.call(transport, "ListReleaseHistory", {"namespace": namespace, "name": ""})
    assert (bad.code, bad.field_violations) == ("invalid_argument", ["name"])
    denied = releases.call(
        transport, "ListReleaseHistory", {"namespace": namespace, "name": "known"}, token=ALICE_TOKEN
    )
    assert denied.code == "permission_denied", denied


# --- DiffRelease -----------------------------------------------------------------------------


def _changes(response: dict[str, Any]) -> list[tuple[str, str, str, str, bool]]:
    return [
        (o["kind"], o.get("namespace", ""), o["name"], o["action"], o.get("kept", False))
        for o in response.get("objects", [])
    ]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_diff_reports_each_object_and_changes_nothing(
    releases: ReleaseSetup, namespace: str, transport: str
) -> None:
    install(releases, namespace, "dif", "message: one\nservice: true\nkept: true\n")
    before = releases.revisions(namespace, "dif")
    request = {
        "namespace": namespace,
        "name": "dif",
        "chartRef": shapes_ref(releases, "2.1.0"),
        "valuesYaml": "message: two\nkept: false\nservice: false\n",
    }
    response = releases.ok(transport, "DiffRelease", request)
    assert (response["currentRevision"], response["revision"]) == (1, 2)
    role = f"{namespace}-dif-reader"
    assert _changes(response) == [
        ("ConfigMap", namespace, "dif-cm", "ACTION_CHANGED", False),
        ("ClusterRole", "", role, "ACTION_UNCHANGED", False),
        ("ConfigMap", namespace, "dif-kept", "ACTION_REMOVED", True),
        ("Service", namespace, "dif", "ACTION_REMOVED", False),
    ]
    changed, unchanged, kept, service = response["objects"]
    assert changed["apiVersion"] == "v1"
    assert changed["diff"].startswith(
        f"--- revision 1/{namespace}/ConfigMap/dif-cm\n+++ revision 2/{namespace}/ConfigMap/dif-cm\n"
    )
    assert "-  message: one\n+  message: two\n" in changed["diff"]
    assert unchanged["apiVersion"] == "rbac.authorization.k8s.io/v1"
    assert "diff" not in unchanged or unchanged["diff"] == ""
    assert "-kind: Service\n" in service["diff"] and "+" not in service["diff"].split("@@", 2)[2]
    assert "helm.sh/resource-policy: keep" in kept["diff"]

    # Nothing happened: same records, the Service still there, the ConfigMap still says one.
    assert releases.revisions(namespace, "dif") == before
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/services/dif").status_code == 200
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/configmaps/dif-cm").json()["data"] == {
        "message": "one"
    }

    # The UpdateRelease of the same request does what the diff said.
    updated = releases.ok(transport, "UpdateRelease", request)
    assert updated["revision"] == response["revision"]
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/services/dif").status_code == 404
    assert releases.kube_get(f"/api/v1/namespaces/{namespace}/configmaps/dif-kept").status_code == 200
    again = releases.ok(transport, "DiffRelease", request)
    assert (again["currentRevision"], again["revision"]) == (2, 3)
    assert {o["action"] for o in again["objects"]} == {"ACTION_UNCHANGED"}


def test_diff_adds_objects_and_reuses_values_and_chart_like_update(
    releases: ReleaseSetup, namespace: str
) -> None:
    install(releases, namespace, "grow", "message: same\n")
    # No chart_ref: the stored reference; empty values: the previous values (Helm's reuse rule).
    reused = releases.ok("connect-json", "DiffRelease", {"namespace": namespace, "name": "grow"})
    assert {o["action"] for o in reused["objects"]} == {"ACTION_UNCHANGED"}
    grown = releases.ok(
        "connect-json",
        "DiffRelease",
        {"namespace": namespace, "name": "grow", "valuesYaml": "service: true\nport: 81\n"},
    )
    added = [o for o in grown["objects"] if o["action"] == "ACTION_ADDED"]
    assert [(o["kind"], o["name"]) for o in added] == [("Service", "grow")]
    assert "+  - port: 81\n" in added[0]["diff"]
    assert all(line.startswith("+") for line in added[0]["diff"].splitlines()[3:])


def test_diff_starts_from_the_deployed_revision_past_a_failed_one(
    releases: ReleaseSetup, namespace: str
) -> None:
    install(releases, namespace, "fell", "message: good\n")
    refused = releases.call(
        "connect-json",
        "UpdateRelease",
        {"namespace": namespace, "name": "fell", "valuesYaml": "refused: true\n"},
    )
    assert refused.code == "invalid_argument", refused
    response = releases.ok(
        "grpc", "DiffRelease", {"namespace": namespace, "name": "fell", "valuesYaml": "message: better\n"}
    )
    assert (response["currentRevision"], response["revision"]) == (1, 3)
    assert [o["action"] for o in response["objects"] if o["name"] == "fell-cm"] == ["ACTION_CHANGED"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_diff_errors(releases: ReleaseSetup, namespace: str, transport: str) -> None:
    install(releases, namespace, "known", "")
    target = {"namespace": namespace, "name": "known"}
    ghost = releases.call(transport, "DiffRelease", {"namespace": namespace, "name": "ghost"})
    assert ghost.code == "not_found", ghost
    ghost_with_ref = releases.call(
        transport, "DiffRelease", {"namespace": namespace, "name": "ghost", "chartRef": shapes_ref(releases)}
    )
    assert ghost_with_ref.code == "not_found", ghost_with_ref
    bad = releases.call(transport, "DiffRelease", {"namespace": namespace, "name": "Bad_Name"})
    assert (bad.code, bad.field_violations) == ("invalid_argument", ["name"])
    listy = releases.call(transport, "DiffRelease", {**target, "valuesYaml": "- a\n"})
    assert (listy.code, listy.field_violations) == ("invalid_argument", ["values_yaml"])
    # The API server's own dry run refuses an object: the diff fails as the update would.
    refused = releases.call(transport, "DiffRelease", {**target, "valuesYaml": "refused: true\n"})
    assert refused.code == "invalid_argument", refused
    assert "Not_Valid" in refused.message
    denied = releases.call(transport, "DiffRelease", target, token=ALICE_TOKEN)
    assert denied.code == "permission_denied", denied
    assert releases.revisions(namespace, "known") == ["1:deployed"]


# --- Every client ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def everywhere(releases: ReleaseSetup) -> Iterator[tuple[str, str]]:
    """One release in a namespace of its own, read by every client."""
    namespace, name = f"t-every-{secrets.token_hex(3)}", "everywhere"
    with releases.devcluster.http_client() as kube:
        kube.post("/api/v1/namespaces", json={"metadata": {"name": namespace}}).raise_for_status()
    try:
        install(releases, namespace, name, "message: one\n")
        yield namespace, name
    finally:
        with releases.devcluster.http_client() as kube:
            kube.delete(f"/api/v1/namespaces/{namespace}")


@pytest.mark.parametrize("transport", ALL_TRANSPORTS)
def test_read_rpcs_over_every_client(
    releases: ReleaseSetup, everywhere: tuple[str, str], transport: str
) -> None:
    """Connect, gRPC, gRPC-Web, `buf curl` (schema by reflection) and the generated TypeScript client."""
    namespace, name = everywhere
    call = caller_for(releases.service)
    target = {"namespace": namespace, "name": name}

    got = call(transport, "GetRelease", target, ADMIN_TOKEN)
    assert got.code is None, got
    assert got.response is not None
    assert (got.response["release"]["revision"], got.response["valuesYaml"]) == (1, "message: one\n")

    history = call(transport, "ListReleaseHistory", target, ADMIN_TOKEN)
    assert history.code is None, history
    assert history.response is not None
    assert [(r["revision"], r["status"]) for r in history.response["releases"]] == [(1, "deployed")]

    diff = call(transport, "DiffRelease", {**target, "valuesYaml": "message: two\n"}, ADMIN_TOKEN)
    assert diff.code is None, diff
    assert diff.response is not None
    changed = [o for o in diff.response["objects"] if o["action"] == "ACTION_CHANGED"]
    assert [o["name"] for o in changed] == [f"{name}-cm"]

    missing = call(transport, "GetRelease", {"namespace": namespace, "name": "ghost"}, ADMIN_TOKEN)
    assert missing.code == "not_found", missing
