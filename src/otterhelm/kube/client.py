"""The HTTP side of the Kubernetes client: one connection pool per cluster."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from otterhelm.kube.credentials import ClusterCredentials
from otterhelm.kube.errors import KubeRequestTimeout, KubeUnreachable, error_from_response
from otterhelm.kube.identity import Identity
from otterhelm.kube.resources import Resource
from otterhelm.kube.serverclock import ServerClock

JSON = "application/json"
APPLY_PATCH = "application/apply-patch+yaml"


class KubeClient:
    """Calls one API server, as the service's own credentials or impersonating a caller."""

    def __init__(
        self,
        credentials: ClusterCredentials,
        *,
        timeout_seconds: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        server_clock: ServerClock | None = None,
    ) -> None:
        self.credentials = credentials
        # The server's time, learnt from every answer (lease times are kept in it).
        self.server_clock = server_clock or ServerClock()
        self._http = httpx.AsyncClient(
            base_url=credentials.server,
            verify=credentials.ssl_context(),
            timeout=timeout_seconds,
            transport=transport,
            headers={"User-Agent": "otterhelm"},
            # One multiplexed connection: a kind-wave of concurrent requests then costs one
            # TLS handshake instead of one per request (the API server offers h2 by ALPN).
            http2=_http2_available(),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        identity: Identity | None,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        content_type: str = JSON,
    ) -> Any:
        """The decoded JSON answer; a failure raises the typed error from kube.errors.

        `body` is sent as JSON unless it is already bytes (for example a merge patch).
        """
        response = await self.send(
            method, path, identity=identity, params=params, body=body, content_type=content_type
        )
        if not response.content:
            return None
        return response.json()

    async def send(
        self,
        method: str,
        path: str,
        *,
        identity: Identity | None,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        content_type: str = JSON,
        accept: str = JSON,
        headers: Sequence[tuple[str, str]] = (),
    ) -> httpx.Response:
        """The raw answer, for callers that ask for another encoding (protobuf lists) or
        send conditional requests (`headers`); a failure raises the typed error from
        kube.errors, a 304 is returned as it is."""
        sent: list[tuple[str, str]] = [("Accept", accept), *headers]
        token = self.credentials.bearer_token()
        if token:
            sent.append(("Authorization", f"Bearer {token}"))
        if identity is not None:
            sent.extend(identity.impersonation_headers())
        content: bytes | None = None
        if body is not None:
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            sent.append(("Content-Type", content_type))
        try:
            response = await self._http.request(
                method, path, params=dict(params or {}), headers=sent, content=content
            )
        except httpx.TimeoutException as error:
            raise KubeRequestTimeout(
                f"Kubernetes API server did not answer {method} {path} in time"
            ) from error
        except httpx.TransportError as error:
            raise KubeUnreachable(
                f"cannot reach the Kubernetes API server {self.credentials.server}: {error}"
            ) from error
        date = response.headers.get("date")
        if date:
            self.server_clock.observe(date)
        if response.status_code >= 400:
            raise error_from_response(response.status_code, response.content)
        return response

    async def list(
        self,
        resource: Resource,
        *,
        identity: Identity | None,
        namespace: str = "",
        page_size: int = 500,
    ) -> list[dict[str, Any]]:
        """Every object of a resource (in one namespace, or all), following `continue` pages."""
        items: list[dict[str, Any]] = []
        params = {"limit": str(page_size)}
        while True:
            page = await self.request(
                "GET", resource.collection_path(namespace), identity=identity, params=params
            )
            items.extend(item for item in page.get("items") or [] if isinstance(item, dict))
            continue_token = (page.get("metadata") or {}).get("continue")
            if not continue_token:
                return items
            params = {"limit": str(page_size), "continue": continue_token}

    async def get(
        self, resource: Resource, name: str, *, identity: Identity | None, namespace: str = ""
    ) -> dict[str, Any]:
        found: dict[str, Any] = await self.request(
            "GET", resource.object_path(name, namespace), identity=identity
        )
        return found

    async def create(
        self,
        resource: Resource,
        body: Mapping[str, Any],
        *,
        identity: Identity | None,
        namespace: str = "",
        dry_run: bool = False,
    ) -> dict[str, Any]:
        created: dict[str, Any] = await self.request(
            "POST",
            resource.collection_path(namespace),
            identity=identity,
            params=_dry_run(dry_run),
            body=dict(body),
        )
        return created

    async def apply(
        self,
        resource: Resource,
        body: Mapping[str, Any],
        *,
        identity: Identity | None,
        field_manager: str,
        namespace: str = "",
        force: bool = False,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Server-side apply of `body` (which names the object in its metadata)."""
        name = str(body["metadata"]["name"])
        params = {"fieldManager": field_manager, **_dry_run(dry_run)}
        if force:
            params["force"] = "true"
        applied: dict[str, Any] = await self.request(
            "PATCH",
            resource.object_path(name, namespace),
            identity=identity,
            params=params,
            # JSON is YAML, and the apply content type takes either.
            body=json.dumps(dict(body)).encode(),
            content_type=APPLY_PATCH,
        )
        return applied

    async def delete(
        self,
        resource: Resource,
        name: str,
        *,
        identity: Identity | None,
        namespace: str = "",
        propagation: str = "Background",
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Deletes and returns what the API server answered (the object or a Status)."""
        # With a DeleteOptions body the API server reads the options from it, not the query.
        options: dict[str, Any] = {
            "kind": "DeleteOptions",
            "apiVersion": "v1",
            "propagationPolicy": propagation,
        }
        if dry_run:
            options["dryRun"] = ["All"]
        answer: dict[str, Any] = await self.request(
            "DELETE", resource.object_path(name, namespace), identity=identity, body=options
        )
        return answer


def _http2_available() -> bool:
    return importlib.util.find_spec("h2") is not None


def _dry_run(dry_run: bool) -> dict[str, str]:
    return {"dryRun": "All"} if dry_run else {}
