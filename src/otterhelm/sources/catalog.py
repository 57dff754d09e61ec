"""The chart catalog behind ListCharts, GetChart, GetChartMetadata and UploadChart, in plain
dataclasses (the service maps them onto Application.Chart and its nested messages).

Charts come from every configured HTTP repository (their cached indexes) and from the upload
registry (OCI: its catalog, tags and Helm configs). Every `chart_ref` given out is
installable as is.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from otterhelm.errors import FailedPrecondition, NotFound

from . import versions
from .archive import load_archive
from .config import SourcesConfig
from .index import ChartVersion
from .oci import OciClient, PushedChart
from .reference import OciRef, parse_oci_ref
from .resolver import ChartSources

LICENSE_ANNOTATION = "artifacthub.io/license"


@dataclass(frozen=True)
class Maintainer:
    name: str
    email: str
    url: str


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str
    condition: str


@dataclass(frozen=True)
class Version:
    chart_version: str
    chart_ref: str
    application_version: str


@dataclass(frozen=True)
class CatalogChart:
    name: str
    icon: str
    description: str
    deprecated: bool
    tags: str
    keywords: tuple[str, ...]
    license: str
    verified: bool
    home: str
    sources: tuple[str, ...]
    maintainers: tuple[Maintainer, ...]
    dependencies: tuple[Dependency, ...]
    versions: tuple[Version, ...]  # newest first


@dataclass(frozen=True)
class ChartDocuments:
    values_yaml: str
    readme_md: str


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(_s(v) for v in value) if isinstance(value, list) else ()


def chart_from_fields(fields: Mapping[str, Any], chart_versions: list[Version]) -> CatalogChart:
    """A catalog entry from Chart.yaml fields (an index entry or a Helm OCI config)."""
    maintainers = tuple(
        Maintainer(_s(m.get("name")), _s(m.get("email")), _s(m.get("url")))
        for m in fields.get("maintainers") or []
        if isinstance(m, Mapping)
    )
    dependencies = tuple(
        Dependency(_s(d.get("name")), _s(d.get("version")), _s(d.get("condition")))
        for d in fields.get("dependencies") or []
        if isinstance(d, Mapping)
    )
    annotations = fields.get("annotations")
    license_text = _s(annotations.get(LICENSE_ANNOTATION)) if isinstance(annotations, Mapping) else ""
    return CatalogChart(
        name=_s(fields.get("name")),
        icon=_s(fields.get("icon")),
        description=_s(fields.get("description")),
        deprecated=fields.get("deprecated") is True,
        tags=_s(fields.get("tags")),
        keywords=_strings(fields.get("keywords")),
        license=license_text,
        verified=False,  # provenance is not checked, so nothing is claimed verified
        home=_s(fields.get("home")),
        sources=_strings(fields.get("sources")),
        maintainers=maintainers,
        dependencies=dependencies,
        versions=tuple(chart_versions),
    )


def _repo_version(repository: str, cv: ChartVersion) -> Version:
    return Version(cv.version, f"{repository}/{cv.name}@{cv.version}", _s(cv.get("appVersion")))


def _latest(entries: tuple[ChartVersion, ...]) -> ChartVersion:
    """The newest non-prerelease version when there is one (what `helm search repo` shows)."""
    chosen = versions.select([e.version for e in entries], None)
    return next((e for e in entries if e.version == chosen), entries[0])


class Catalog:
    def __init__(self, sources: ChartSources) -> None:
        self._sources = sources
        self._configs: dict[str, dict[str, Any]] = {}  # Helm configs by manifest digest (immutable)

    @property
    def _config(self) -> SourcesConfig:
        return self._sources.config

    async def _repository_charts(self, latest_only: bool) -> list[CatalogChart]:
        charts: list[CatalogChart] = []
        for repo in self._config.repositories:
            index = await self._sources.repository_index(repo.name)
            for name in sorted(index.entries):
                entries = index.entries[name]
                if not entries:
                    continue
                newest = _latest(entries)
                chosen = [newest] if latest_only else list(entries)
                charts.append(chart_from_fields(newest.fields, [_repo_version(repo.name, e) for e in chosen]))
        return charts

    def _upload_target(self) -> OciRef | None:
        if self._config.upload_registry is None:
            return None
        return parse_oci_ref(self._config.upload_registry)

    def _oci_namespaces(self) -> list[OciRef]:
        texts = [self._config.upload_registry, *self._config.oci_catalogs]
        return [parse_oci_ref(t) for t in dict.fromkeys(t for t in texts if t)]

    async def _registry_charts(self, latest_only: bool, only: str | None = None) -> list[CatalogChart]:
        charts: list[CatalogChart] = []
        for target in self._oci_namespaces():
            charts += await self._namespace_charts(target, latest_only, only)
        return charts

    async def _namespace_charts(
        self, target: OciRef, latest_only: bool, only: str | None
    ) -> list[CatalogChart]:
        prefix = target.repository + "/"
        charts: list[CatalogChart] = []
        async with self._sources.oci(target.registry) as client:
            repositories = sorted(r for r in await client.repositories() if r.startswith(prefix))
            for repository in repositories:
                name = repository.rsplit("/", 1)[-1]
                if only is not None and name != only:
                    continue
                ref = OciRef(target.registry, repository)
                tags = await client.tags(ref)
                if not tags:
                    continue
                newest = versions.select(tags, None, strict=True) or tags[0]
                _, fields = await self._config_for(client, ref.with_tag(newest))
                chart_versions = []
                for tag in [newest] if latest_only else tags:
                    _, tag_fields = await self._config_for(client, ref.with_tag(tag))
                    chart_versions.append(
                        Version(tag, str(ref.with_tag(tag)), _s(tag_fields.get("appVersion")))
                    )
                charts.append(chart_from_fields(fields, chart_versions))
        return charts

    async def _config_for(self, client: OciClient, ref: OciRef) -> tuple[str, dict[str, Any]]:
        digest, fields = await client.chart_config(ref)
        return digest, self._configs.setdefault(digest, fields)

    async def list_charts(self) -> list[CatalogChart]:
        """Every chart, each with its latest version only, sorted by name."""
        charts = await self._repository_charts(latest_only=True) + await self._registry_charts(
            latest_only=True
        )
        return sorted(charts, key=lambda c: c.name)

    async def get_chart(self, name: str) -> CatalogChart:
        """One chart with all its versions, newest first. `name` is a chart name, or
        `repo/name` to pick a repository."""
        repository, _, chart_name = name.rpartition("/")
        if not chart_name:
            raise NotFound("a chart name is required")
        for repo in self._config.repositories:
            if repository and repo.name != repository:
                continue
            index = await self._sources.repository_index(repo.name)
            entries = index.entries.get(chart_name)
            if entries:
                return chart_from_fields(
                    _latest(entries).fields, [_repo_version(repo.name, e) for e in entries]
                )
        if not repository:
            found = await self._registry_charts(latest_only=False, only=chart_name)
            if found:
                return found[0]
        raise NotFound(f"chart {name!r} not found in the configured repositories")

    async def documents(self, chart_ref: str) -> ChartDocuments:
        """The chart's default values.yaml (as written) and README."""
        resolved = await self._sources.resolve(chart_ref)
        raw = {f.name: f.data for f in resolved.chart.raw}
        readme = next(
            (raw[n] for n in sorted(raw) if "/" not in n and posixpath.splitext(n)[0].lower() == "readme"),
            b"",
        )
        values = raw.get("values.yaml", b"")
        return ChartDocuments(values.decode("utf-8", "replace"), readme.decode("utf-8", "replace"))

    async def upload(self, content: bytes) -> PushedChart:
        """Validate an archive as Helm would and push it to the upload registry."""
        target = self._upload_target()
        if target is None:
            raise FailedPrecondition("no upload registry is configured (sources.uploadRegistry)")
        chart = load_archive(content, "uploaded chart")
        async with self._sources.oci(target.registry) as client:
            return await client.push(content, chart.metadata, OciRef(target.registry, target.repository))
