"""The `lookup` template function against the live cluster (pkg/engine/lookup_func.go).

Rendering is synchronous, so lookups use their own blocking connection with the same
credentials. An object that does not exist reads as an empty map; an empty name lists the
kind (in the namespace, or cluster-wide) as a `*List` object.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from otterhelm.kube.credentials import ClusterCredentials
from otterhelm.kube.errors import error_from_response
from otterhelm.kube.identity import Identity
from otterhelm.kube.resources import Resource


class ClusterLookup:
    """A LookupReader for the render engine; close it after rendering."""

    def __init__(
        self, credentials: ClusterCredentials, identity: Identity | None, timeout_seconds: float = 30.0
    ):
        self._credentials = credentials
        self._identity = identity
        self._timeout = timeout_seconds
        # Opened by the first lookup: most charts never call it, and a TLS context costs.
        self._http: httpx.Client | None = None
        self._resources: dict[tuple[str, str], Resource | None] = {}

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                base_url=self._credentials.server,
                verify=self._credentials.ssl_context(),
                timeout=self._timeout,
                headers={"Accept": "application/json", "User-Agent": "otterhelm"},
            )
        return self._http

    def _get(self, path: str) -> tuple[int, Any]:
        headers: dict[str, str] = {}
        token = self._credentials.bearer_token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self._identity is not None:
            headers.update(dict(self._identity.impersonation_headers()))
        response = self._client().get(path, headers=headers)
        if response.status_code == 404:
            return 404, None
        if response.status_code >= 400:
            raise error_from_response(response.status_code, response.content)
        return response.status_code, json.loads(response.content)

    def _resource(self, api_version: str, kind: str) -> Resource | None:
        key = (api_version, kind)
        if key not in self._resources:
            group, _, version = api_version.rpartition("/")
            _, listing = self._get(f"/api/{version}" if not group else f"/apis/{group}/{version}")
            found = None
            for entry in (listing or {}).get("resources") or []:
                if entry.get("kind") == kind and "/" not in str(entry.get("name", "")):
                    found = Resource(group, version, str(entry["name"]), bool(entry.get("namespaced")))
                    break
            self._resources[key] = found
        return self._resources[key]

    def lookup(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
        resource = self._resource(api_version, kind)
        if resource is None:
            return {}
        path = resource.object_path(name, namespace) if name else resource.collection_path(namespace)
        _, found = self._get(path)
        return found if isinstance(found, dict) else {}
