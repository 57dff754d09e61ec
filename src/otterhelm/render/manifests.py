"""Splitting rendered files into YAML documents and sorting them into hooks and manifests.

Mirrors Helm v4.3.1's pkg/release/v1/util (manifest.go, manifest_sorter.go, kind_sorter.go):
documents are split on `---` at the start of a line (v4.2.4+ regex, only left-trimmed, so a
document keeps its trailing newlines), each document's head (apiVersion, kind, metadata.name,
metadata.annotations) decides whether it is a hook, and both lists are stably sorted by kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from otterhelm.errors import InvalidArgument
from otterhelm.template.records import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias, TypeVar

    T = TypeVar("T")

# Go's unicode.IsSpace set (the Unicode White_Space property); Python's str.isspace also
# accepts U+001C..U+001F, which Go does not trim.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

_SEPARATOR = re.compile(r"^---[ \t]*", re.MULTILINE)

HOOK_ANNOTATION = "helm.sh/hook"
HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight"
HOOK_DELETE_ANNOTATION = "helm.sh/hook-delete-policy"
HOOK_OUTPUT_LOG_ANNOTATION = "helm.sh/hook-output-log-policy"

HOOK_TEST = "test"
# Annotation value (lower-cased, trimmed) -> hook event. `test-success` is Helm 2's name for `test`.
HOOK_EVENTS: Mapping[str, str] = {
    "pre-install": "pre-install",
    "post-install": "post-install",
    "pre-delete": "pre-delete",
    "post-delete": "post-delete",
    "pre-upgrade": "pre-upgrade",
    "post-upgrade": "post-upgrade",
    "pre-rollback": "pre-rollback",
    "post-rollback": "post-rollback",
    "test": HOOK_TEST,
    "test-success": HOOK_TEST,
}

INSTALL_ORDER: tuple[str, ...] = (
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
)

UNINSTALL_ORDER: tuple[str, ...] = (
    # Validation goes before mutation so that webhooks cannot block the removal.
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
)


class ManifestParseError(InvalidArgument):
    """A rendered document is not valid YAML (or not an object); the message is Helm's."""


class Head(FrozenRecord):
    """The part of a document Helm reads: Helm's SimpleHead."""

    __slots__ = ("annotations", "api_version", "has_metadata", "kind", "name")

    def __init__(
        self,
        api_version: str = "",
        kind: str = "",
        has_metadata: bool = False,
        name: str = "",
        annotations: Mapping[str, str] | None = None,
    ) -> None:
        self.api_version = api_version
        self.kind = kind
        self.has_metadata = has_metadata
        self.name = name
        self.annotations = annotations


class Manifest(FrozenRecord):
    """One non-hook document: the template path it came from, its text and head."""

    __slots__ = ("content", "head", "name")

    def __init__(self, name: str, content: str, head: Head) -> None:
        self.name = name
        self.content = content
        self.head = head


class Hook(Record):
    """One hook document (release.Hook without the run record)."""

    __slots__ = (
        "delete_policies",
        "events",
        "kind",
        "manifest",
        "name",
        "output_log_policies",
        "path",
        "weight",
    )

    def __init__(
        self,
        name: str,
        kind: str,
        path: str,
        manifest: str,
        events: list[str] | None = None,
        weight: int = 0,
        delete_policies: list[str] | None = None,
        output_log_policies: list[str] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.path = path
        self.manifest = manifest
        self.events: list[str] = [] if events is None else events
        self.weight = weight
        self.delete_policies: list[str] = [] if delete_policies is None else delete_policies
        self.output_log_policies: list[str] = [] if output_log_policies is None else output_log_policies

    @property
    def is_test(self) -> bool:
        return HOOK_TEST in self.events


def go_trim_space(text: str) -> str:
    return text.strip(GO_SPACE)


def split_manifests(big_file: str) -> list[str]:
    """The documents of a rendered file in order (Helm's `manifest-N` keys are the indexes)."""
    docs = []
    for doc in _SEPARATOR.split(big_file.lstrip(GO_SPACE)):
        if go_trim_space(doc) == "":
            continue
        docs.append(doc.lstrip(GO_SPACE))
    return docs


def split_manifests_map(big_file: str) -> dict[str, str]:
    """SplitManifests' own return shape: `manifest-N` -> document."""
    return {f"manifest-{i}": doc for i, doc in enumerate(split_manifests(big_file))}


# A YAML loader for heads: takes a document, returns Go-yaml-like data (dicts, lists, scalars)
# and raises an exception whose str() is go-yaml's message ("yaml: line N: ...").
YamlLoader: TypeAlias = "Callable[[str], Any]"


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def _go_float32_g(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 32) for a non-integral float: the shortest digits that
    survive a float32 round trip, exponent form below 1e-4 or from 1e6 on."""
    import struct

    as32 = struct.unpack("f", struct.pack("f", value))[0]
    for precision in range(1, 10):
        text = f"{as32:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == as32:
            break
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text)
    digits = mantissa.replace(".", "").replace("-", "").rstrip("0") or "0"
    sign = "-" if as32 < 0 else ""
    if exponent < -4 or exponent >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole = digits[: exponent + 1].ljust(exponent + 1, "0")
    frac = digits[exponent + 1 :]
    return f"{sign}{whole}{'.' + frac if frac else ''}"


def _as_go_string(value: Any, field_path: str, struct: str) -> str:
    """Decode a JSON value into a Go string field the way sigs.k8s.io/yaml does: numbers and
    bools become their text, null leaves the zero value, anything else is a type error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Loaders give every number as float64; an integral one was an int in the YAML text.
        return str(int(value)) if value.is_integer() else _go_float32_g(value)
    raise _type_error(value, field_path, struct, "string")


def _type_error(value: Any, field_path: str, struct: str, go_type: str) -> ManifestParseError:
    return ManifestParseError(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        f"{_json_kind(value)} into Go struct field {struct}.{field_path} of type {go_type}"
    )


def _fields(obj: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """encoding/json field matching: keys in sorted order (the JSON text is a marshalled map),
    an exact name or else a case-insensitive one; later keys overwrite earlier ones."""
    found: dict[str, Any] = {}
    lowered = {n.lower(): n for n in names}
    for key in sorted(obj):
        target = key if key in names else lowered.get(key.lower())
        if target is not None:
            found[target] = obj[key]
    return found


def head_from_data(data: Any) -> Head:
    """Build a Head from a loaded document, with encoding/json's type errors."""
    if data is None:
        return Head()
    if not isinstance(data, dict):
        raise ManifestParseError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{_json_kind(data)} into Go value of type util.SimpleHead"
        )
    top = _fields(data, ("apiVersion", "kind", "metadata"))
    api_version = _as_go_string(top.get("apiVersion"), "apiVersion", "SimpleHead")
    kind = _as_go_string(top.get("kind"), "kind", "SimpleHead")
    metadata = top.get("metadata")
    if metadata is None:
        return Head(api_version=api_version, kind=kind)
    if not isinstance(metadata, dict):
        raise _type_error(metadata, "metadata", "SimpleHead", 'struct { Name string "json:\\"name\\""; ...}')
    meta = _fields(metadata, ("name", "annotations"))
    name = _as_go_string(meta.get("name"), "metadata.name", "")
    raw_annotations = meta.get("annotations")
    annotations: dict[str, str] | None = None
    if raw_annotations is not None:
        if not isinstance(raw_annotations, dict):
            raise _type_error(raw_annotations, "metadata.annotations", "", "map[string]string")
        annotations = {
            str(k): _as_go_string(v, f"metadata.annotations.{k}", "") for k, v in raw_annotations.items()
        }
    return Head(api_version=api_version, kind=kind, has_metadata=True, name=name, annotations=annotations)


_YAML_TO_JSON = "error converting YAML to JSON: "


def parse_head(document: str, path: str, load_yaml: YamlLoader) -> Head:
    try:
        data = load_yaml(document)
    except ManifestParseError:
        raise
    except Exception as exc:
        detail = str(exc)
        if not detail.startswith(_YAML_TO_JSON):
            detail = _YAML_TO_JSON + detail
        raise ManifestParseError(f"YAML parse error on {path}: {detail}") from exc
    try:
        return head_from_data(data)
    except ManifestParseError as exc:
        raise ManifestParseError(f"YAML parse error on {path}: {exc}") from exc


def _go_atoi(text: str) -> int | None:
    if re.fullmatch(r"[+-]?[0-9]+", text) is None:
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _policy_values(annotations: Mapping[str, str], key: str) -> list[str]:
    if key not in annotations:
        return []
    return [go_trim_space(p).lower() for p in annotations[key].split(",")]


class SortedManifests(FrozenRecord):
    __slots__ = ("hooks", "manifests")

    def __init__(self, hooks: list[Hook], manifests: list[Manifest]) -> None:
        self.hooks = hooks
        self.manifests = manifests


def sort_manifests(
    files: Mapping[str, str], load_yaml: YamlLoader, ordering: Sequence[str] = INSTALL_ORDER
) -> SortedManifests:
    """Helm's SortManifests: hooks and generic manifests from rendered files, sorted by kind.

    Raises ManifestParseError (`YAML parse error on <file>: ...`) at the first bad document.
    """
    hooks: list[Hook] = []
    manifests: list[Manifest] = []
    for path in sorted(files):
        content = files[path]
        if path.rsplit("/", 1)[-1].startswith("_") or go_trim_space(content) == "":
            continue
        for doc in split_manifests(content):
            head = parse_head(doc, path, load_yaml)
            hook_types = head.annotations.get(HOOK_ANNOTATION) if head.annotations else None
            if hook_types is None:
                manifests.append(Manifest(name=path, content=doc, head=head))
                continue
            assert head.annotations is not None
            events = []
            for hook_type in hook_types.split(","):
                event = HOOK_EVENTS.get(go_trim_space(hook_type).lower())
                if event is None:
                    break
                events.append(event)
            else:
                weight = _go_atoi(head.annotations.get(HOOK_WEIGHT_ANNOTATION, ""))
                hooks.append(
                    Hook(
                        name=head.name,
                        kind=head.kind,
                        path=path,
                        manifest=doc,
                        events=events,
                        weight=weight or 0,
                        delete_policies=_policy_values(head.annotations, HOOK_DELETE_ANNOTATION),
                        output_log_policies=_policy_values(head.annotations, HOOK_OUTPUT_LOG_ANNOTATION),
                    )
                )
            # An unknown event skips the whole document: it is neither hook nor manifest.
    return SortedManifests(
        hooks=sort_by_kind(hooks, lambda h: h.kind, ordering),
        manifests=sort_by_kind(manifests, lambda m: m.head.kind, ordering),
    )


def sort_by_kind(items: Iterable[T], kind_of: Callable[[T], str], ordering: Sequence[str]) -> list[T]:
    """Stable sort by position in `ordering`; unknown kinds last, alphabetically by kind."""
    rank = {kind: i for i, kind in enumerate(ordering)}
    unknown = len(ordering)

    def key(item: T) -> tuple[int, str]:
        kind = kind_of(item)
        position = rank.get(kind)
        return (position, "") if position is not None else (unknown, kind)

    return sorted(items, key=key)
