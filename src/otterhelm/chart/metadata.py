"""Chart.yaml, requirements.yaml and Chart.lock decoding and Helm's metadata validation
(pkg/chart/v2 metadata.go, dependency.go).

sigs.k8s.io/yaml decodes these into Go structs: scalars bound for a `string` field are
converted to text (`version: 1.10` becomes "1.1", as go-yaml formats a float32), JSON field
names match case-insensitively, and unknown keys are ignored."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

from otterhelm.chart.model import API_VERSION_V1, Dependency, Lock, Maintainer, Metadata
from otterhelm.chart.semver import is_valid_version
from otterhelm.codec.gofloat import format_g
from otterhelm.codec.yaml_cache import YamlDocuments
from otterhelm.codec.yaml_nodes import PLAIN_TAG, MappingNode, Node, ScalarNode, SequenceNode
from otterhelm.errors import InvalidArgument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_ALIAS_NAME = re.compile(r"^[a-zA-Z0-9_-]+\Z")


class ChartFileError(InvalidArgument):
    """Chart.yaml (or requirements.yaml, Chart.lock) cannot be decoded."""


class ValidationError(InvalidArgument):
    """Metadata that Helm rejects; str() carries Helm's `validation: ` prefix."""

    def __init__(self, message: str) -> None:
        super().__init__(f"validation: {message}")


# ----------------------------------------------------------------------------------------
# YAML nodes to typed fields


def _compose(data: bytes, documents: YamlDocuments) -> Node | None:
    from otterhelm.codec.errors import YamlError

    try:
        return documents.first_node(data.decode("utf-8", errors="replace"))
    except YamlError as err:
        raise ChartFileError(f"error converting YAML to JSON: {err}") from None


def _resolved(node: ScalarNode) -> tuple[str, Any]:
    """go-yaml's tag name and value for a scalar (quoted scalars are strings)."""
    from otterhelm.codec.yaml_resolve import resolve

    if node.tag == PLAIN_TAG:
        tag, value = resolve(node.value)
        return tag.value, value
    kind = node.tag.rsplit(":", 1)[-1]
    return kind, node.value


def _tag_kind(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return _resolved(node)[0]
    return node.tag.rsplit(":", 1)[-1]


def _json_kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "object"
    if isinstance(node, SequenceNode):
        return "array"
    kind = _tag_kind(node)
    return {"int": "number", "float": "number", "bool": "bool"}.get(kind, "string")


def format_float32(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 32) with go-yaml's spellings of the specials (a value
    beyond float32's range is infinite as a float32, as in Go)."""
    if math.isnan(value):
        return ".nan"
    text = format_g(value, single=True)
    return {"+Inf": ".inf", "-Inf": "-.inf"}.get(text, text)


class _TypeMismatch(Exception):
    """encoding/json's UnmarshalTypeError: `struct` is the innermost Go struct and `field`
    the dotted JSON field path from the top, as Go reports them."""

    def __init__(self, kind: str, go_type: str) -> None:
        super().__init__(kind, go_type)
        self.kind = kind
        self.go_type = go_type
        self.struct = ""
        self.field = ""

    def __str__(self) -> str:
        where = f"Go struct field {self.struct}.{self.field}" if self.struct else "Go value"
        return f"json: cannot unmarshal {self.kind} into {where} of type {self.go_type}"


class _Field:
    """Names the Go struct field a type mismatch inside the block belongs to, the innermost
    first, as encoding/json's error does."""

    __slots__ = ("name", "struct")

    def __init__(self, struct: str, name: str) -> None:
        self.struct = struct
        self.name = name

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, traceback: object) -> None:
        if isinstance(exc, _TypeMismatch):
            if not exc.struct:
                exc.struct = self.struct
                exc.field = self.name
            else:
                exc.field = f"{self.name}.{exc.field}"


def _scalar_text(node: Node) -> str | None:
    """A scalar bound for a Go string field; None for YAML null (leaves the field empty)."""
    if not isinstance(node, ScalarNode):
        raise _TypeMismatch(_json_kind(node), "string")
    kind, value = _resolved(node)
    if kind == "null":
        return None
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(value)
    if kind == "float":
        return format_float32(value)
    return str(node.value)


def _to_string(node: Node) -> str:
    text = _scalar_text(node)
    return "" if text is None else text


def _to_bool(node: Node) -> bool:
    if isinstance(node, ScalarNode):
        kind, value = _resolved(node)
        if kind == "null":
            return False
        if kind == "bool":
            return bool(value)
    raise _TypeMismatch(_json_kind(node), "bool")


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and _tag_kind(node) == "null"


def _to_list(node: Node, item: Callable[[Node], Any], go_type: str) -> list[Any]:
    if _is_null(node):
        return []
    if not isinstance(node, SequenceNode):
        raise _TypeMismatch(_json_kind(node), go_type)
    return [item(child) for child in node.value]


def _to_string_map(node: Node) -> dict[str, str]:
    if _is_null(node):
        return {}
    if not isinstance(node, MappingNode):
        raise _TypeMismatch(_json_kind(node), "map[string]string")
    out: dict[str, str] = {}
    for key_node, value_node in node.value:
        text = _scalar_text(value_node)
        out[_to_string(key_node)] = "" if text is None else text
    return out


def _to_any(node: Node) -> Any:
    """A node as interface{} after the JSON round trip: numbers float64, keys strings."""
    if isinstance(node, MappingNode):
        return {_to_string(k): _to_any(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [_to_any(item) for item in node.value]
    if not isinstance(node, ScalarNode):
        return None
    kind, value = _resolved(node)
    if kind == "null":
        return None
    if kind in ("int", "float"):
        return float(value)
    if kind == "bool":
        return bool(value)
    return str(node.value)


def _fields(node: Node, names: tuple[str, ...], go_type: str) -> list[tuple[str, Node]]:
    """The (canonical field name, value node) pairs of a mapping, matching keys the way
    encoding/json does: exact name first, otherwise case-insensitively."""
    if not isinstance(node, MappingNode):
        raise _TypeMismatch(_json_kind(node), go_type)
    by_fold = {name.casefold(): name for name in names}
    found: list[tuple[str, Node]] = []
    for key_node, value_node in node.value:
        key = _to_string(key_node) if isinstance(key_node, ScalarNode) else ""
        name = key if key in names else by_fold.get(key.casefold())
        if name is not None:
            found.append((name, value_node))
    return found


def _maintainer(node: Node) -> Maintainer | None:
    if _is_null(node):
        return None
    m = Maintainer()
    for name, value in _fields(node, ("name", "email", "url"), "chart.Maintainer"):
        with _Field("Maintainer", name):
            setattr(m, name, _to_string(value))
    return m


_DEPENDENCY_FIELDS = (
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
)


def _dependency(node: Node) -> Dependency | None:
    if _is_null(node):
        return None
    d = Dependency()
    for name, value in _fields(node, _DEPENDENCY_FIELDS, "chart.Dependency"):
        with _Field("Dependency", name):
            if name == "tags":
                d.tags = _to_list(value, _to_string, "[]string")
            elif name == "enabled":
                d.enabled = _to_bool(value)
            elif name == "import-values":
                d.import_values = _to_list(value, _to_any, "[]interface {}")
            else:
                setattr(d, name, _to_string(value))
    return d


_METADATA_FIELDS = (
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
)
_METADATA_ATTRS = {"apiVersion": "api_version", "appVersion": "app_version", "kubeVersion": "kube_version"}


def _decode(data: bytes, apply: Callable[[Node], None], documents: YamlDocuments | None) -> None:
    node = _compose(data, documents if documents is not None else YamlDocuments())
    if node is None or _is_null(node):
        return
    try:
        apply(node)
    except _TypeMismatch as err:
        raise ChartFileError(f"error unmarshaling JSON: while decoding JSON: {err}") from None


def decode_metadata(
    data: bytes, into: Metadata | None = None, documents: YamlDocuments | None = None
) -> Metadata:
    """Unmarshal Chart.yaml (or requirements.yaml, which fills only `dependencies`) into
    `into`, as yaml.Unmarshal into an existing struct does."""
    md = into if into is not None else Metadata()

    def apply(node: Node) -> None:
        for name, value in _fields(node, _METADATA_FIELDS, "chart.Metadata"):
            with _Field("Metadata", name):
                _set_metadata_field(md, name, value)

    _decode(data, apply, documents)
    return md


def _set_metadata_field(md: Metadata, name: str, value: Node) -> None:
    if name in ("sources", "keywords"):
        setattr(md, name, _to_list(value, _to_string, "[]string"))
    elif name == "maintainers":
        md.maintainers = _to_list(value, _maintainer, "[]*chart.Maintainer")
    elif name == "dependencies":
        md.dependencies = _to_list(value, _dependency, "[]*chart.Dependency")
        md.declares_empty_dependencies = not md.dependencies and not _is_null(value)
    elif name == "deprecated":
        md.deprecated = _to_bool(value)
    elif name == "annotations":
        md.annotations = _to_string_map(value)
    else:
        setattr(md, _METADATA_ATTRS.get(name, name), _to_string(value))


def decode_api_version(data: bytes, documents: YamlDocuments | None = None) -> str:
    """Chart.yaml read into the loader dispatcher's chartBase (only `apiVersion`)."""
    found = ""

    def apply(node: Node) -> None:
        nonlocal found
        for name, value in _fields(node, ("apiVersion",), "loader.chartBase"):
            with _Field("chartBase", name):
                found = _to_string(value)

    _decode(data, apply, documents)
    return found


def decode_lock(data: bytes, documents: YamlDocuments | None = None) -> Lock:
    lock = Lock()

    def apply(node: Node) -> None:
        for name, value in _fields(node, ("generated", "digest", "dependencies"), "chart.Lock"):
            with _Field("Lock", name):
                if name == "dependencies":
                    lock.dependencies = [
                        d for d in _to_list(value, _dependency, "[]*chart.Dependency") if d is not None
                    ]
                else:
                    setattr(lock, name, _to_string(value))

    _decode(data, apply, documents)
    return lock


# ----------------------------------------------------------------------------------------
# Validation


def sanitize(text: str) -> str:
    """Every unicode space becomes ' ' and non-printable runes are dropped (sanitizeString)."""
    if text.isprintable() and text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if _is_go_space(ch):
            out.append(" ")
        elif _is_go_printable(ch):
            out.append(ch)
    return "".join(out)


def _is_go_space(ch: str) -> bool:
    # unicode.IsSpace: Python's isspace() also counts the ASCII separators U+001C..U+001F.
    if ch < "\u0100":
        return ch in "\t\n\v\f\r \x85\xa0"
    return ch.isspace()


def _is_go_printable(ch: str) -> bool:
    # unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.
    return unicodedata.category(ch)[0] in "LMNPS" or ch == " "


def _validate_dependency(dep: Dependency | None) -> Dependency:
    if dep is None:
        raise ValidationError("dependencies must not contain empty or null nodes")
    dep.name = sanitize(dep.name)
    dep.version = sanitize(dep.version)
    dep.repository = sanitize(dep.repository)
    dep.condition = sanitize(dep.condition)
    dep.tags = [sanitize(t) for t in dep.tags]
    if dep.alias and not _ALIAS_NAME.match(dep.alias):
        raise ValidationError(f"dependency {go_quote(dep.name)} has disallowed characters in the alias")
    return dep


def go_quote(text: str) -> str:
    """Go's %q for ordinary strings."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not ch.isprintable():
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x80
                else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
            )
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def validate_metadata(md: Metadata) -> None:
    """Metadata.Validate: sanitises string fields in place and raises ValidationError."""
    md.name = sanitize(md.name)
    md.description = sanitize(md.description)
    md.home = sanitize(md.home)
    md.icon = sanitize(md.icon)
    md.condition = sanitize(md.condition)
    md.tags = sanitize(md.tags)
    md.app_version = sanitize(md.app_version)
    md.kube_version = sanitize(md.kube_version)
    md.sources = [sanitize(s) for s in md.sources]
    md.keywords = [sanitize(k) for k in md.keywords]
    if not md.api_version:
        raise ValidationError("chart.metadata.apiVersion is required")
    if not md.name:
        raise ValidationError("chart.metadata.name is required")
    if md.name in (".", ".."):
        raise ValidationError(f"chart.metadata.name {go_quote(md.name)} is not allowed")
    if md.name != _go_base(md.name):
        raise ValidationError(f"chart.metadata.name {go_quote(md.name)} is invalid")
    if not md.version:
        raise ValidationError("chart.metadata.version is required")
    if not is_valid_version(md.version):
        raise ValidationError(f"chart.metadata.version {go_quote(md.version)} is invalid")
    if md.type not in ("", "application", "library"):
        raise ValidationError("chart.metadata.type must be application or library")
    for m in md.maintainers:
        if m is None:
            raise ValidationError("maintainers must not contain empty or null nodes")
        m.name, m.email, m.url = sanitize(m.name), sanitize(m.email), sanitize(m.url)
    seen: set[str] = set()
    for dep in md.dependencies:
        checked = _validate_dependency(dep)
        key = checked.alias or checked.name
        if key in seen:
            raise ValidationError(f"more than one dependency with name or alias {go_quote(key)}")
        seen.add(key)


def _go_base(path: str) -> str:
    """filepath.Base on Unix."""
    if path == "":
        return "."
    stripped = path.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


def default_api_version(md: Metadata) -> None:
    if not md.api_version:
        md.api_version = API_VERSION_V1
