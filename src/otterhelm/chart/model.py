"""The chart model: what a loaded Helm chart holds (pkg/chart/v2 chart.go, metadata.go,
dependency.go). Field names follow Python conventions; `Metadata.to_template_map` gives the
capitalised Go field names templates see as `.Chart`."""

from __future__ import annotations

import posixpath

from otterhelm.template.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

API_VERSION_V1 = "v1"
API_VERSION_V2 = "v2"

_MANIFEST_EXTENSIONS = (".yaml", ".yml", ".json")


class File(Record):
    """A chart file: its path relative to the chart root and its raw bytes."""

    __slots__ = ("data", "name")

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data


class Maintainer(Record):
    __slots__ = ("email", "name", "url")

    def __init__(self, name: str = "", email: str = "", url: str = "") -> None:
        self.name = name
        self.email = email
        self.url = url


class Dependency(Record):
    """One entry of Chart.yaml `dependencies` (or v1 requirements.yaml)."""

    __slots__ = ("alias", "condition", "enabled", "import_values", "name", "repository", "tags", "version")

    def __init__(
        self,
        name: str = "",
        version: str = "",
        repository: str = "",
        condition: str = "",
        tags: list[str] | None = None,
        enabled: bool = False,
        import_values: list[Any] | None = None,
        alias: str = "",
    ) -> None:
        self.name = name
        self.version = version
        self.repository = repository
        self.condition = condition
        self.tags: list[str] = [] if tags is None else tags
        self.enabled = enabled
        self.import_values: list[Any] = [] if import_values is None else import_values
        self.alias = alias

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


class Lock(Record):
    """Chart.lock / requirements.lock."""

    __slots__ = ("dependencies", "digest", "generated")

    def __init__(
        self, generated: str = "", digest: str = "", dependencies: list[Dependency] | None = None
    ) -> None:
        self.generated = generated
        self.digest = digest
        self.dependencies: list[Dependency] = [] if dependencies is None else dependencies


class Metadata(Record):
    """Chart.yaml. `dependencies` entries may be None only before validation rejects them.
    `declares_empty_dependencies`: Chart.yaml said `dependencies: []`; Go then holds an empty
    but non-nil list, which dependency processing treats differently from an absent one."""

    __slots__ = (
        "annotations",
        "api_version",
        "app_version",
        "condition",
        "declares_empty_dependencies",
        "dependencies",
        "deprecated",
        "description",
        "home",
        "icon",
        "keywords",
        "kube_version",
        "maintainers",
        "name",
        "sources",
        "tags",
        "type",
        "version",
    )

    def __init__(
        self,
        name: str = "",
        home: str = "",
        sources: list[str] | None = None,
        version: str = "",
        description: str = "",
        keywords: list[str] | None = None,
        maintainers: list[Maintainer | None] | None = None,
        icon: str = "",
        api_version: str = "",
        condition: str = "",
        tags: str = "",
        app_version: str = "",
        deprecated: bool = False,
        annotations: dict[str, str] | None = None,
        kube_version: str = "",
        dependencies: list[Dependency | None] | None = None,
        type: str = "",
        declares_empty_dependencies: bool = False,
    ) -> None:
        self.name = name
        self.home = home
        self.sources: list[str] = [] if sources is None else sources
        self.version = version
        self.description = description
        self.keywords: list[str] = [] if keywords is None else keywords
        self.maintainers: list[Maintainer | None] = [] if maintainers is None else maintainers
        self.icon = icon
        self.api_version = api_version
        self.condition = condition
        self.tags = tags
        self.app_version = app_version
        self.deprecated = deprecated
        self.annotations: dict[str, str] = {} if annotations is None else annotations
        self.kube_version = kube_version
        self.dependencies: list[Dependency | None] = [] if dependencies is None else dependencies
        self.type = type
        self.declares_empty_dependencies = declares_empty_dependencies

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


class Chart:
    """A loaded chart and its subcharts; two charts are equal only if they are the same one.

    `subcharts` are the loaded charts under charts/ (Go's `Chart.Dependencies()`), while
    `metadata.dependencies` are the declared requirements. `raw` keeps every file as read.
    """

    __slots__ = ("files", "lock", "metadata", "parent", "raw", "schema", "subcharts", "templates", "values")

    def __init__(
        self,
        metadata: Metadata,
        templates: list[File] | None = None,
        files: list[File] | None = None,
        values: dict[str, Any] | None = None,
        schema: bytes | None = None,
        lock: Lock | None = None,
        raw: list[File] | None = None,
        parent: Chart | None = None,
        subcharts: list[Chart] | None = None,
    ) -> None:
        self.metadata = metadata
        self.templates: list[File] = [] if templates is None else templates
        self.files: list[File] = [] if files is None else files
        self.values: dict[str, Any] = {} if values is None else values
        self.schema = schema
        self.lock = lock
        self.raw: list[File] = [] if raw is None else raw
        self.parent = parent
        self.subcharts: list[Chart] = [] if subcharts is None else subcharts

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
