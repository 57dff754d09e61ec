"""The Secrets driver against the real API server (pkg/storage/driver/secrets_test.go,
pkg/storage/storage_test.go behaviours)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from otterhelm.errors import PermissionDenied
from otterhelm.kube import SECRETS, Identity
from otterhelm.release import (
    NoDeployedReleases,
    RecordConflict,
    Release,
    ReleaseExists,
    ReleaseNotFound,
    ReleaseStorage,
    ReservedLabel,
    Status,
    decode_record,
    release_to_json,
)
from otterhelm.release.storage import CHART_REFERENCE_ANNOTATION, release_from_secret, secret_name

MakeRelease = Callable[..., Release]


def test_secret_name_is_helms_key() -> None:
    assert secret_name("web", 12) == "sh.helm.release.v1.web.v12"


def test_create_writes_helms_secret(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    release_secrets: Callable[[str], dict[str, dict[str, Any]]],
    decode_secret: Callable[[dict[str, Any]], bytes],
) -> None:
    release = make_release("web", namespace, 1, Status.DEPLOYED)
    release.labels = {"team": "a"}
    release.chart_reference = "repo/tiny@0.1.0"

    async def body(storage: ReleaseStorage) -> Release:
        created = await storage.create(release)
        assert created.resource_version
        return await storage.get("web", 1)

    got = storage_run(body)
    secret = release_secrets(namespace)["sh.helm.release.v1.web.v1"]
    assert secret["type"] == "helm.sh/release.v1"
    labels = secret["metadata"]["labels"]
    assert {k: v for k, v in labels.items() if k != "createdAt"} == {
        "name": "web",
        "owner": "helm",
        "status": "deployed",
        "version": "1",
        "team": "a",
    }
    assert labels["createdAt"].isdigit() and "modifiedAt" not in labels
    assert secret["metadata"]["annotations"] == {CHART_REFERENCE_ANNOTATION: "repo/tiny@0.1.0"}
    assert decode_secret(secret) == release_to_json(release).encode()
    # Get filters the system labels out of Release.Labels.
    assert got.labels == {"team": "a"} and got.chart_reference == "repo/tiny@0.1.0"
    assert release_to_json(got) == release_to_json(release)


def test_create_twice_is_already_exists(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        await storage.create(make_release("web", namespace, 1, Status.DEPLOYED))
        with pytest.raises(ReleaseExists, match="release: already exists"):
            await storage.create(make_release("web", namespace, 1, Status.FAILED))

    storage_run(body)


def test_reserved_labels_are_refused(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    release = make_release("web", namespace, 1, Status.DEPLOYED)
    release.labels = {"owner": "me"}

    async def body(storage: ReleaseStorage) -> None:
        with pytest.raises(ReservedLabel, match="system reserved label name"):
            await storage.create(release)

    storage_run(body)


def test_update_replaces_labels_and_checks_resource_version(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    release_secrets: Callable[[str], dict[str, dict[str, Any]]],
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        await storage.create(make_release("web", namespace, 1, Status.PENDING_INSTALL))
        first = await storage.get("web", 1)
        second = await storage.get("web", 1)
        first.set_status(Status.DEPLOYED, "Install complete")
        await storage.update(first)
        second.set_status(Status.FAILED, "lost the race")
        with pytest.raises(RecordConflict, match="changed by another operation"):
            await storage.update(second)
        # The winner can keep writing with the resourceVersion it got back.
        first.info.description = "Install complete (again)"  # type: ignore[union-attr]
        await storage.update(first)
        with pytest.raises(ReleaseNotFound):
            await storage.update(make_release("ghost", namespace, 1, Status.FAILED))

    storage_run(body)
    secret = release_secrets(namespace)["sh.helm.release.v1.web.v1"]
    labels = secret["metadata"]["labels"]
    # Helm's Update rebuilds the labels: createdAt is gone, modifiedAt is set.
    assert "createdAt" not in labels and labels["modifiedAt"].isdigit()
    assert labels["status"] == "deployed"
    record = decode_record(base64.b64decode(secret["data"]["release"]).decode())
    assert record.info is not None and record.info.description == "Install complete (again)"


def test_history_last_deployed_and_delete(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        with pytest.raises(ReleaseNotFound):
            await storage.last("web")
        with pytest.raises(NoDeployedReleases, match="web: has no deployed releases"):
            await storage.deployed("web")
        statuses = [Status.SUPERSEDED, Status.DEPLOYED, Status.FAILED, Status.SUPERSEDED]
        for version, status in enumerate(statuses, start=1):
            await storage.create(make_release("web", namespace, version, status))
        await storage.create(make_release("other", namespace, 1, Status.DEPLOYED))
        history = await storage.history("web")
        assert [(r.version, r.status) for r in history] == list(enumerate(statuses, start=1))
        assert (await storage.last("web")).version == 4
        assert (await storage.deployed("web")).version == 2
        removed = await storage.delete("web", 4)
        assert removed.version == 4 and removed.status is Status.SUPERSEDED
        assert [r.version for r in await storage.history("web")] == [1, 2, 3]
        with pytest.raises(ReleaseNotFound):
            await storage.get("web", 4)
        with pytest.raises(ReleaseNotFound):
            await storage.delete("web", 4)

    storage_run(body)


def test_max_history_never_prunes_the_deployed_revision(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    # storage_test.go TestStorageRemoveLeastRecent / "never delete last deployed".
    async def body(storage: ReleaseStorage) -> None:
        await storage.create(make_release("web", namespace, 1, Status.DEPLOYED))
        for version in range(2, 6):
            await storage.create(make_release("web", namespace, version, Status.FAILED), max_history=3)
        assert [r.version for r in await storage.history("web")] == [1, 4, 5]
        # Without a limit nothing is pruned.
        await storage.create(make_release("web", namespace, 6, Status.FAILED))
        assert [r.version for r in await storage.history("web")] == [1, 4, 5, 6]
        await storage.create(make_release("web", namespace, 7, Status.FAILED), max_history=2)
        assert [r.version for r in await storage.history("web")] == [1, 7]

    storage_run(body)


def test_max_history_with_no_deployed_revision_keeps_the_newest(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        for version in range(1, 13):
            await storage.create(make_release("web", namespace, version, Status.SUPERSEDED), max_history=10)
        assert [r.version for r in await storage.history("web")] == list(range(3, 13))

    storage_run(body)


def test_helm_reads_history_we_pruned(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    helm_json: Callable[..., Any],
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        await storage.create(make_release("web", namespace, 1, Status.SUPERSEDED))
        await storage.create(
            make_release("web", namespace, 2, Status.DEPLOYED, description="Upgrade complete")
        )
        await storage.create(
            make_release("web", namespace, 3, Status.FAILED, description='Upgrade "web" failed: boom'),
            max_history=2,
        )

    storage_run(body)
    history = helm_json("history", "web", "-n", namespace)
    assert [(h["revision"], h["status"], h["description"]) for h in history] == [
        (2, "deployed", "Upgrade complete"),
        (3, "failed", 'Upgrade "web" failed: boom'),
    ]


def test_protobuf_listing_reads_what_the_json_api_shows(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        for version in (1, 2):
            release = make_release(
                "web", namespace, version, Status.SUPERSEDED if version == 1 else Status.DEPLOYED
            )
            release.chart_reference = "repo/tiny@0.1.0"
            release.lock_holder = "host/1/abcd"
            await storage.create(release)
        # A Secret that is not a release, and one that is Helm's type but another owner's.
        await storage.client.create(
            SECRETS,
            {"metadata": {"name": "plain", "labels": {"owner": "helm"}}, "stringData": {"a": "b"}},
            identity=None,
            namespace=namespace,
        )
        small = ReleaseStorage(storage.client, namespace, page_size=1)
        wire = await small.list_secrets("owner=helm")
        plain = await storage.client.list(SECRETS, identity=None, namespace=namespace)
        return wire, [s for s in plain if s.get("type") == "helm.sh/release.v1"]

    wire, plain = storage_run(body)
    assert len(wire) == 2

    def shape(secret: dict[str, Any]) -> tuple[Any, ...]:
        meta = secret["metadata"]
        fields = ("name", "namespace", "resourceVersion", "labels", "annotations")
        return (tuple(meta.get(k) for k in fields), secret["type"], secret["data"]["release"])

    assert [shape(s) for s in wire] == [shape(s) for s in plain]
    assert [release_from_secret(s).lock_holder for s in wire] == ["host/1/abcd", "host/1/abcd"]


def test_listing_as_a_caller_rbac_refuses_is_permission_denied(
    namespace: str, storage_run: Callable[..., Any]
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        outsider = ReleaseStorage(storage.client, namespace, identity=Identity("nobody", ("no-such-group",)))
        with pytest.raises(PermissionDenied, match='cannot list resource "secrets"'):
            await outsider.history("web")

    storage_run(body)
