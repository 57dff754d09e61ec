"""From a loaded chart and user values to a release's manifest, hooks and notes.

This is the client-only path of Helm v4.3.1's `Install.RunWithContext` (dependency
processing, capabilities, render values, schema validation) followed by
`Configuration.renderResources` (kubeVersion check, render, NOTES.txt, SortManifests and the
manifest text with `# Source:` headers).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping

from otterhelm.errors import InvalidArgument
from otterhelm.render.capabilities import Capabilities
from otterhelm.render.engine import Engine, RenderError
from otterhelm.render.manifests import INSTALL_ORDER, Hook, ManifestParseError, go_trim_space, sort_manifests
from otterhelm.render.yamlhead import load_head_yaml
from otterhelm.template.records import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from otterhelm.chart.model import Chart
    from otterhelm.render.manifests import YamlLoader

NOTES_SUFFIX = "NOTES.txt"
MAX_RELEASE_NAME_LENGTH = 53
_LABEL_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_RELEASE_NAME_TEXT = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"


class ReleaseRenderError(RenderError):
    """Rendering failed after the release record existed (`helm template` then adds a hint
    about --debug); `partial_manifest` is what Helm would show with --debug."""

    def __init__(self, message: str, partial_manifest: str = "") -> None:
        super().__init__(message)
        self.partial_manifest = partial_manifest


class ReleaseOptions(FrozenRecord):
    __slots__ = ("is_upgrade", "name", "namespace", "revision")

    def __init__(self, name: str, namespace: str, revision: int = 1, is_upgrade: bool = False) -> None:
        self.name = name
        self.namespace = namespace
        self.revision = revision
        self.is_upgrade = is_upgrade

    def template_map(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Namespace": self.namespace,
            "IsUpgrade": self.is_upgrade,
            "IsInstall": not self.is_upgrade,
            "Revision": self.revision,
            "Service": "Helm",
        }


class OutputDir(FrozenRecord):
    """`--output-dir`: manifests go to files instead of the manifest text."""

    __slots__ = ("announce", "path", "use_release_name")

    def __init__(
        self, path: str, use_release_name: bool = False, announce: Callable[[str], None] = print
    ) -> None:
        self.path = path
        self.use_release_name = use_release_name
        self.announce = announce


class RenderedRelease(Record):
    """`files`: every rendered file (NOTES removed), for callers that want the raw output."""

    __slots__ = ("files", "hooks", "manifest", "notes")

    def __init__(
        self, manifest: str, hooks: list[Hook], notes: str, files: dict[str, str] | None = None
    ) -> None:
        self.manifest = manifest
        self.hooks = hooks
        self.notes = notes
        self.files: dict[str, str] = {} if files is None else files


def validate_release_name(name: str) -> None:
    """Helm's ValidateReleaseName, as availableName reports it."""
    if name == "":
        problem = "no name provided"
    elif len(name) > MAX_RELEASE_NAME_LENGTH or not _matches_release_name_pattern(name):
        problem = f"invalid release name, must match regex {_RELEASE_NAME_TEXT} and the length must not be longer than 53"
    else:
        return
    raise InvalidArgument(f'release name check failed: release name "{name}": {problem}')


def _matches_release_name_pattern(name: str) -> bool:
    """Whether _RELEASE_NAME_TEXT matches `name`: dot-separated labels of lower-case letters,
    digits and `-`, each starting and ending with a letter or digit. Checked without a regex,
    whose compilation would cost every run more than the check."""
    return all(
        label and label[0] != "-" and label[-1] != "-" and _LABEL_CHARACTERS.issuperset(label)
        for label in name.split(".")
    )


def ensure_installable(name: str, chart: Chart) -> None:
    """What install and upgrade check first: the release name, and that the chart is not a library."""
    validate_release_name(name)
    if chart.metadata.type not in ("", "application"):
        raise InvalidArgument(f"{chart.metadata.type} charts are not installable")


def render_values(
    chart: Chart,
    user_values: dict[str, Any],
    release: ReleaseOptions,
    capabilities: Capabilities,
    *,
    skip_schema_validation: bool = False,
) -> dict[str, Any]:
    """ToRenderValuesWithSchemaValidation: .Chart, .Capabilities, .Release and the coalesced .Values."""
    from otterhelm.render.engine import chart_metadata_map
    from otterhelm.values.coalesce import coalesce_values

    top: dict[str, Any] = {
        "Chart": chart_metadata_map(chart),
        "Capabilities": capabilities,
        "Release": release.template_map(),
    }
    values = coalesce_values(chart, user_values)
    if not skip_schema_validation:
        from otterhelm.chart.schema import validate_values

        # Raises with Helm's whole message ("values don't meet the specifications ...").
        validate_values(chart, values)
    top["Values"] = values
    return top


def prepare_chart(chart: Chart, user_values: dict[str, Any]) -> None:
    """ProcessDependencies: conditions, tags, aliases and import-values, in place."""
    from otterhelm.chart.dependencies import process_dependencies

    try:
        process_dependencies(chart, user_values)
    except InvalidArgument as err:
        raise InvalidArgument(f"chart dependencies processing failed: {err}") from err


def check_kube_version(chart: Chart, capabilities: Capabilities) -> None:
    constraint = chart.metadata.kube_version
    if not constraint:
        return
    from otterhelm.chart.semver import is_compatible_range

    if not is_compatible_range(constraint, capabilities.kube_version.normalized):
        raise ReleaseRenderError(
            f"chart requires kubeVersion: {constraint} which is incompatible with Kubernetes "
            f"{capabilities.kube_version.version}"
        )


def render_resources(
    chart: Chart,
    top: Mapping[str, Any],
    engine: Engine,
    capabilities: Capabilities,
    *,
    include_crds: bool = False,
    sub_notes: bool = False,
    hide_secret: bool = False,
    output_dir: OutputDir | None = None,
    release_name: str = "",
    read_head: YamlLoader = load_head_yaml,
) -> RenderedRelease:
    """Helm's renderResources without post-renderers. `read_head` reads a rendered document
    for its head (render.yamlhead)."""
    check_kube_version(chart, capabilities)
    try:
        files = engine.render(chart, top)
    except RenderError as err:
        raise ReleaseRenderError(str(err)) from err

    notes_parts: list[str] = []
    root_notes = posixpath.join(chart.name, "templates", NOTES_SUFFIX)
    for name in [n for n in files if n.endswith(NOTES_SUFFIX)]:
        if sub_notes or name == root_notes:
            notes_parts.append(files[name])
        del files[name]
    notes = "\n".join(notes_parts)

    try:
        sorted_result = sort_manifests(files, read_head, INSTALL_ORDER)
    except ManifestParseError as err:
        partial = "".join(
            f"---\n# Source: {name}\n{content}\n" for name, content in files.items() if go_trim_space(content)
        )
        raise ReleaseRenderError(str(err), partial) from err

    parts: list[str] = []
    written: set[str] = set()
    if include_crds:
        for filename, crd in chart.crd_objects():
            data = crd.data.decode("utf-8", errors="surrogateescape")
            if output_dir is None:
                parts.append(f"---\n# Source: {filename}\n{data}\n")
            else:
                write_output_file(output_dir.path, filename, data, filename in written, output_dir.announce)
                written.add(filename)
    for manifest in sorted_result.manifests:
        if output_dir is None:
            if hide_secret and manifest.head.kind == "Secret" and manifest.head.api_version == "v1":
                parts.append(
                    f"---\n# Source: {manifest.name}\n# HIDDEN: The Secret output has been suppressed\n"
                )
            else:
                parts.append(f"---\n# Source: {manifest.name}\n{manifest.content}\n")
        else:
            target = output_dir.path
            if output_dir.use_release_name:
                target = os.path.join(target, release_name)
            write_output_file(
                target, manifest.name, manifest.content, manifest.name in written, output_dir.announce
            )
            written.add(manifest.name)
    return RenderedRelease(manifest="".join(parts), hooks=sorted_result.hooks, notes=notes, files=files)


def write_text(stream: TextIO, text: str) -> None:
    """Write rendered text byte for byte: bytes that are not UTF-8 (Go strings may hold any
    bytes) travel as surrogate escapes and are restored here."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def write_output_file(
    directory: str, name: str, data: str, append: bool, announce: Callable[[str], None] = print
) -> None:
    """Helm's writeToFile: `<dir>/<name>` gets `---\\n# Source: <name>\\n<data>\\n`."""
    target = directory + os.sep + name
    os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
    with open(target, "a" if append else "w", encoding="utf-8", errors="surrogateescape") as out:
        out.write(f"---\n# Source: {name}\n{data}\n")
    announce(f"wrote {target}")


class InstallRender(FrozenRecord):
    """What an install (or `helm template`) renders with, besides the chart and values."""

    __slots__ = (
        "capabilities",
        "hide_secret",
        "include_crds",
        "output_dir",
        "read_head",
        "release",
        "skip_schema_validation",
        "sub_notes",
    )

    def __init__(
        self,
        release: ReleaseOptions,
        capabilities: Capabilities,
        skip_schema_validation: bool = False,
        include_crds: bool = False,
        sub_notes: bool = False,
        hide_secret: bool = False,
        output_dir: OutputDir | None = None,
        read_head: YamlLoader = load_head_yaml,
    ) -> None:
        self.release = release
        self.capabilities = capabilities
        self.skip_schema_validation = skip_schema_validation
        self.include_crds = include_crds
        self.sub_notes = sub_notes
        self.hide_secret = hide_secret
        self.output_dir = output_dir
        self.read_head = read_head


def render_install(
    chart: Chart, user_values: dict[str, Any], engine: Engine, opts: InstallRender
) -> RenderedRelease:
    """Install.RunWithContext up to the release manifest: name check, dependencies, values,
    schema, then renderResources. `chart` is changed in place (disabled subcharts removed)."""
    validate_release_name(opts.release.name)
    prepare_chart(chart, user_values)
    top = render_values(
        chart,
        user_values,
        opts.release,
        opts.capabilities,
        skip_schema_validation=opts.skip_schema_validation,
    )
    return render_resources(
        chart,
        top,
        engine,
        opts.capabilities,
        include_crds=opts.include_crds,
        sub_notes=opts.sub_notes,
        hide_secret=opts.hide_secret,
        output_dir=opts.output_dir,
        release_name=opts.release.name,
        read_head=opts.read_head,
    )
