"""An OCI distribution client for Helm charts: manifests and blobs with Helm's media types,
tag listing, version selection, pushes as helm v4 writes them, and the registry token flow
(WWW-Authenticate Bearer realm/service/scope) or basic auth.

Behaviour follows helm/helm pkg/registry (client.go Push/Tags/ValidateReference, chart.go
annotations, tag.go, constants.go) and the distribution spec's API.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import httpx

from otterhelm.chart.model import Metadata
from otterhelm.codec.json import to_struct_json
from otterhelm.errors import (
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)

from . import versions
from .cache import ArchiveCache, DigestMismatch, sha256_digest, verify_digest
from .config import Registry, SourcesConfig
from .reference import OciRef
from .transport import Fetched, fetch, make_client

CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
LEGACY_CHART_LAYER_MEDIA_TYPE = "application/tar+gzip"
PROV_LAYER_MEDIA_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"

_AUTH_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


@dataclass(frozen=True)
class Descriptor:
    media_type: str
    digest: str
    size: int

    def to_go(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "digest": self.digest, "size": self.size}

    @staticmethod
    def from_json(data: Any) -> Descriptor:
        if not isinstance(data, dict):
            raise InvalidArgument("manifest descriptor is not an object")
        try:
            return Descriptor(str(data["mediaType"]), str(data["digest"]), int(data["size"]))
        except (KeyError, TypeError, ValueError) as err:
            raise InvalidArgument(f"manifest descriptor is malformed: {err}") from None


@dataclass(frozen=True)
class PulledChart:
    ref: OciRef  # with the tag (if any) and the manifest digest
    archive: bytes
    archive_digest: str
    manifest_digest: str
    config: dict[str, Any]


@dataclass(frozen=True)
class PushedChart:
    ref: OciRef
    manifest_digest: str
    archive_digest: str


@dataclass
class _AuthState:
    basic: bool = False
    tokens: dict[str, str] = field(default_factory=dict)


def _parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    scheme, _, rest = header.strip().partition(" ")
    params = {m[1].lower(): (m[2] if m[2] is not None else m[3]) for m in _AUTH_PARAM.finditer(rest)}
    return scheme.lower(), params


def _error_detail(body: bytes) -> str:
    try:
        errors = json.loads(body).get("errors") or []
        return "; ".join(f"{e.get('code', '')}: {e.get('message', '')}" for e in errors) or body[:200].decode(
            "utf-8", "replace"
        )
    except (ValueError, AttributeError):
        return body[:200].decode("utf-8", "replace")


class OciClient:
    """One registry host. Use as `async with OciClient(config, host) as client:`."""

    def __init__(self, config: SourcesConfig, host: str, http: httpx.AsyncClient | None = None) -> None:
        self._config = config
        self._registry: Registry = config.registry(host)
        self._host = host
        scheme = "http" if self._registry.tls.plain_http else "https"
        self._base = f"{scheme}://{host}"
        self._own_http = http is None
        self._http = http or make_client(config.policy, config.limits, self._registry.tls)
        self._auth = _AuthState()

    async def __aenter__(self) -> OciClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._own_http:
            await self._http.aclose()

    # --- requests and auth -------------------------------------------------------------

    def _basic_header(self) -> str | None:
        creds = self._registry.credentials
        if creds is None:
            return None
        raw = f"{creds.username}:{creds.password}".encode()
        return "Basic " + base64.b64encode(raw).decode()

    async def _token(self, params: dict[str, str], scope: str) -> str:
        realm = params.get("realm")
        if not realm:
            raise Unavailable(f"registry {self._host} sent a Bearer challenge without a realm")
        # Ask for the scope this request needs; the challenge may name a narrower one (a pull
        # scope on the HEAD that precedes a push), which is asked for as well.
        query = [("service", params["service"])] if params.get("service") else []
        query += [("scope", s) for s in dict.fromkeys((scope, params.get("scope") or scope))]
        url = realm + ("&" if "?" in realm else "?") + urllib.parse.urlencode(query)
        headers: dict[str, str] = {}
        basic = self._basic_header()
        if basic is not None:
            headers["Authorization"] = basic
        got = await self._fetch("GET", url, headers=headers, max_bytes=1024 * 1024, what="token request")
        if got.status == 401:
            raise Unauthenticated(
                f"registry {self._host}: the token service refused "
                + ("the configured credentials" if basic else "anonymous access; configure credentials")
            )
        if got.status == 403:
            raise PermissionDenied(f"registry {self._host}: access to {scope} denied by the token service")
        if got.status != 200:
            raise Unavailable(f"registry {self._host}: token service answered {got.status}")
        try:
            body = json.loads(got.body)
            token = body.get("token") or body.get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise Unavailable(f"registry {self._host}: token service sent no token")
        return token

    async def _fetch(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        max_bytes: int,
        content: bytes | None = None,
        what: str,
    ) -> Fetched:
        limits = self._config.limits
        return await fetch(
            self._http,
            method,
            url,
            headers=headers,
            content=content,
            max_bytes=max_bytes,
            timeout_seconds=limits.timeout_seconds,
            what=what,
        )

    async def _request(
        self,
        method: str,
        path_or_url: str,
        *,
        scope: str,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        max_bytes: int = 1024 * 1024,
        what: str,
    ) -> Fetched:
        url = path_or_url if "://" in path_or_url else self._base + path_or_url
        for attempt in range(3):
            sent = dict(headers or {})
            if scope in self._auth.tokens:
                sent["Authorization"] = "Bearer " + self._auth.tokens[scope]
            elif self._auth.basic and (basic := self._basic_header()) is not None:
                sent["Authorization"] = basic
            got = await self._fetch(
                method, url, headers=sent, content=content, max_bytes=max_bytes, what=what
            )
            if got.status != 401 or attempt == 2:
                break
            scheme, params = _parse_challenge(got.headers.get("www-authenticate", ""))
            if scheme == "bearer" and (scope not in self._auth.tokens or attempt == 0):
                # No token yet, or the cached one has expired: ask the token service.
                self._auth.tokens[scope] = await self._token(params, scope)
                continue
            if scheme == "basic" and not self._auth.basic and self._registry.credentials is not None:
                self._auth.basic = True
                continue
            break
        self._raise_for_status(got, what)
        return got

    def _raise_for_status(self, got: Fetched, what: str) -> None:
        if got.status < 300:
            return
        detail = _error_detail(got.body)
        if got.status == 401:
            _, challenge = _parse_challenge(got.headers.get("www-authenticate", ""))
            if challenge.get("error") == "insufficient_scope" and self._auth.tokens:
                raise PermissionDenied(f"{what}: registry {self._host} denied access: {detail}")
            if self._registry.credentials is None:
                raise Unauthenticated(f"{what}: registry {self._host} requires credentials: {detail}")
            raise Unauthenticated(f"{what}: registry {self._host} rejected the credentials: {detail}")
        if got.status == 403:
            raise PermissionDenied(f"{what}: registry {self._host} denied access: {detail}")
        if got.status == 404:
            raise NotFound(f"{what}: not found: {detail}")
        if got.status == 429 or got.status >= 500:
            raise Unavailable(f"{what}: registry {self._host} answered {got.status}: {detail}")
        raise InvalidArgument(f"{what}: registry {self._host} answered {got.status}: {detail}")

    @staticmethod
    def _scope(ref: OciRef, *actions: str) -> str:
        return f"repository:{ref.repository}:{','.join(actions)}"

    # --- reading ---------------------------------------------------------------------

    async def tags(self, ref: OciRef) -> list[str]:
        """Semver tags of `ref`'s repository as chart versions (`_` back to `+`), newest first."""
        found: list[str] = []
        url: str | None = f"/v2/{ref.repository}/tags/list?n=1000"
        pages = 0
        while url and pages < 100:
            got = await self._request(
                "GET",
                url,
                scope=self._scope(ref, "pull"),
                max_bytes=8 * 1024 * 1024,
                what=f"tags of {ref.base}",
            )
            try:
                body = json.loads(got.body)
            except ValueError:
                raise Unavailable(f"tags of {ref.base}: registry sent invalid JSON") from None
            found.extend(str(t) for t in (body.get("tags") or []))
            url = _next_link(got.headers.get("link"), got.url)
            pages += 1
        return versions.newest_first((t.replace("_", "+") for t in found), strict=True)

    async def repositories(self) -> list[str]:
        """Every repository of the registry (`/v2/_catalog`, followed across pages)."""
        found: list[str] = []
        url: str | None = "/v2/_catalog?n=1000"
        pages = 0
        while url and pages < 100:
            got = await self._request(
                "GET",
                url,
                scope="registry:catalog:*",
                max_bytes=8 * 1024 * 1024,
                what=f"catalog of {self._host}",
            )
            try:
                body = json.loads(got.body)
            except ValueError:
                raise Unavailable(f"catalog of {self._host}: registry sent invalid JSON") from None
            found.extend(str(r) for r in (body.get("repositories") or []))
            url = _next_link(got.headers.get("link"), got.url)
            pages += 1
        return found

    async def chart_config(self, ref: OciRef) -> tuple[str, dict[str, Any]]:
        """The manifest digest and Helm config (Chart.yaml as JSON) of a chart, without its archive."""
        digest, body = await self.manifest(ref)
        config = Descriptor.from_json(body.get("config"))
        if config.media_type != CONFIG_MEDIA_TYPE:
            raise InvalidArgument(f"{ref} is not a Helm chart: config media type {config.media_type!r}")
        data = await self._blob(ref, config, self._config.limits.max_manifest_bytes)
        try:
            parsed = json.loads(data)
        except ValueError:
            raise InvalidArgument(f"{ref}: Helm config is not JSON") from None
        return digest, parsed if isinstance(parsed, dict) else {}

    async def resolve_tag(self, ref: OciRef, constraint: str | None) -> OciRef:
        """`ref` with the tag Helm would pick (pkg/registry ValidateReference)."""
        version = constraint or ref.tag
        if constraint and ref.tag is not None and ref.tag != constraint:
            raise InvalidArgument(
                f"chart reference and version mismatch: {constraint} is not {ref.tag}", field="chart_ref"
            )
        if ref.digest is not None and version is None:
            return ref
        if version is not None and versions.parse_version(version) is not None:
            return ref.with_tag(version)
        tags = await self.tags(ref)
        if not tags:
            raise NotFound(f"unable to locate any tags in provided repository: {ref.base}")
        try:
            chosen = versions.select(tags, version, strict=True)
        except InvalidArgument as err:
            raise InvalidArgument(str(err), field="version") from None
        if chosen is None:
            raise NotFound(f"{ref.base}: no tag matches the version constraint {version!r}")
        return ref.with_tag(chosen)

    async def manifest(self, ref: OciRef) -> tuple[str, dict[str, Any]]:
        reference = ref.digest or ref.wire_tag
        if reference is None:
            raise InvalidArgument(f"{ref} names neither a tag nor a digest", field="chart_ref")
        got = await self._request(
            "GET",
            f"/v2/{ref.repository}/manifests/{reference}",
            scope=self._scope(ref, "pull"),
            headers={"Accept": ", ".join((OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST))},
            max_bytes=self._config.limits.max_manifest_bytes,
            what=f"manifest of {ref}",
        )
        digest = verify_digest(got.body, ref.digest, f"manifest of {ref}")
        try:
            body = json.loads(got.body)
        except ValueError:
            raise InvalidArgument(f"manifest of {ref} is not JSON") from None
        if not isinstance(body, dict):
            raise InvalidArgument(f"manifest of {ref} is not a JSON object")
        return digest, body

    async def pull(self, ref: OciRef, cache: ArchiveCache | None = None) -> PulledChart:
        """The chart at `ref` (a tag or digest); its archive comes from `cache` when the
        manifest names a layer the cache holds."""
        if ref.tag is not None and ref.digest is not None:
            # Both given: the tag must still point at that digest (helm ValidateReference).
            try:
                tag_digest, _ = await self.manifest(OciRef(ref.registry, ref.repository, ref.tag))
            except NotFound:
                tag_digest = ref.digest
            if tag_digest != ref.digest:
                raise DigestMismatch(f"chart reference digest mismatch: {tag_digest} is not {ref.digest}")
        digest, body = await self.manifest(ref)
        media_type = body.get("mediaType")
        if media_type == OCI_INDEX or "manifests" in body:
            raise InvalidArgument(f"{ref} is an image index, not a Helm chart", field="chart_ref")
        config = Descriptor.from_json(body.get("config"))
        if config.media_type != CONFIG_MEDIA_TYPE:
            raise InvalidArgument(
                f"{ref} is not a Helm chart: config media type {config.media_type!r}", field="chart_ref"
            )
        layers = [Descriptor.from_json(d) for d in body.get("layers") or []]
        chart_layer = next(
            (d for d in layers if d.media_type in (CHART_LAYER_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE)),
            None,
        )
        if chart_layer is None:
            raise InvalidArgument(
                f"manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}",
                field="chart_ref",
            )
        limit = self._config.limits.max_archive_bytes
        if chart_layer.size > limit:
            raise ResourceExhausted(
                f"{ref}: chart layer is {chart_layer.size} bytes, more than the limit of {limit}"
            )
        config_body = await self._blob(ref, config, self._config.limits.max_manifest_bytes)
        cached = cache.get(chart_layer.digest) if cache is not None else None
        archive = cached if cached is not None else await self._blob(ref, chart_layer, limit)
        try:
            config_json = json.loads(config_body)
        except ValueError:
            config_json = {}
        return PulledChart(
            ref=OciRef(ref.registry, ref.repository, ref.tag, digest),
            archive=archive,
            archive_digest=chart_layer.digest,
            manifest_digest=digest,
            config=config_json if isinstance(config_json, dict) else {},
        )

    async def _blob(self, ref: OciRef, descriptor: Descriptor, limit: int) -> bytes:
        got = await self._request(
            "GET",
            f"/v2/{ref.repository}/blobs/{descriptor.digest}",
            scope=self._scope(ref, "pull"),
            max_bytes=min(limit, max(descriptor.size, 0)),
            what=f"blob {descriptor.digest} of {ref.base}",
        )
        verify_digest(got.body, descriptor.digest, f"blob of {ref.base}")
        return got.body

    # --- writing ---------------------------------------------------------------------

    async def push(
        self, archive: bytes, metadata: Metadata, target: OciRef, *, created: str | None = None
    ) -> PushedChart:
        """Push `archive` to `target` (`oci://host/namespace`, or `…/name:version` which must
        then match the chart, as helm's strict mode requires)."""
        if target.digest is not None:
            raise InvalidArgument("cannot push to a digest reference", field="chart_ref")
        if target.tag is None:
            ref = OciRef(target.registry, f"{target.repository}/{metadata.name}", metadata.version)
        else:
            if target.chart_name != metadata.name or target.tag != metadata.version:
                raise InvalidArgument(
                    "strict mode enabled, ref basename and tag must match the chart name and version",
                    field="chart_ref",
                )
            ref = target
        scope = self._scope(ref, "pull", "push")
        config_bytes = to_struct_json(helm_config(metadata)).encode()
        layer = Descriptor(CHART_LAYER_MEDIA_TYPE, sha256_digest(archive), len(archive))
        config = Descriptor(CONFIG_MEDIA_TYPE, sha256_digest(config_bytes), len(config_bytes))
        for descriptor, data in ((layer, archive), (config, config_bytes)):
            await self._upload_blob(ref, scope, descriptor, data)
        created_at = created or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        manifest = {
            "schemaVersion": 2,
            "config": config.to_go(),
            "layers": [layer.to_go()],
            "annotations": dict(sorted(helm_annotations(metadata, created_at).items())),
        }
        manifest_bytes = to_struct_json(manifest).encode()
        await self._request(
            "PUT",
            f"/v2/{ref.repository}/manifests/{ref.wire_tag}",
            scope=scope,
            headers={"Content-Type": OCI_MANIFEST},
            content=manifest_bytes,
            what=f"push of {ref}",
        )
        return PushedChart(
            ref=ref, manifest_digest=sha256_digest(manifest_bytes), archive_digest=layer.digest
        )

    async def _upload_blob(self, ref: OciRef, scope: str, descriptor: Descriptor, data: bytes) -> None:
        what = f"upload of {descriptor.digest} to {ref.base}"
        try:
            await self._request(
                "HEAD", f"/v2/{ref.repository}/blobs/{descriptor.digest}", scope=scope, what=what
            )
            return
        except NotFound:
            pass
        started = await self._request("POST", f"/v2/{ref.repository}/blobs/uploads/", scope=scope, what=what)
        location = started.headers.get("location")
        if not location:
            raise Unavailable(f"{what}: registry sent no upload location")
        upload = urllib.parse.urljoin(started.url, location)
        upload += ("&" if "?" in upload else "?") + urllib.parse.urlencode({"digest": descriptor.digest})
        await self._request(
            "PUT",
            upload,
            scope=scope,
            headers={"Content-Type": "application/octet-stream"},
            content=data,
            what=what,
        )


def _next_link(header: str | None, current: str) -> str | None:
    if not header:
        return None
    m = re.search(r"<([^>]+)>\s*;\s*rel=\"?next\"?", header)
    return urllib.parse.urljoin(current, m[1]) if m else None


def _go_map_order(value: Any) -> Any:
    """Maps with sorted keys at every depth, as encoding/json writes Go maps."""
    if isinstance(value, dict):
        return {k: _go_map_order(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_go_map_order(v) for v in value]
    return value


def helm_config(meta: Metadata) -> dict[str, Any]:
    """The chart's Metadata as Go marshals it (pkg/chart/v2 metadata.go field order, omitempty)."""
    maintainers = [
        {k: v for k, v in (("name", m.name), ("email", m.email), ("url", m.url)) if v}
        for m in meta.maintainers
        if m is not None
    ]
    dependencies = []
    for d in meta.active_dependencies():
        dep: dict[str, Any] = {"name": d.name}
        if d.version:
            dep["version"] = d.version
        dep["repository"] = d.repository
        for key, value in (
            ("condition", d.condition),
            ("tags", d.tags),
            ("enabled", d.enabled),
            ("import-values", _go_map_order(d.import_values)),
            ("alias", d.alias),
        ):
            if value:
                dep[key] = value
        dependencies.append(dep)
    fields: list[tuple[str, Any]] = [
        ("name", meta.name),
        ("home", meta.home),
        ("sources", meta.sources),
        ("version", meta.version),
        ("description", meta.description),
        ("keywords", meta.keywords),
        ("maintainers", maintainers),
        ("icon", meta.icon),
        ("apiVersion", meta.api_version),
        ("condition", meta.condition),
        ("tags", meta.tags),
        ("appVersion", meta.app_version),
        ("deprecated", meta.deprecated),
        ("annotations", dict(sorted(meta.annotations.items()))),
        ("kubeVersion", meta.kube_version),
        ("dependencies", dependencies),
        ("type", meta.type),
    ]
    return {k: v for k, v in fields if v}


def helm_annotations(meta: Metadata, created: str) -> dict[str, str]:
    """Manifest annotations as helm writes them (pkg/registry chart.go): the OCI image keys from
    Chart.yaml, then the chart's own annotations except title and version."""
    authors = ", ".join(
        m.name + (f" ({m.email})" if m.email else "") for m in meta.maintainers if m is not None
    )
    out: dict[str, str] = {}
    for key, value in (
        ("org.opencontainers.image.description", meta.description),
        ("org.opencontainers.image.title", meta.name),
        ("org.opencontainers.image.version", meta.version),
        ("org.opencontainers.image.url", meta.home),
        ("org.opencontainers.image.created", created),
        ("org.opencontainers.image.source", meta.sources[0] if meta.sources else ""),
        ("org.opencontainers.image.authors", authors),
    ):
        if value.strip():
            out[key] = value
    for key, value in meta.annotations.items():
        if key not in ("org.opencontainers.image.title", "org.opencontainers.image.version"):
            out[key] = value
    return out


__all__ = [
    "CHART_LAYER_MEDIA_TYPE",
    "CONFIG_MEDIA_TYPE",
    "OciClient",
    "PulledChart",
    "PushedChart",
    "helm_annotations",
    "helm_config",
]
