"""HTTP chart repositories: fetching `index.yaml` (cached for a bounded time) and the
archives its entries point at."""

from __future__ import annotations

import base64
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from otterhelm.errors import NotFound, PermissionDenied, Unauthenticated, Unavailable

from .config import ChartRepository, SourcesConfig
from .index import ChartVersion, IndexFile, parse_index, resolve_reference_url
from .transport import Fetched, fetch


@dataclass
class IndexCache:
    """Parsed indexes by repository URL, each kept `ttl_seconds` at most."""

    ttl_seconds: float
    clock: Callable[[], float] = time.monotonic
    _entries: dict[str, tuple[float, IndexFile]] = field(default_factory=dict)

    def get(self, url: str) -> IndexFile | None:
        entry = self._entries.get(url)
        if entry is None:
            return None
        stored_at, index = entry
        if self.clock() - stored_at >= self.ttl_seconds:
            del self._entries[url]
            return None
        return index

    def put(self, url: str, index: IndexFile) -> None:
        self._entries[url] = (self.clock(), index)


def same_origin(a: str, b: str) -> bool:
    pa, pb = urllib.parse.urlsplit(a), urllib.parse.urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


def check_http_status(got: Fetched, what: str) -> None:
    if got.status < 300:
        return
    if got.status == 401:
        raise Unauthenticated(f"{what}: {got.url} requires credentials or rejected them (401)")
    if got.status == 403:
        raise PermissionDenied(f"{what}: {got.url} denied access (403)")
    if got.status in (404, 410):
        raise NotFound(f"{what}: {got.url} not found ({got.status})")
    raise Unavailable(f"{what}: {got.url} answered {got.status}")


class RepositoryClient:
    def __init__(self, config: SourcesConfig, http: httpx.AsyncClient, cache: IndexCache) -> None:
        self._config = config
        self._http = http
        self._cache = cache

    def _headers(self, repo: ChartRepository, url: str) -> dict[str, str]:
        # Credentials go only to the repository's own origin, as helm does without
        # --pass-credentials.
        if repo.credentials is None or not same_origin(repo.url, url):
            return {}
        token = base64.b64encode(f"{repo.credentials.username}:{repo.credentials.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    async def index(self, repo: ChartRepository) -> IndexFile:
        cached = self._cache.get(repo.url)
        if cached is not None:
            return cached
        url = resolve_reference_url(repo.url, "index.yaml")
        limits = self._config.limits
        got = await fetch(
            self._http,
            "GET",
            url,
            headers=self._headers(repo, url),
            max_bytes=limits.max_index_bytes,
            timeout_seconds=limits.timeout_seconds,
            what=f"index of repository {repo.name!r}",
        )
        if got.status == 404:
            raise Unavailable(f"repository {repo.name!r}: {url} has no index.yaml (404)")
        check_http_status(got, f"index of repository {repo.name!r}")
        index = parse_index(got.body, f"repository {repo.name!r}")
        self._cache.put(repo.url, index)
        return index

    async def download(self, repo: ChartRepository, entry: ChartVersion) -> tuple[str, bytes]:
        if not entry.urls:
            raise NotFound(f"{entry.name} {entry.version} in repository {repo.name!r} lists no URL")
        url = resolve_reference_url(repo.url, entry.urls[0])
        return url, await self.download_url(repo, url, f"chart {entry.name}-{entry.version}")

    async def download_url(self, repo: ChartRepository, url: str, what: str = "chart archive") -> bytes:
        limits = self._config.limits
        got = await fetch(
            self._http,
            "GET",
            url,
            headers=self._headers(repo, url),
            max_bytes=limits.max_archive_bytes,
            timeout_seconds=limits.timeout_seconds,
            what=what,
        )
        check_http_status(got, what)
        return got.body
