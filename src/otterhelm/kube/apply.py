"""Sending a release's objects to the API server the way Helm v4 does.

- discovery (kube/discovery.py) maps apiVersion + kind to the REST resource;
- Helm's ownership label and annotations are merged into every object sent (never into the
  stored manifest), and an existing object must carry them to be adopted
  (pkg/action/validate.go existingResourceConflict / checkOwnership);
- objects are server-side applied with field manager "helm" (v4 uses the binary's base name),
  one kind after another in InstallOrder, all objects of one kind concurrently (kube
  client batchPerform);
- deletion goes kind by kind in UninstallOrder with background propagation, NotFound ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from otterhelm.errors import DeadlineExceeded, FailedPrecondition
from otterhelm.kube.client import KubeClient
from otterhelm.kube.discovery import Discovery, DocumentCache
from otterhelm.kube.errors import KubeNotFound
from otterhelm.kube.identity import Identity
from otterhelm.kube.manifest import KubeObject
from otterhelm.kube.resources import Resource
from otterhelm.render.manifests import INSTALL_ORDER, UNINSTALL_ORDER, sort_by_kind

HELM_FIELD_MANAGER = "helm"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY_VALUE = "Helm"
RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name"
RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace"
RESOURCE_POLICY_ANNOTATION = "helm.sh/resource-policy"
KEEP_POLICY = "keep"
CRD_KIND = "CustomResourceDefinition"
CRD_ESTABLISHED_SECONDS = 30.0
# kubectl's metadata-only reads: the object's metadata, not its body.
METADATA_ONLY = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"

T = TypeVar("T")


class OwnershipConflict(FailedPrecondition):
    """An object to be created exists and belongs to something else (Helm's invalid ownership metadata)."""


@dataclass(frozen=True, slots=True)
class ReleaseRef:
    name: str
    namespace: str


@dataclass(slots=True)
class PlacedObject:
    """An object with its REST resource; `namespace` is empty for cluster-scoped kinds."""

    obj: KubeObject
    resource: Resource

    @property
    def namespace(self) -> str:
        return self.obj.namespace

    @property
    def name(self) -> str:
        return self.obj.name


def has_keep_policy(annotations: Mapping[str, Any] | None) -> bool:
    value = (annotations or {}).get(RESOURCE_POLICY_ANNOTATION)
    return isinstance(value, str) and value.strip().lower() == KEEP_POLICY


def with_release_metadata(body: Mapping[str, Any], release: ReleaseRef) -> dict[str, Any]:
    """A copy of `body` carrying Helm's ownership label and annotations (setMetadataVisitor, force)."""
    sent = dict(body)
    metadata = dict(sent.get("metadata") or {})
    labels = dict(metadata.get("labels") or {})
    labels[MANAGED_BY_LABEL] = MANAGED_BY_VALUE
    annotations = dict(metadata.get("annotations") or {})
    annotations[RELEASE_NAME_ANNOTATION] = release.name
    annotations[RELEASE_NAMESPACE_ANNOTATION] = release.namespace
    metadata["labels"] = labels
    metadata["annotations"] = annotations
    sent["metadata"] = metadata
    return sent


def ownership_problems(live: Mapping[str, Any], release: ReleaseRef) -> list[str]:
    """Helm's checkOwnership messages for a live object; empty when the release owns it."""
    metadata = live.get("metadata") or {}
    labels = metadata.get("labels") or {}
    annotations = metadata.get("annotations") or {}
    problems = []
    for kind, found, key, wanted in (
        ("label", labels, MANAGED_BY_LABEL, MANAGED_BY_VALUE),
        ("annotation", annotations, RELEASE_NAME_ANNOTATION, release.name),
        ("annotation", annotations, RELEASE_NAMESPACE_ANNOTATION, release.namespace),
    ):
        if key not in found:
            problems.append(f'{kind} validation error: missing key "{key}": must be set to "{wanted}"')
        elif found[key] != wanted:
            problems.append(
                f'{kind} validation error: key "{key}" must equal "{wanted}": current value is "{found[key]}"'
            )
    return problems


def kind_waves(objects: Iterable[PlacedObject], ordering: Sequence[str]) -> list[list[PlacedObject]]:
    """Objects grouped by kind, groups in `ordering` (unknown kinds last, alphabetically)."""
    waves: list[list[PlacedObject]] = []
    for placed in sort_by_kind(list(objects), lambda p: p.obj.kind, ordering):
        if waves and waves[-1][0].obj.kind == placed.obj.kind:
            waves[-1].append(placed)
        else:
            waves.append([placed])
    return waves


async def _each_concurrently(items: Sequence[T], action: Callable[[T], Awaitable[Any]]) -> None:
    """Runs `action` on every item at once; the first failure (in item order) is raised
    after all have finished, as Helm's batchPerform collects errors."""
    results = await asyncio.gather(*(action(item) for item in items), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result


@dataclass
class Applier:
    """Applies and deletes a release's objects on one cluster as one identity."""

    client: KubeClient
    identity: Identity | None
    field_manager: str = HELM_FIELD_MANAGER
    documents: DocumentCache | None = None
    discovery: Discovery = field(init=False)

    def __post_init__(self) -> None:
        self.discovery = Discovery(self.client, self.identity, self.documents)

    async def place(self, objects: Iterable[KubeObject], default_namespace: str) -> list[PlacedObject]:
        """Each object with its resource; namespaced objects without a namespace get the release's,
        cluster-scoped ones lose any namespace they were given (as Helm's builder does)."""
        placed: list[PlacedObject] = []
        for obj in objects:
            resource = await self.discovery.resource_for(obj.api_version, obj.kind)
            if resource.namespaced:
                if not obj.namespace:
                    obj.metadata["namespace"] = default_namespace
            else:
                obj.metadata.pop("namespace", None)
            placed.append(PlacedObject(obj, resource))
        return placed

    async def live(self, placed: PlacedObject) -> dict[str, Any] | None:
        try:
            return await self.client.get(
                placed.resource, placed.name, identity=self.identity, namespace=placed.namespace
            )
        except KubeNotFound:
            return None

    async def live_metadata(self, placed: PlacedObject) -> dict[str, Any] | None:
        """The object's metadata only (a PartialObjectMetadata, or the whole object from a
        server that cannot serve one), None when it does not exist: what the existence and
        ownership checks read, without the API server encoding nor us decoding the body (a
        CustomResourceDefinition's can be megabytes)."""
        try:
            response = await self.client.send(
                "GET",
                placed.resource.object_path(placed.name, placed.namespace),
                identity=self.identity,
                accept=METADATA_ONLY,
            )
        except KubeNotFound:
            return None
        found: dict[str, Any] = response.json()
        return found

    async def exists(self, placed: PlacedObject) -> bool:
        """Whether the object exists, reading only its metadata."""
        try:
            await self.client.send(
                "GET",
                placed.resource.object_path(placed.name, placed.namespace),
                identity=self.identity,
                accept=METADATA_ONLY,
            )
        except KubeNotFound:
            return False
        return True

    async def check_ownership(
        self, objects: Sequence[PlacedObject], release: ReleaseRef
    ) -> list[PlacedObject]:
        """Raises OwnershipConflict for the first existing object the release does not own;
        returns the objects that exist already (to be adopted)."""
        lives = await asyncio.gather(*(self.live_metadata(placed) for placed in objects))
        existing: list[PlacedObject] = []
        for placed, live in zip(objects, lives, strict=True):
            if live is None:
                continue
            problems = ownership_problems(live, release)
            if problems:
                raise OwnershipConflict(
                    f"{placed.obj.describe()} exists and cannot be imported into the current release: "
                    f"invalid ownership metadata; {'; '.join(problems)}"
                )
            existing.append(placed)
        return existing

    async def apply_all(
        self,
        objects: Sequence[PlacedObject],
        release: ReleaseRef,
        *,
        dry_run: bool = False,
        force_conflicts: bool = False,
    ) -> None:
        """Server-side applies every object, kind by kind in InstallOrder."""

        async def apply_one(placed: PlacedObject) -> None:
            await self.client.apply(
                placed.resource,
                with_release_metadata(placed.obj.body, release),
                identity=self.identity,
                field_manager=self.field_manager,
                namespace=placed.namespace,
                force=force_conflicts,
                dry_run=dry_run,
            )

        for wave in kind_waves(objects, INSTALL_ORDER):
            await _each_concurrently(wave, apply_one)
            if wave[0].obj.kind == CRD_KIND and not dry_run:
                await self.wait_crds_established(wave)

    async def delete_all(self, objects: Sequence[PlacedObject], *, dry_run: bool = False) -> None:
        """Deletes kind by kind in UninstallOrder; objects already gone are ignored."""

        async def delete_one(placed: PlacedObject) -> None:
            with contextlib.suppress(KubeNotFound):
                await self.client.delete(
                    placed.resource,
                    placed.name,
                    identity=self.identity,
                    namespace=placed.namespace,
                    dry_run=dry_run,
                )

        for wave in kind_waves(objects, UNINSTALL_ORDER):
            await _each_concurrently(wave, delete_one)

    async def wait_crds_established(
        self, crds: Sequence[PlacedObject], timeout_seconds: float = CRD_ESTABLISHED_SECONDS
    ) -> None:
        """Custom resources of a new CRD can be sent only once the API server serves them."""
        deadline = time.monotonic() + timeout_seconds
        for placed in crds:
            while True:
                live = await self.live(placed)
                conditions = ((live or {}).get("status") or {}).get("conditions") or []
                if any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions):
                    break
                if time.monotonic() > deadline:
                    raise DeadlineExceeded(
                        f'CustomResourceDefinition "{placed.name}" was not established in time'
                    )
                await asyncio.sleep(0.1)
        if crds:
            # The new groups and kinds belong in .Capabilities of the render that follows.
            await self.discovery.refresh()
