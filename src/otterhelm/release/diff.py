"""What an upgrade changes, object by object: the current revision's objects against the
proposed ones.

Objects are matched as Helm matches them when it upgrades (pkg/kube/resource.go
isMatchingInfo: name, namespace, API group and kind; not the version, so a move from
`autoscaling/v2beta2` to `autoscaling/v2` is a change of one object, not a delete and a
create). Two objects are the same when their decoded bodies are equal; the diff shows each
side as YAML with sorted keys, so formatting and key order in the templates never show up
as changes.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from otterhelm.codec.yaml import marshal
from otterhelm.kube.apply import has_keep_policy
from otterhelm.kube.manifest import KubeObject, MatchKey

DEFAULT_CONTEXT_LINES = 3


class Action(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ObjectChange:
    """One object of either manifest. `api_version` is the proposed one's (the current one's
    for a removed object); `diff` is a unified diff of the object's YAML, empty when unchanged;
    `kept` marks a removed object that asks to be kept (helm.sh/resource-policy: keep)."""

    api_version: str
    kind: str
    namespace: str
    name: str
    action: Action
    diff: str
    kept: bool = False


def object_yaml(obj: KubeObject) -> str:
    return marshal(obj.body)


def diff_objects(
    current: Sequence[KubeObject],
    proposed: Sequence[KubeObject],
    *,
    current_label: str = "current",
    proposed_label: str = "proposed",
    context_lines: int = DEFAULT_CONTEXT_LINES,
) -> list[ObjectChange]:
    """Every object of `proposed` in its order (added, changed or unchanged), then every object
    only `current` has, in its order (removed). Namespaces must already be resolved (the
    release namespace filled in, cluster-scoped objects without one). An object given twice
    in one manifest counts once, with its last body, as the last apply of it wins."""
    before = _by_key(current)
    after = _by_key(proposed)

    def unified(old: str, new: str, key: MatchKey) -> str:
        where = "/".join(part for part in (key.namespace, key.kind, key.name) if part)
        lines = difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"{current_label}/{where}",
            tofile=f"{proposed_label}/{where}",
            n=context_lines,
        )
        return "".join(lines)

    changes: list[ObjectChange] = []
    for key, obj in after.items():
        previous = before.get(key)
        if previous is None:
            action, diff = Action.ADDED, unified("", object_yaml(obj), key)
        elif previous.body == obj.body:
            action, diff = Action.UNCHANGED, ""
        else:
            action, diff = Action.CHANGED, unified(object_yaml(previous), object_yaml(obj), key)
        changes.append(ObjectChange(obj.api_version, obj.kind, obj.namespace, obj.name, action, diff))
    for key, obj in before.items():
        if key in after:
            continue
        changes.append(
            ObjectChange(
                obj.api_version,
                obj.kind,
                obj.namespace,
                obj.name,
                Action.REMOVED,
                unified(object_yaml(obj), "", key),
                kept=_asks_to_be_kept(obj),
            )
        )
    return changes


def _asks_to_be_kept(obj: KubeObject) -> bool:
    annotations = obj.metadata.get("annotations")
    return isinstance(annotations, dict) and has_keep_policy(annotations)


def _by_key(objects: Iterable[KubeObject]) -> dict[MatchKey, KubeObject]:
    found: dict[MatchKey, KubeObject] = {}
    for obj in objects:
        found[MatchKey.of(obj)] = obj  # insertion order stays the first occurrence's
    return found
