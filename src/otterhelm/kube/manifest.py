"""Rendered manifest text to the Kubernetes objects it describes.

Helm builds its resource list from the release manifest (`KubeClient.Build`): every YAML
document with a kind becomes one object; comment-only documents are dropped. Numbers are
read as Go's JSON decoder reads them (float64) and written back the way Go prints integral
float64 values, so `replicas: 1` reaches the API server as `1`, not `1.0`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from otterhelm.codec import yaml
from otterhelm.errors import InvalidArgument
from otterhelm.render.manifests import go_trim_space, split_manifests

SOURCE_PREFIX = "# Source: "
# Go prints float64 values below this as plain integers (strconv 'g' switches to exponents at 1e21).
_GO_PLAIN_FLOAT_LIMIT = 1e21


class ManifestObjectError(InvalidArgument):
    """A document of a manifest is not a Kubernetes object."""


@dataclass(frozen=True, slots=True)
class MatchKey:
    """What makes objects of two revisions one cluster object (pkg/kube/resource.go
    isMatchingInfo: name, namespace, API group and kind, not the version)."""

    group: str
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, obj: KubeObject) -> MatchKey:
        return cls(obj.group, obj.kind, obj.namespace, obj.name)


@dataclass(slots=True)
class KubeObject:
    """One object of a manifest; `namespace` is empty until resolved against discovery."""

    body: dict[str, Any]
    source: str = ""
    annotations_in_manifest: dict[str, str] = field(default_factory=dict)

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return str(self.body.get("kind") or "")

    @property
    def name(self) -> str:
        return str(self.metadata.get("name") or "")

    @property
    def namespace(self) -> str:
        return str(self.metadata.get("namespace") or "")

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.body.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise ManifestObjectError(f"{self.kind} {self.source}: metadata is not an object")
        return meta

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    def key(self) -> MatchKey:
        return MatchKey.of(self)

    def describe(self) -> str:
        """`Kind "name" in namespace "ns"`, as Helm names objects in errors."""
        return f'{self.kind} "{self.name}" in namespace "{self.namespace}"'

    def copy(self) -> KubeObject:
        return KubeObject(copy.deepcopy(self.body), self.source, dict(self.annotations_in_manifest))


def go_json_numbers(value: Any) -> Any:
    """Integral floats become ints, as Go's encoding/json prints float64 values that are whole."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _GO_PLAIN_FLOAT_LIMIT:
        return int(value)
    if isinstance(value, dict):
        return {key: go_json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [go_json_numbers(item) for item in value]
    return value


def parse_manifest(text: str) -> list[KubeObject]:
    """Every object of a release manifest (or any multi-document YAML), in document order."""
    objects: list[KubeObject] = []
    source = ""
    for document in split_manifests(text):
        for line in document.splitlines():
            if line.startswith(SOURCE_PREFIX):
                source = line[len(SOURCE_PREFIX) :].strip()
                break
        if not go_trim_space(document):
            continue
        try:
            data = yaml.load(document)
        except InvalidArgument as err:
            raise ManifestObjectError(f"error parsing {source or 'manifest'}: {err}") from err
        objects.extend(_objects_of(data, source))
    return objects


def _objects_of(data: Any, source: str) -> Iterable[KubeObject]:
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ManifestObjectError(f"error parsing {source or 'manifest'}: document is not an object")
    body = go_json_numbers(data)
    if not body.get("kind"):
        raise ManifestObjectError(f"error validating {source or 'manifest'}: Object 'Kind' is missing")
    if not body.get("apiVersion"):
        raise ManifestObjectError(f"error validating {source or 'manifest'}: Object 'apiVersion' is missing")
    kind = str(body["kind"])
    if kind.endswith("List") and isinstance(body.get("items"), list):
        return [obj for item in body["items"] for obj in _objects_of(item, source)]
    annotations = (body.get("metadata") or {}).get("annotations") or {}
    return [KubeObject(body, source, {str(k): str(v) for k, v in annotations.items()})]
