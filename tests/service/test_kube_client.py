"""The Kubernetes client against the session's real API server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from otterhelm import errors
from otterhelm.kube import CONFIG_MAPS, NAMESPACES, Identity, KubeClient, load_kubeconfig
from otterhelm.kube.errors import KubeAlreadyExists, KubeInvalid, KubeNotFound

T = TypeVar("T")
MASTERS = Identity("kube-client-test", ("system:masters",))


def _with_client(kubeconfig: Path, body: Callable[[KubeClient], Awaitable[T]]) -> T:
    async def run() -> T:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            return await body(client)
        finally:
            await client.aclose()

    return asyncio.run(run())


def _config_map(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, **extra}


def test_list_follows_continue_pages(kubeconfig: Path, namespace: str) -> None:
    async def body(client: KubeClient) -> list[str]:
        for index in range(5):
            await client.request(
                "POST", CONFIG_MAPS.collection_path(namespace), identity=None, body=_config_map(f"cm-{index}")
            )
        items = await client.list(CONFIG_MAPS, identity=None, namespace=namespace, page_size=2)
        return [item["metadata"]["name"] for item in items]

    assert _with_client(kubeconfig, body) == [f"cm-{index}" for index in range(5)]


def test_impersonated_groups_grant_what_rbac_grants(kubeconfig: Path, namespace: str) -> None:
    async def body(client: KubeClient) -> tuple[list[str], str]:
        allowed = await client.list(NAMESPACES, identity=MASTERS)
        try:
            await client.list(NAMESPACES, identity=Identity("nobody", ("no-such-group",)))
        except errors.PermissionDenied as denied:
            return [item["metadata"]["name"] for item in allowed], str(denied)
        raise AssertionError("listing namespaces as nobody was allowed")

    names, denial = _with_client(kubeconfig, body)
    assert namespace in names
    assert 'User "nobody" cannot list resource "namespaces"' in denial


def test_api_errors_are_typed(kubeconfig: Path, namespace: str) -> None:
    async def body(client: KubeClient) -> list[Exception]:
        caught: list[Exception] = []
        path = CONFIG_MAPS.collection_path(namespace)
        for method, target, payload in (
            ("GET", CONFIG_MAPS.object_path("missing", namespace), None),
            ("POST", path, _config_map("twice")),
            ("POST", path, _config_map("twice")),
            ("POST", path, _config_map("Not_A_Name")),
        ):
            try:
                await client.request(method, target, identity=None, body=payload)
            except errors.OtterhelmError as error:
                caught.append(error)
        return caught

    missing, duplicate, invalid = _with_client(kubeconfig, body)
    assert isinstance(missing, KubeNotFound) and isinstance(missing, errors.NotFound)
    assert missing.http_status == 404
    assert isinstance(duplicate, KubeAlreadyExists) and isinstance(duplicate, errors.AlreadyExists)
    assert isinstance(invalid, KubeInvalid) and isinstance(invalid, errors.InvalidArgument)
    assert [cause.field for cause in invalid.causes] == ["metadata.name"]


def test_resource_paths() -> None:
    assert CONFIG_MAPS.collection_path("") == "/api/v1/configmaps"
    assert CONFIG_MAPS.collection_path("ns") == "/api/v1/namespaces/ns/configmaps"
    assert NAMESPACES.object_path("ns") == "/api/v1/namespaces/ns"


@pytest.mark.parametrize("groups", [(), ("a",), ("a", "b")])
def test_impersonation_headers(groups: tuple[str, ...]) -> None:
    headers = Identity("u", groups).impersonation_headers()
    assert headers == [("Impersonate-User", "u"), *(("Impersonate-Group", group) for group in groups)]


def test_create_get_apply_delete(kubeconfig: Path, namespace: str) -> None:
    async def body(client: KubeClient) -> None:
        kw: dict[str, Any] = {"identity": MASTERS, "namespace": namespace}
        dry = await client.create(CONFIG_MAPS, _config_map("verbs", data={"a": "1"}), dry_run=True, **kw)
        assert dry["data"] == {"a": "1"}
        with pytest.raises(KubeNotFound):
            await client.get(CONFIG_MAPS, "verbs", **kw)

        await client.create(CONFIG_MAPS, _config_map("verbs", data={"a": "1"}), **kw)
        applied = await client.apply(
            CONFIG_MAPS,
            _config_map("verbs", data={"a": "2", "b": "3"}),
            field_manager="otterhelm-test",
            force=True,
            **kw,
        )
        assert applied["data"] == {"a": "2", "b": "3"}
        assert "otterhelm-test" in [entry["manager"] for entry in applied["metadata"]["managedFields"]]
        fetched = await client.get(CONFIG_MAPS, "verbs", **kw)
        assert fetched["data"] == {"a": "2", "b": "3"}

        applied_new = await client.apply(
            CONFIG_MAPS, _config_map("by-apply", data={"x": "y"}), field_manager="otterhelm-test", **kw
        )
        assert applied_new["metadata"]["name"] == "by-apply"

        await client.delete(CONFIG_MAPS, "verbs", dry_run=True, **kw)
        assert (await client.get(CONFIG_MAPS, "verbs", **kw))["metadata"]["name"] == "verbs"
        await client.delete(CONFIG_MAPS, "verbs", **kw)
        with pytest.raises(KubeNotFound):
            await client.get(CONFIG_MAPS, "verbs", **kw)

    _with_client(kubeconfig, body)
