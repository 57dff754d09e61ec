"""The session's control plane is a real, RBAC-enforcing kube-apiserver backed by etcd."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import yaml

from otterhelm import devcluster as devcluster_module
from otterhelm.devcluster import DevCluster, Toolchain
from otterhelm.devcluster.toolchain import KUBERNETES_VERSION


def test_version_reports_the_pinned_release(devcluster: DevCluster) -> None:
    with devcluster.http_client() as client:
        version = client.get("/version").json()
    assert version["gitVersion"] == KUBERNETES_VERSION
    assert version["major"] == "1"
    assert version["minor"] == KUBERNETES_VERSION.split(".")[1]


def test_admin_kubeconfig_points_at_the_cluster(devcluster: DevCluster, kubeconfig: Path) -> None:
    config = yaml.safe_load(kubeconfig.read_text())
    assert config["current-context"] == "devcluster"
    assert config["clusters"][0]["cluster"]["server"] == devcluster.server
    assert devcluster.server.startswith("https://127.0.0.1:")
    assert config["users"][0]["user"]["client-certificate-data"]


def test_a_namespace_can_be_created(devcluster: DevCluster, namespace: str) -> None:
    with devcluster.http_client() as client:
        found = client.get(f"/api/v1/namespaces/{namespace}").json()
    assert found["metadata"]["name"] == namespace
    assert found["status"]["phase"] == "Active"


def test_an_unknown_token_is_unauthenticated(devcluster: DevCluster) -> None:
    with httpx.Client(
        base_url=devcluster.server,
        verify=devcluster.ssl_context(admin=False),
        headers={"Authorization": "Bearer not-a-real-token"},
    ) as client:
        assert client.get("/api/v1/namespaces").status_code == 401


def _secrets_status(client: httpx.Client, namespace: str) -> int:
    return client.get(f"/api/v1/namespaces/{namespace}/secrets").status_code


def test_token_user_is_forbidden_until_a_rolebinding_allows_it(
    devcluster: DevCluster, namespace: str
) -> None:
    with devcluster.http_client("alice") as alice:
        denied = alice.get(f"/api/v1/namespaces/{namespace}/secrets")
        assert denied.status_code == 403
        assert denied.json()["reason"] == "Forbidden"
        assert 'User "alice" cannot list resource "secrets"' in denied.json()["message"]

        with devcluster.http_client() as admin:
            admin.post(
                f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles",
                json={
                    "apiVersion": "rbac.authorization.k8s.io/v1",
                    "kind": "Role",
                    "metadata": {"name": "secret-reader"},
                    "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}],
                },
            ).raise_for_status()
            admin.post(
                f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/rolebindings",
                json={
                    "apiVersion": "rbac.authorization.k8s.io/v1",
                    "kind": "RoleBinding",
                    "metadata": {"name": "alice-reads-secrets"},
                    "roleRef": {
                        "apiGroup": "rbac.authorization.k8s.io",
                        "kind": "Role",
                        "name": "secret-reader",
                    },
                    "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"}],
                },
            ).raise_for_status()

        # The authorizer reads roles from an informer cache, so the grant lands a moment later.
        deadline = time.monotonic() + 10
        while _secrets_status(alice, namespace) != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _secrets_status(alice, namespace) == 200

    with devcluster.http_client("bob") as bob:
        assert _secrets_status(bob, namespace) == 403


def test_admin_may_impersonate_and_rbac_judges_the_impersonated_user(
    devcluster: DevCluster, namespace: str
) -> None:
    with devcluster.http_client() as admin:
        as_bob = admin.get(f"/api/v1/namespaces/{namespace}/secrets", headers={"Impersonate-User": "bob"})
    assert as_bob.status_code == 403
    assert 'User "bob"' in as_bob.json()["message"]


def test_token_user_kubeconfig_authenticates_as_that_user(devcluster: DevCluster) -> None:
    config = yaml.safe_load(devcluster.kubeconfig_for("bob").read_text())
    token = config["users"][0]["user"]["token"]
    assert config["users"][0]["name"] == "bob"
    with httpx.Client(
        base_url=devcluster.server,
        verify=devcluster.ssl_context(admin=False),
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        review = client.post(
            "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            json={"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
        )
    assert review.status_code == 201, review.text
    assert review.json()["status"]["userInfo"]["username"] == "bob"


def test_start_returns_the_running_cluster_instead_of_a_second_one(
    devcluster: DevCluster, toolchain: Toolchain
) -> None:
    again = devcluster_module.start(devcluster.state_dir, toolchain)
    assert again == devcluster
    assert devcluster.is_running()


def test_make_namespace_gives_distinct_namespaces_per_call(
    devcluster: DevCluster, make_namespace: Callable[[], str]
) -> None:
    first, second = make_namespace(), make_namespace()
    assert first != second
    with devcluster.http_client() as client:
        for name in (first, second):
            assert client.get(f"/api/v1/namespaces/{name}").status_code == 200
            assert len(name) <= 63
