"""SplitManifests, SortManifests and the kind sorter, with the vectors of Helm's
pkg/release/v1/util/{manifest,manifest_sorter,kind_sorter}_test.go."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from otterhelm.render.manifests import (
    INSTALL_ORDER,
    UNINSTALL_ORDER,
    Head,
    Hook,
    Manifest,
    ManifestParseError,
    sort_by_kind,
    sort_manifests,
    split_manifests,
    split_manifests_map,
)
from otterhelm.render.yamlhead import load_head_yaml

DATA = Path(__file__).parent / "data"
SPLIT_CASES = json.loads((DATA / "split_manifests_v4.json").read_text())


@pytest.mark.parametrize("case", SPLIT_CASES, ids=[c["name"] for c in SPLIT_CASES])
def test_split_manifests(case: dict[str, Any]) -> None:
    assert split_manifests_map(case["input"]) == case["expected"]


def test_split_keeps_trailing_blank_lines_and_glued_separators() -> None:
    assert split_manifests("a: 1\n\n---\n\nb: 2\n---c: 3") == ["a: 1\n\n", "b: 2\n", "c: 3"]
    # Go's unicode.IsSpace does not include U+001C; Python's isspace does.
    assert split_manifests("\x1ca: 1") == ["\x1ca: 1"]


# kind_sorter_test.go TestKindSorter: one manifest per kind, named by a single character.
KIND_NAMES = [
    ("U", "IngressClass"), ("E", "SecretList"), ("i", "ClusterRole"), ("I", "ClusterRoleList"),
    ("j", "ClusterRoleBinding"), ("J", "ClusterRoleBindingList"), ("f", "ConfigMap"), ("u", "CronJob"),
    ("2", "CustomResourceDefinition"), ("n", "DaemonSet"), ("r", "Deployment"), ("!", "HonkyTonkSet"),
    ("v", "Ingress"), ("t", "Job"), ("c", "LimitRange"), ("a", "Namespace"), ("A", "NetworkPolicy"),
    ("g", "PersistentVolume"), ("h", "PersistentVolumeClaim"), ("o", "Pod"), ("3", "PodDisruptionBudget"),
    ("C", "PodSecurityPolicy"), ("q", "ReplicaSet"), ("p", "ReplicationController"), ("b", "ResourceQuota"),
    ("k", "Role"), ("K", "RoleList"), ("l", "RoleBinding"), ("L", "RoleBindingList"), ("e", "Secret"),
    ("m", "Service"), ("d", "ServiceAccount"), ("s", "StatefulSet"), ("1", "StorageClass"),
    ("w", "APIService"), ("x", "HorizontalPodAutoscaler"), ("F", "PriorityClass"),
    ("M", "MutatingWebhookConfiguration"), ("V", "ValidatingWebhookConfiguration"),
]  # fmt: skip


def _manifests(pairs: list[tuple[str, str]]) -> list[Manifest]:
    return [Manifest(name=n, content="", head=Head(kind=k)) for n, k in pairs]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (INSTALL_ORDER, "FaAbcC3deEf1gh2iIjJkKlLmnopqrxstuUvwMV!"),
        (UNINSTALL_ORDER, "VMwvUmutsxrqponLlKkJjIi2hg1fEed3CcbAaF!"),
    ],
)
def test_kind_sorter(order: tuple[str, ...], expected: str) -> None:
    items = _manifests(KIND_NAMES)
    before = list(items)
    result = sort_by_kind(items, lambda m: m.head.kind, order)
    assert "".join(m.name for m in result) == expected
    assert items == before


def test_kind_sorter_keeps_original_order() -> None:
    items = _manifests(
        [("a", "ClusterRole"), ("A", "ClusterRole"), ("0", "ConfigMap"), ("1", "ConfigMap"),
         ("z", "ClusterRoleBinding"), ("!", "ClusterRoleBinding"), ("u2", "Unknown"), ("u1", "Unknown"),
         ("t3", "Unknown2")]
    )  # fmt: skip
    result = sort_by_kind(items, lambda m: m.head.kind, INSTALL_ORDER)
    assert "".join(m.name for m in result) == "01aAz!u2u1t3"


def test_kind_sorter_namespace_before_unknown() -> None:
    result = sort_by_kind(
        _manifests([("a", "Unknown"), ("b", "Namespace")]), lambda m: m.head.kind, INSTALL_ORDER
    )
    assert [m.name for m in result] == ["b", "a"]


@pytest.mark.parametrize(("order", "expected"), [(INSTALL_ORDER, "acij"), (UNINSTALL_ORDER, "jica")])
def test_kind_sorter_for_hooks(order: tuple[str, ...], expected: str) -> None:
    hooks = [
        Hook(name=n, kind=k, path="", manifest="")
        for n, k in [
            ("i", "ClusterRole"),
            ("j", "ClusterRoleBinding"),
            ("c", "LimitRange"),
            ("a", "Namespace"),
        ]
    ]
    assert "".join(h.name for h in sort_by_kind(hooks, lambda h: h.kind, order)) == expected


# manifest_sorter_test.go TestSortManifests
SORTER_FILES = {
    "one": "apiVersion: v1\nkind: Job\nmetadata:\n  name: first\n  labels:\n    doesnot: matter\n"
    '  annotations:\n    "helm.sh/hook": pre-install\n',
    "two": "kind: ReplicaSet\napiVersion: v1beta1\nmetadata:\n  name: second\n  annotations:\n"
    '    "helm.sh/hook": post-install\n',
    "three": "kind: ReplicaSet\napiVersion: v1beta1\nmetadata:\n  name: third\n  annotations:\n"
    '    "helm.sh/hook": no-such-hook\n',
    "four": "kind: Pod\napiVersion: v1\nmetadata:\n  name: fourth\n  annotations:\n    nothing: here",
    "five": "kind: ReplicaSet\napiVersion: v1beta1\nmetadata:\n  name: fifth\n  annotations:\n"
    '    "helm.sh/hook": post-delete, post-install\n',
    "six/_six": "invalid manifest",
    "seven": "",
    "eight": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: eighth\ndata:\n  name: value\n---\n"
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: example-test\n  annotations:\n    "helm.sh/hook": test\n',
}


def test_sort_manifests() -> None:
    result = sort_manifests(SORTER_FILES, load_head_yaml)
    assert [(h.name, h.path, h.kind, h.events) for h in result.hooks] == [
        ("example-test", "eight", "Pod", ["test"]),
        ("fifth", "five", "ReplicaSet", ["post-delete", "post-install"]),
        ("second", "two", "ReplicaSet", ["post-install"]),
        ("first", "one", "Job", ["pre-install"]),
    ]
    assert [(m.name, m.head.name) for m in result.manifests] == [("eight", "eighth"), ("four", "fourth")]
    assert result.manifests[1].content == SORTER_FILES["four"]


def test_hook_weight_and_policies() -> None:
    doc = (
        "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: PRE-INSTALL , test-success\n"
        "    helm.sh/hook-weight: '-5'\n    helm.sh/hook-delete-policy: Hook-Succeeded,before-hook-creation\n"
        "    helm.sh/hook-output-log-policy: hook-failed\n"
    )
    hook = sort_manifests({"c/templates/j.yaml": doc}, load_head_yaml).hooks[0]
    assert (hook.events, hook.weight, hook.delete_policies, hook.output_log_policies) == (
        ["pre-install", "test"],
        -5,
        ["hook-succeeded", "before-hook-creation"],
        ["hook-failed"],
    )
    assert hook.is_test


@pytest.mark.parametrize(
    ("weight", "expected"), [("7", 7), ("+3", 3), (" 4", 0), ("x", 0), ("1.5", 0), ("5", 5)]
)
def test_hook_weight_is_go_atoi(weight: str, expected: int) -> None:
    doc = f"kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: {json.dumps(weight)}\n"
    assert sort_manifests({"t": doc}, load_head_yaml).hooks[0].weight == expected


def test_unquoted_numeric_annotation_becomes_string() -> None:
    doc = "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: 3\n"
    assert sort_manifests({"t": doc}, load_head_yaml).hooks[0].weight == 3


def test_comment_only_document_is_a_manifest_with_no_kind() -> None:
    result = sort_manifests({"c/templates/a.yaml": "# just a comment\n"}, load_head_yaml)
    assert [(m.head.kind, m.content) for m in result.manifests] == [("", "# just a comment\n")]


def test_yaml_error_names_the_file() -> None:
    with pytest.raises(ManifestParseError) as err:
        sort_manifests({"c/templates/bad.yaml": "a: 1\nb: c: d\n"}, load_head_yaml)
    assert str(err.value) == (
        "YAML parse error on c/templates/bad.yaml: error converting YAML to JSON: "
        "yaml: line 2: mapping values are not allowed in this context"
    )


def test_scalar_document_is_a_json_error() -> None:
    with pytest.raises(ManifestParseError) as err:
        sort_manifests({"c/templates/s.yaml": "just text\n"}, load_head_yaml)
    assert str(err.value) == (
        "YAML parse error on c/templates/s.yaml: error unmarshaling JSON: while decoding JSON: "
        "json: cannot unmarshal string into Go value of type util.SimpleHead"
    )
