"""Manifest parsing and applying against the session's real API server."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from otterhelm.kube import CONFIG_MAPS, KubeClient, load_kubeconfig
from otterhelm.kube.apply import (
    Applier,
    OwnershipConflict,
    PlacedObject,
    ReleaseRef,
    kind_waves,
)
from otterhelm.kube.discovery import UnknownKind
from otterhelm.kube.errors import KubeInvalid
from otterhelm.kube.manifest import ManifestObjectError, parse_manifest
from otterhelm.render.manifests import INSTALL_ORDER, UNINSTALL_ORDER

T = TypeVar("T")

MANIFEST = """---
# Source: demo/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
---
# Source: demo/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
---
# Source: demo/templates/role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: demo-reader
  namespace: ignored-for-cluster-scoped
rules: []
"""


def _run(kubeconfig: Path, body: Callable[[Applier], Awaitable[T]]) -> T:
    async def run() -> T:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            return await body(Applier(client, None))
        finally:
            await client.aclose()

    return asyncio.run(run())


def test_parse_manifest_reads_objects_sources_and_go_numbers() -> None:
    objects = parse_manifest(MANIFEST + "---\n# only a comment\n")
    assert [(o.kind, o.name, o.source) for o in objects] == [
        ("Service", "web", "demo/templates/svc.yaml"),
        ("ConfigMap", "settings", "demo/templates/cm.yaml"),
        ("ClusterRole", "demo-reader", "demo/templates/role.yaml"),
    ]
    port = objects[0].body["spec"]["ports"][0]["port"]
    assert port == 80 and isinstance(port, int)


def test_parse_manifest_rejects_documents_without_kind() -> None:
    with pytest.raises(ManifestObjectError, match="Object 'Kind' is missing"):
        parse_manifest("---\n# Source: x/templates/a.yaml\napiVersion: v1\nmetadata: {name: a}\n")


def test_kind_waves_follow_install_and_uninstall_order() -> None:
    from otterhelm.kube.manifest import KubeObject
    from otterhelm.kube.resources import Resource

    def placed(kind: str, name: str) -> PlacedObject:
        return PlacedObject(
            KubeObject({"kind": kind, "metadata": {"name": name}}), Resource("", "v1", "x", True)
        )

    objects = [
        placed("Deployment", "d"),
        placed("Zeta", "z"),
        placed("ConfigMap", "c1"),
        placed("ConfigMap", "c2"),
        placed("Alpha", "a"),
        placed("Namespace", "n"),
    ]
    install = [[p.name for p in wave] for wave in kind_waves(objects, INSTALL_ORDER)]
    assert install == [["n"], ["c1", "c2"], ["d"], ["a"], ["z"]]
    uninstall = [[p.name for p in wave] for wave in kind_waves(objects, UNINSTALL_ORDER)]
    assert uninstall == [["d"], ["c1", "c2"], ["n"], ["a"], ["z"]]


def test_apply_creates_with_helm_metadata_and_field_manager(kubeconfig: Path, namespace: str) -> None:
    release = ReleaseRef("demo", namespace)

    async def body(applier: Applier) -> tuple[dict[str, Any], dict[str, Any], str]:
        placed = await applier.place(parse_manifest(MANIFEST), namespace)
        assert [p.namespace for p in placed] == [namespace, namespace, ""]
        await applier.check_ownership(placed, release)
        await applier.apply_all(placed, release)
        cm = await applier.client.get(CONFIG_MAPS, "settings", identity=None, namespace=namespace)
        role = await applier.live(placed[2])
        assert role is not None
        await applier.delete_all(placed)
        gone = await applier.live(placed[1])
        return cm, role, "gone" if gone is None else "still there"

    cm, role, after_delete = _run(kubeconfig, body)
    assert cm["data"] == {"a": "1"}
    assert cm["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "Helm"}
    assert cm["metadata"]["annotations"] == {
        "meta.helm.sh/release-name": "demo",
        "meta.helm.sh/release-namespace": namespace,
    }
    assert [m["manager"] for m in cm["metadata"]["managedFields"]] == ["helm"]
    assert [m["operation"] for m in cm["metadata"]["managedFields"]] == ["Apply"]
    assert role["metadata"]["annotations"]["meta.helm.sh/release-name"] == "demo"
    assert after_delete == "gone"


def test_ownership_conflict_has_helms_text(kubeconfig: Path, namespace: str) -> None:
    async def body(applier: Applier) -> None:
        await applier.client.request(
            "POST",
            CONFIG_MAPS.collection_path(namespace),
            identity=None,
            body={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}},
        )
        placed = await applier.place(parse_manifest(MANIFEST), namespace)
        await applier.check_ownership(placed, ReleaseRef("demo", namespace))

    with pytest.raises(OwnershipConflict) as caught:
        _run(kubeconfig, body)
    assert str(caught.value) == (
        f'ConfigMap "settings" in namespace "{namespace}" exists and cannot be imported into the current '
        "release: invalid ownership metadata; label validation error: missing key "
        '"app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key '
        '"meta.helm.sh/release-name": must be set to "demo"; annotation validation error: missing key '
        f'"meta.helm.sh/release-namespace": must be set to "{namespace}"'
    )


def test_ownership_by_another_release_names_the_current_value(kubeconfig: Path, namespace: str) -> None:
    async def body(applier: Applier) -> None:
        placed = await applier.place(parse_manifest(MANIFEST), namespace)
        await applier.apply_all(placed[1:2], ReleaseRef("other", namespace))
        await applier.check_ownership(placed[1:2], ReleaseRef("demo", namespace))

    with pytest.raises(
        OwnershipConflict,
        match=re.escape('key "meta.helm.sh/release-name" must equal "demo": current value is "other"'),
    ):
        _run(kubeconfig, body)


def test_dry_run_validates_on_the_server_and_creates_nothing(kubeconfig: Path, namespace: str) -> None:
    bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 999999\n"

    async def body(applier: Applier) -> tuple[Any, str]:
        placed = await applier.place(parse_manifest(MANIFEST), namespace)
        await applier.apply_all(placed[:2], ReleaseRef("demo", namespace), dry_run=True)
        left = await applier.live(placed[1])
        invalid = await applier.place(parse_manifest(bad), namespace)
        try:
            await applier.apply_all(invalid, ReleaseRef("demo", namespace), dry_run=True)
        except KubeInvalid as err:
            return left, str(err)
        return left, "accepted"

    left, message = _run(kubeconfig, body)
    assert left is None
    assert "spec.ports[0].port: Invalid value: 999999" in message


def test_crd_then_custom_resource_in_one_apply(kubeconfig: Path, namespace: str) -> None:
    group = f"{namespace}.example.com"
    manifest = f"""---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.{group}
spec:
  group: {group}
  scope: Namespaced
  names: {{plural: widgets, singular: widget, kind: Widget}}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: {group}/v1
kind: Widget
metadata:
  name: w1
spec: {{size: 3}}
"""

    async def body(applier: Applier) -> dict[str, Any] | None:
        objects = parse_manifest(manifest)
        crd = await applier.place(objects[:1], namespace)
        with pytest.raises(UnknownKind):
            await applier.place(objects[1:], namespace)
        await applier.apply_all(crd, ReleaseRef("demo", namespace))
        widget = await applier.place(objects[1:], namespace)
        await applier.apply_all(widget, ReleaseRef("demo", namespace))
        live = await applier.live(widget[0])
        await applier.delete_all(crd)
        return live

    live = _run(kubeconfig, body)
    assert live is not None and live["spec"] == {"size": 3}
