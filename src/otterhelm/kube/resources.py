"""Kubernetes resource types and their REST paths."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Resource:
    """One API resource: `group` is "" for the core API."""

    group: str
    version: str
    plural: str
    namespaced: bool

    @property
    def api_prefix(self) -> str:
        if self.group == "":
            return f"/api/{self.version}"
        return f"/apis/{self.group}/{self.version}"

    def collection_path(self, namespace: str = "") -> str:
        """The list path; an empty namespace of a namespaced resource lists all namespaces."""
        if self.namespaced and namespace:
            return f"{self.api_prefix}/namespaces/{namespace}/{self.plural}"
        return f"{self.api_prefix}/{self.plural}"

    def object_path(self, name: str, namespace: str = "") -> str:
        return f"{self.collection_path(namespace)}/{name}"


NAMESPACES = Resource("", "v1", "namespaces", namespaced=False)
STORAGE_CLASSES = Resource("storage.k8s.io", "v1", "storageclasses", namespaced=False)
CONFIG_MAPS = Resource("", "v1", "configmaps", namespaced=True)
SECRETS = Resource("", "v1", "secrets", namespaced=True)
