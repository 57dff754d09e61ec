"""One entry point from a `chart_ref` (and an optional version constraint) to a verified
chart archive: `ChartSources.resolve` and the convenience function `resolve`."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType

import httpx

from otterhelm.chart.model import Chart
from otterhelm.errors import InvalidArgument, NotFound

from .archive import load_archive, load_directory, package
from .cache import ArchiveCache, normalize_digest, sha256_digest, verify_digest
from .config import SourcesConfig, TLSOptions
from .http import download_archive
from .index import IndexFile
from .local import read_local_archive
from .oci import OciClient
from .reference import FIELD, LocalRef, OciRef, RepoRef, UrlRef, parse_chart_ref
from .repo import IndexCache, RepositoryClient, same_origin
from .transport import make_client


@dataclass(frozen=True)
class ResolvedChart:
    """`ref` is the canonical reference that was installed: an OCI reference pinned to its
    manifest digest, `repo/chart@<exact version>`, the URL, or the resolved local path."""

    archive: bytes
    digest: str  # sha256 of `archive`
    ref: str
    chart: Chart

    @property
    def version(self) -> str:
        return self.chart.metadata.version


@dataclass
class ChartSources:
    """Long-lived: holds the index cache and HTTP clients. Use `async with`."""

    config: SourcesConfig
    index_cache: IndexCache | None = None
    _clients: dict[TLSOptions, httpx.AsyncClient] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.index_cache is None:
            self.index_cache = IndexCache(self.config.index_ttl_seconds)

    async def __aenter__(self) -> ChartSources:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def _http(self, tls: TLSOptions) -> httpx.AsyncClient:
        client = self._clients.get(tls)
        if client is None:
            client = self._clients[tls] = make_client(self.config.policy, self.config.limits, tls)
        return client

    @property
    def archive_cache(self) -> ArchiveCache | None:
        if self.config.cache_dir is None:
            return None
        return ArchiveCache(self.config.cache_dir, self.config.cache_max_bytes)

    def oci(self, host: str) -> OciClient:
        return OciClient(self.config, host, self._http(self.config.registry(host).tls))

    async def repository_index(self, name: str) -> IndexFile:
        repo = self.config.repository(name)
        if repo is None:
            raise NotFound(f"chart repository {name!r} is not configured")
        client = RepositoryClient(self.config, self._http(repo.tls), self._index_cache())
        return await client.index(repo)

    def _index_cache(self) -> IndexCache:
        assert self.index_cache is not None
        return self.index_cache

    async def resolve(self, chart_ref: str, version: str | None = None) -> ResolvedChart:
        ref = parse_chart_ref(chart_ref)
        constraint = version.strip() if version and version.strip() else None
        if isinstance(ref, OciRef):
            return await self._resolve_oci(ref, constraint)
        if isinstance(ref, RepoRef):
            return await self._resolve_repo(ref, constraint)
        if constraint is not None:
            raise InvalidArgument(f"a version cannot be chosen for {chart_ref!r}", field="version")
        if isinstance(ref, UrlRef):
            return await self._resolve_url(ref)
        return self._resolve_local(ref)

    def _finish(self, archive: bytes, ref: str, expected: str | None = None) -> ResolvedChart:
        digest = verify_digest(archive, expected, ref)
        chart = load_archive(archive, ref)
        cache = self.archive_cache
        if cache is not None:
            cache.put(archive)
        return ResolvedChart(archive=archive, digest=digest, ref=ref, chart=chart)

    def _cached(self, digest: str | None) -> bytes | None:
        cache = self.archive_cache
        if cache is None or digest is None:
            return None
        return cache.get(digest)

    async def _resolve_oci(self, ref: OciRef, constraint: str | None) -> ResolvedChart:
        async with self.oci(ref.registry) as client:
            chosen = await client.resolve_tag(ref, constraint)
            pulled = await client.pull(chosen, self.archive_cache)
        return self._finish(pulled.archive, str(pulled.ref), pulled.archive_digest)

    async def _resolve_repo(self, ref: RepoRef, constraint: str | None) -> ResolvedChart:
        if ref.version is not None and constraint is not None and ref.version != constraint:
            raise InvalidArgument(
                f"chart reference and version mismatch: {constraint} is not {ref.version}", field=FIELD
            )
        repo = self.config.repository(ref.repository)
        if repo is None:
            raise NotFound(f"chart repository {ref.repository!r} is not configured")
        client = RepositoryClient(self.config, self._http(repo.tls), self._index_cache())
        index = await client.index(repo)
        entry = index.get(ref.chart, ref.version or constraint)
        canonical = f"{repo.name}/{entry.name}@{entry.version}"
        expected = normalize_digest(entry.digest) if entry.digest else None
        archive = self._cached(expected)
        if archive is None:
            _, archive = await client.download(repo, entry)
        return self._finish(archive, canonical, expected)

    async def _resolve_url(self, ref: UrlRef) -> ResolvedChart:
        # An archive on a configured repository's server gets that repository's TLS settings
        # and credentials; any other URL is fetched anonymously with the default trust.
        repo = next((r for r in self.config.repositories if same_origin(r.url, ref.url)), None)
        if repo is None:
            archive = await download_archive(self._http(TLSOptions()), ref.url, self.config.limits)
        else:
            client = RepositoryClient(self.config, self._http(repo.tls), self._index_cache())
            archive = await client.download_url(repo, ref.url)
        return self._finish(archive, ref.url)

    def _resolve_local(self, ref: LocalRef) -> ResolvedChart:
        path, data = read_local_archive(
            ref.path, self.config.local_roots, self.config.limits.max_archive_bytes
        )
        if data is not None:
            return self._finish(data, str(path))
        chart = load_directory(path, str(path))
        archive = package(chart)
        return ResolvedChart(archive=archive, digest=sha256_digest(archive), ref=str(path), chart=chart)


async def resolve(chart_ref: str, version: str | None, config: SourcesConfig) -> ResolvedChart:
    """Resolve one reference with a throwaway `ChartSources` (no index cache carried over)."""
    async with ChartSources(config) as sources:
        return await sources.resolve(chart_ref, version)
