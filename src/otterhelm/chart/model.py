"""The chart model: what a loaded Helm chart holds (pkg/chart/v2 chart.go, metadata.go,
dependency.go). Field names follow Python conventions; `Metadata.to_template_map` gives the
capitalised Go field names templates see as `.Chart`."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

API_VERSION_V1 = "v1"
API_VERSION_V2 = "v2"

_MANIFEST_EXTENSIONS = (".yaml", ".yml", ".json")


@dataclass(slots=True)
class File:
    """A chart file: its path relative to the chart root and its raw bytes."""

    name: str
    data: bytes


@dataclass(slots=True)
class Maintainer:
    name: str = ""
    email: str = ""
    url: str = ""


@dataclass(slots=True)
class Dependency:
    """One entry of Chart.yaml `dependencies` (or v1 requirements.yaml)."""

    name: str = ""
    version: str = ""
    repository: str = ""
    condition: str = ""
    tags: list[str] = field(default_factory=list)
    enabled: bool = False
    import_values: list[Any] = field(default_factory=list)
    alias: str = ""

    def copy(self) -> Dependency:
        return Dependency(
            name=self.name,
            version=self.version,
            repository=self.repository,
            condition=self.condition,
            tags=list(self.tags),
            enabled=self.enabled,
            import_values=list(self.import_values),
            alias=self.alias,
        )


@dataclass(slots=True)
class Lock:
    """Chart.lock / requirements.lock."""

    generated: str = ""
    digest: str = ""
    dependencies: list[Dependency] = field(default_factory=list)


@dataclass(slots=True)
class Metadata:
    """Chart.yaml. `dependencies` entries may be None only before validation rejects them."""

    name: str = ""
    home: str = ""
    sources: list[str] = field(default_factory=list)
    version: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    maintainers: list[Maintainer | None] = field(default_factory=list)
    icon: str = ""
    api_version: str = ""
    condition: str = ""
    tags: str = ""
    app_version: str = ""
    deprecated: bool = False
    annotations: dict[str, str] = field(default_factory=dict)
    kube_version: str = ""
    dependencies: list[Dependency | None] = field(default_factory=list)
    type: str = ""
    # Chart.yaml said `dependencies: []`: Go then holds an empty but non-nil list, which
    # dependency processing treats differently from an absent one.
    declares_empty_dependencies: bool = False

    def copy(self) -> Metadata:
        """A copy whose dependency entries can be changed without touching this one."""
        return Metadata(
            name=self.name,
            home=self.home,
            sources=list(self.sources),
            version=self.version,
            description=self.description,
            keywords=list(self.keywords),
            maintainers=list(self.maintainers),
            icon=self.icon,
            api_version=self.api_version,
            condition=self.condition,
            tags=self.tags,
            app_version=self.app_version,
            deprecated=self.deprecated,
            annotations=dict(self.annotations),
            kube_version=self.kube_version,
            dependencies=[d.copy() if d is not None else None for d in self.dependencies],
            type=self.type,
            declares_empty_dependencies=self.declares_empty_dependencies,
        )

    def has_dependency_list(self) -> bool:
        """Whether Go's Metadata.Dependencies would be non-nil."""
        return bool(self.dependencies) or self.declares_empty_dependencies

    def active_dependencies(self) -> list[Dependency]:
        return [d for d in self.dependencies if d is not None]


@dataclass(eq=False, slots=True)
class Chart:
    """A loaded chart and its subcharts.

    `subcharts` are the loaded charts under charts/ (Go's `Chart.Dependencies()`), while
    `metadata.dependencies` are the declared requirements. `raw` keeps every file as read.
    """

    metadata: Metadata
    templates: list[File] = field(default_factory=list)
    files: list[File] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    schema: bytes | None = None
    lock: Lock | None = None
    raw: list[File] = field(default_factory=list)
    parent: Chart | None = None
    subcharts: list[Chart] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def is_root(self) -> bool:
        return self.parent is None

    @property
    def root(self) -> Chart:
        chart = self
        while chart.parent is not None:
            chart = chart.parent
        return chart

    @property
    def chart_path(self) -> str:
        """Dotted path from the root, e.g. `parent.sub` (Go's ChartPath)."""
        if self.parent is None:
            return self.name
        return f"{self.parent.chart_path}.{self.name}"

    @property
    def full_path(self) -> str:
        """`root/charts/sub/charts/subsub`, the prefix of template names (ChartFullPath)."""
        if self.parent is None:
            return self.name
        return f"{self.parent.full_path}/charts/{self.name}"

    def add_subchart(self, *charts: Chart) -> None:
        for chart in charts:
            chart.parent = self
            self.subcharts.append(chart)

    def set_subcharts(self, charts: list[Chart]) -> None:
        self.subcharts = []
        self.add_subchart(*charts)

    def shallow_copy(self) -> Chart:
        """A copy sharing files and values, with its own metadata and subchart list
        (what Helm's alias resolution makes of a loaded subchart)."""
        copied = Chart(
            metadata=self.metadata.copy(),
            templates=self.templates,
            files=self.files,
            values=self.values,
            schema=self.schema,
            lock=self.lock,
            raw=self.raw,
        )
        for sub in self.subcharts:
            copied.add_subchart(sub.sharing_copy())
        return copied

    def sharing_copy(self) -> Chart:
        """A copy that shares everything, metadata and subchart list included; only its
        parent link is its own (Go's `cpy := *dependency`)."""
        copied = Chart(
            metadata=self.metadata,
            templates=self.templates,
            files=self.files,
            values=self.values,
            schema=self.schema,
            lock=self.lock,
            raw=self.raw,
        )
        copied.subcharts = self.subcharts
        return copied

    def crd_objects(self) -> list[tuple[str, File]]:
        """CRD files of this chart and its subcharts, parent first, as
        (`<full path>/crds/x.yaml`, file)."""
        found = [
            (posixpath.join(self.full_path, f.name), f)
            for f in self.files
            if f.name.startswith("crds/") and _has_manifest_extension(f.name)
        ]
        for sub in self.subcharts:
            found.extend(sub.crd_objects())
        return found


def _has_manifest_extension(name: str) -> bool:
    # filepath.Ext: from the last dot of the last element, so "crds/.yaml" counts too.
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return dot >= 0 and base[dot:].lower() in _MANIFEST_EXTENSIONS
