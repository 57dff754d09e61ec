"""Release records in Secrets, as Helm's Secrets driver keeps them (pkg/storage/driver/
secrets.go, labels.go; pkg/storage/storage.go).

One Secret per revision, `sh.helm.release.v1.<name>.v<revision>`, type `helm.sh/release.v1`,
labels name/owner/status/version plus createdAt (create) or modifiedAt (update). otterhelm's own
facts (chart reference, lock holder) go in annotations, which Helm neither reads nor keeps.
Updates carry the resourceVersion they read, so of two writers only one can succeed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from otterhelm.errors import Aborted, AlreadyExists, InvalidArgument, NotFound
from otterhelm.kube import SECRETS, Identity, KubeClient
from otterhelm.kube.errors import (
    KubeAlreadyExists,
    KubeConflict,
    KubeNotFound,
)
from otterhelm.release.codec import RecordEncoder, decode_record, encode_record
from otterhelm.release.model import Release, Status
from otterhelm.release.wire import PROTOBUF, LazyData, SecretListReader

STORAGE_PREFIX = "sh.helm.release.v1"
SECRET_TYPE = "helm.sh/release.v1"
OWNER = "helm"
SYSTEM_LABELS = frozenset({"name", "owner", "status", "version", "createdAt", "modifiedAt"})
CHART_REFERENCE_ANNOTATION = "otterhelm.io/chart-reference"
LOCK_HOLDER_ANNOTATION = "otterhelm.io/lock-holder"


class ReleaseNotFound(NotFound):
    def __init__(self, message: str = "release: not found") -> None:
        super().__init__(message)


class ReleaseExists(AlreadyExists):
    def __init__(self, message: str = "release: already exists") -> None:
        super().__init__(message)


class NoDeployedReleases(ReleaseNotFound):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name}: has no deployed releases")


class RecordConflict(Aborted):
    """Another writer changed the record since it was read."""


class ReservedLabel(InvalidArgument):
    def __init__(self) -> None:
        super().__init__("user supplied labels contains system reserved label name", field="labels")


def secret_name(name: str, version: int) -> str:
    """storage.go makeKey."""
    return f"{STORAGE_PREFIX}.{name}.v{version}"


def validate_custom_labels(labels: Mapping[str, str]) -> None:
    if SYSTEM_LABELS.intersection(labels):
        raise ReservedLabel()


def custom_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """Release.Labels as the driver's Get returns them: system labels filtered out."""
    return {k: v for k, v in labels.items() if k not in SYSTEM_LABELS}


def secret_body(
    release: Release, extra_labels: Mapping[str, str], record: str | None = None
) -> dict[str, Any]:
    """The Secret holding `release`; `record` is its encode_record text when already made."""
    labels = {**custom_labels(release.labels), **extra_labels}
    labels.update(name=release.name, owner=OWNER, status=str(release.status), version=str(release.version))
    annotations: dict[str, str] = {}
    if release.chart_reference:
        annotations[CHART_REFERENCE_ANNOTATION] = release.chart_reference
    if release.lock_holder:
        annotations[LOCK_HOLDER_ANNOTATION] = release.lock_holder
    metadata: dict[str, Any] = {
        "name": secret_name(release.name, release.version),
        "namespace": release.namespace,
        "labels": labels,
    }
    if annotations:
        metadata["annotations"] = annotations
    if release.resource_version:
        metadata["resourceVersion"] = release.resource_version
    if record is None:
        record = encode_record(release)
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": metadata,
        "type": SECRET_TYPE,
        "data": {"release": base64.b64encode(record.encode("ascii")).decode("ascii")},
    }


def release_from_secret(secret: Mapping[str, Any], *, all_labels: bool = False) -> Release:
    """The release a Secret holds. `all_labels` keeps system labels too (driver List/Query);
    otherwise they are filtered out (driver Get)."""
    metadata = secret.get("metadata") or {}
    data = secret.get("data")
    if data is None:
        data = {}
    if isinstance(data, LazyData):
        record = data.raw("release").decode("ascii")
    else:
        record = base64.b64decode(str(data.get("release", ""))).decode("ascii")
    release = decode_record(record)
    labels = dict(metadata.get("labels") or {})
    release.labels = labels if all_labels else custom_labels(labels)
    annotations = metadata.get("annotations") or {}
    release.chart_reference = str(annotations.get(CHART_REFERENCE_ANNOTATION, ""))
    release.lock_holder = str(annotations.get(LOCK_HOLDER_ANNOTATION, ""))
    release.resource_version = str(metadata.get("resourceVersion", ""))
    return release


def label_version(secret: Mapping[str, Any]) -> int:
    labels = (secret.get("metadata") or {}).get("labels") or {}
    try:
        return int(labels.get("version", "0"))
    except ValueError:
        return 0


@dataclass
class ReleaseStorage:
    """The release records of one namespace (an empty namespace only for reading all)."""

    client: KubeClient
    namespace: str
    identity: Identity | None = None
    clock: Callable[[], float] = time.time
    page_size: int = 5000
    wire: SecretListReader = field(default_factory=SecretListReader.build)
    encoder: RecordEncoder = field(default_factory=RecordEncoder)

    async def encode(self, release: Release) -> str:
        """The record text of `release`, made in a worker thread (compression lets other
        threads run), so that requests in flight proceed meanwhile."""
        return await asyncio.to_thread(self.encoder.encode, release)

    async def list_secrets(self, selector: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """Every release Secret matching a label selector (in the shape of their JSON),
        following `continue` pages. Read as protobuf: the API server sends it faster than
        JSON and upb parses it without Python building every object's managedFields."""
        path = SECRETS.collection_path(self.namespace if namespace is None else namespace)
        items: list[dict[str, Any]] = []
        params = {"labelSelector": selector, "limit": str(self.page_size)}
        while True:
            page, token = await self._list_page(path, params)
            items.extend(i for i in page if i.get("type") == SECRET_TYPE)
            if not token:
                return items
            params = {**params, "continue": token}

    async def _list_page(self, path: str, params: dict[str, str]) -> tuple[list[dict[str, Any]], str]:
        response = await self.client.send(
            "GET", path, identity=self.identity, params=params, accept=f"{PROTOBUF}, application/json"
        )
        if response.headers.get("content-type", "").startswith(PROTOBUF):
            return self.wire.read(response.content)
        page = response.json()
        return list(page.get("items") or []), str((page.get("metadata") or {}).get("continue") or "")

    async def get(self, name: str, version: int) -> Release:
        try:
            secret = await self.client.get(
                SECRETS, secret_name(name, version), identity=self.identity, namespace=self.namespace
            )
        except KubeNotFound as error:
            raise ReleaseNotFound() from error
        return release_from_secret(secret)

    async def release_secrets(self, name: str) -> list[dict[str, Any]]:
        """The Secrets of every revision of a release, oldest first, not yet decoded."""
        secrets = await self.list_secrets(f"name={name},owner={OWNER}")
        secrets.sort(key=label_version)
        return secrets

    async def history(self, name: str) -> list[Release]:
        """Every revision of a release, oldest first (storage.History)."""
        return [release_from_secret(s, all_labels=True) for s in await self.release_secrets(name)]

    async def last(self, name: str) -> Release:
        secrets = await self.list_secrets(f"name={name},owner={OWNER}")
        if not secrets:
            raise ReleaseNotFound()
        return release_from_secret(max(secrets, key=label_version), all_labels=True)

    async def deployed(self, name: str) -> Release:
        """The highest revision labelled deployed (storage.Deployed)."""
        selector = f"name={name},owner={OWNER},status={Status.DEPLOYED}"
        secrets = await self.list_secrets(selector)
        if not secrets:
            raise NoDeployedReleases(name)
        return release_from_secret(max(secrets, key=label_version), all_labels=True)

    async def create(
        self,
        release: Release,
        *,
        max_history: int = 0,
        record: str | None = None,
        existing: list[dict[str, Any]] | None = None,
    ) -> Release:
        """Stores a new revision; with max_history > 0 prunes first to leave room (storage.Create).
        `record` is the release's encoded record if made already (see `encode`); `existing`
        the release's Secrets if the caller read them under the release's lease.
        Returns the release with the new Secret's resourceVersion."""
        validate_custom_labels(release.labels)
        if max_history > 0:
            await self.prune(release.name, max_history - 1, existing)
        release.resource_version = ""
        if record is None:
            record = await self.encode(release)
        body = secret_body(release, {"createdAt": str(int(self.clock()))}, record)
        try:
            created = await self.client.create(
                SECRETS, body, identity=self.identity, namespace=release.namespace
            )
        except KubeAlreadyExists as error:
            raise ReleaseExists() from error
        release.resource_version = str(created["metadata"].get("resourceVersion", ""))
        return release

    async def update(self, release: Release, *, record: str | None = None) -> Release:
        """Rewrites a revision. When the release carries the resourceVersion it was read at,
        a concurrent change makes this fail with RecordConflict instead of overwriting it.
        `record` is the release's encoded record if made already (see `encode`)."""
        if record is None:
            record = await self.encode(release)
        body = secret_body(release, {"modifiedAt": str(int(self.clock()))}, record)
        path = SECRETS.object_path(secret_name(release.name, release.version), release.namespace)
        try:
            updated = await self.client.request("PUT", path, identity=self.identity, body=body)
        except KubeConflict as error:
            raise RecordConflict(
                f"release {release.name} revision {release.version} was changed by another operation; retry"
            ) from error
        except KubeNotFound as error:
            raise ReleaseNotFound() from error
        release.resource_version = str(updated["metadata"].get("resourceVersion", ""))
        return release

    async def delete(self, name: str, version: int) -> Release:
        """Deletes one revision and returns what it held."""
        removed = await self.get(name, version)
        try:
            await self.client.delete(
                SECRETS, secret_name(name, version), identity=self.identity, namespace=self.namespace
            )
        except KubeNotFound as error:
            raise ReleaseNotFound() from error
        return removed

    async def prune(self, name: str, keep: int, existing: list[dict[str, Any]] | None = None) -> list[int]:
        """Deletes the oldest revisions until `keep` remain, never the deployed one
        (storage.removeLeastRecent); `existing`: the release's Secrets, if read already.
        Returns the deleted revision numbers."""
        if keep < 0:
            return []
        secrets = await self.list_secrets(f"name={name},owner={OWNER}") if existing is None else existing
        if len(secrets) <= keep:
            return []
        versions = sorted(label_version(s) for s in secrets)
        deployed = [
            label_version(s)
            for s in secrets
            if ((s.get("metadata") or {}).get("labels") or {}).get("status") == Status.DEPLOYED
        ]
        protected = max(deployed) if deployed else None
        doomed: list[int] = []
        for version in versions:
            if len(versions) - len(doomed) == keep:
                break
            if version != protected:
                doomed.append(version)
        for version in doomed:
            with contextlib.suppress(KubeNotFound):
                await self.client.delete(
                    SECRETS, secret_name(name, version), identity=self.identity, namespace=self.namespace
                )
        return doomed
