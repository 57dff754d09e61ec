"""End to end over a real socket: `otterhelm serve` in front of the devcluster, called with
every wire protocol and client (Connect JSON and binary, gRPC with grpcio, gRPC-Web,
`buf curl` with server reflection, and the generated TypeScript client on Node)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import ADMIN_TOKEN, ALICE_TOKEN, TRANSPORTS, Caller, ClusterObjects

pytestmark = pytest.mark.parametrize("transport", TRANSPORTS)


def _named(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    matches = [item for item in items if item.get("name") == name]
    assert len(matches) == 1, f"{name} not listed once in {[item.get('name') for item in items]}"
    return matches[0]


def test_list_namespaces(call: Caller, transport: str, cluster_objects: ClusterObjects) -> None:
    outcome = call(transport, "ListNamespaces", {}, ADMIN_TOKEN)
    assert outcome.code is None, outcome
    assert outcome.response is not None
    listed = outcome.response["namespaces"]
    assert _named(listed, cluster_objects.namespace["name"]) == cluster_objects.namespace
    assert {"default", "kube-system"} <= {item["name"] for item in listed}


def test_list_storage_classes(call: Caller, transport: str, cluster_objects: ClusterObjects) -> None:
    outcome = call(transport, "ListStorageClasses", {"scope": "dev"}, ADMIN_TOKEN)
    assert outcome.code is None, outcome
    assert outcome.response is not None
    expected = cluster_objects.storage_class
    assert _named(outcome.response["storageClasses"], expected["name"]) == expected


def test_list_config_maps(call: Caller, transport: str, cluster_objects: ClusterObjects) -> None:
    namespace = cluster_objects.namespace["name"]
    outcome = call(transport, "ListConfigMaps", {"namespace": namespace}, ADMIN_TOKEN)
    assert outcome.code is None, outcome
    assert outcome.response is not None
    listed = outcome.response["configMaps"]
    # kube-root-ca.crt is not there: no controller manager publishes it in this cluster.
    assert {item["namespace"] for item in listed} == {namespace}
    assert _named(listed, "settings") == cluster_objects.config_map


def test_list_secrets(call: Caller, transport: str, cluster_objects: ClusterObjects) -> None:
    namespace = cluster_objects.namespace["name"]
    outcome = call(transport, "ListSecrets", {"namespace": namespace}, ADMIN_TOKEN)
    assert outcome.code is None, outcome
    assert outcome.response is not None
    assert outcome.response["secrets"] == [cluster_objects.secret]


def test_list_config_maps_of_all_namespaces(
    call: Caller, transport: str, cluster_objects: ClusterObjects
) -> None:
    outcome = call(transport, "ListConfigMaps", {}, ADMIN_TOKEN)
    assert outcome.code is None, outcome
    assert outcome.response is not None
    mine = [
        item
        for item in outcome.response["configMaps"]
        if item["namespace"] == cluster_objects.namespace["name"]
    ]
    assert mine == [cluster_objects.config_map]


# Error paths.


def test_missing_or_bad_token_is_unauthenticated(call: Caller, transport: str) -> None:
    for token in (None, "not-a-configured-token"):
        outcome = call(transport, "ListNamespaces", {}, token)
        assert outcome.code == "unauthenticated", outcome
        assert outcome.response is None
        assert "google.rpc.ErrorInfo" in outcome.detail_types


def test_unknown_scope_is_not_found(call: Caller, transport: str) -> None:
    outcome = call(transport, "ListStorageClasses", {"scope": "elsewhere"}, ADMIN_TOKEN)
    assert outcome.code == "not_found", outcome
    assert "elsewhere" in outcome.message
    assert "google.rpc.ErrorInfo" in outcome.detail_types


def test_rbac_denial_is_permission_denied(
    call: Caller, transport: str, cluster_objects: ClusterObjects
) -> None:
    # alice authenticates to otterhelm, but the cluster's RBAC gives her nothing.
    namespace = cluster_objects.namespace["name"]
    outcome = call(transport, "ListSecrets", {"namespace": namespace}, ALICE_TOKEN)
    assert outcome.code == "permission_denied", outcome
    assert 'User "alice" cannot list resource "secrets"' in outcome.message
    assert "google.rpc.ErrorInfo" in outcome.detail_types


def test_unimplemented_rpc_names_itself(call: Caller, transport: str) -> None:
    outcome = call(transport, "ListApplications", {}, ADMIN_TOKEN)
    assert outcome.code == "unimplemented", outcome
    assert "ListApplications" in outcome.message
