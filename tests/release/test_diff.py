"""The object-by-object diff of two manifests (what DiffRelease reports)."""

from __future__ import annotations

from otterhelm.kube.manifest import KubeObject, parse_manifest
from otterhelm.release.diff import Action, MatchKey, ObjectChange, diff_objects, object_yaml

CONFIG = """\
# Source: demo/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-cm
  namespace: apps
data:
  message: {message}
"""
SERVICE = """\
# Source: demo/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: apps
spec:
  ports:
  - port: 80
"""
ROLE = """\
# Source: demo/templates/role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules: []
"""


def objects(*documents: str) -> list[KubeObject]:
    return parse_manifest("---\n".join(documents))


def summary(changes: list[ObjectChange]) -> list[tuple[str, str, str, str]]:
    return [(c.kind, c.namespace, c.name, str(c.action)) for c in changes]


def test_identical_manifests_are_unchanged_with_no_diff() -> None:
    manifest = objects(CONFIG.format(message="hi"), SERVICE)
    changes = diff_objects(manifest, objects(CONFIG.format(message="hi"), SERVICE))
    assert summary(changes) == [
        ("ConfigMap", "apps", "web-cm", "unchanged"),
        ("Service", "apps", "web", "unchanged"),
    ]
    assert [c.diff for c in changes] == ["", ""]


def test_a_changed_value_is_one_hunk_with_headers() -> None:
    changes = diff_objects(
        objects(CONFIG.format(message="one")),
        objects(CONFIG.format(message="two")),
        current_label="revision 1",
        proposed_label="revision 2",
    )
    assert summary(changes) == [("ConfigMap", "apps", "web-cm", "changed")]
    assert changes[0].diff == (
        "--- revision 1/apps/ConfigMap/web-cm\n"
        "+++ revision 2/apps/ConfigMap/web-cm\n"
        "@@ -1,6 +1,6 @@\n"
        " apiVersion: v1\n"
        " data:\n"
        "-  message: one\n"
        "+  message: two\n"
        " kind: ConfigMap\n"
        " metadata:\n"
        "   name: web-cm\n"
    )


def test_added_and_removed_objects_show_their_whole_yaml() -> None:
    changes = diff_objects(
        objects(CONFIG.format(message="x"), ROLE), objects(CONFIG.format(message="x"), SERVICE)
    )
    assert summary(changes) == [
        ("ConfigMap", "apps", "web-cm", "unchanged"),
        ("Service", "apps", "web", "added"),
        ("ClusterRole", "", "reader", "removed"),
    ]
    added, removed = changes[1], changes[2]
    assert added.diff.startswith("--- current/apps/Service/web\n+++ proposed/apps/Service/web\n@@ -0,0 +1,")
    assert all(line.startswith("+") for line in added.diff.splitlines()[3:])
    assert "+kind: Service\n" in added.diff
    # Cluster-scoped: no namespace in the path.
    assert removed.diff.startswith("--- current/ClusterRole/reader\n+++ proposed/ClusterRole/reader\n")
    assert "-rules: []\n" in removed.diff
    assert not removed.kept


def test_order_is_proposed_then_removed_in_current_order() -> None:
    current = objects(ROLE, SERVICE, CONFIG.format(message="a"))
    proposed = objects(CONFIG.format(message="b"))
    assert summary(diff_objects(current, proposed)) == [
        ("ConfigMap", "apps", "web-cm", "changed"),
        ("ClusterRole", "", "reader", "removed"),
        ("Service", "apps", "web", "removed"),
    ]


def test_formatting_and_key_order_are_not_changes() -> None:
    reordered = (
        "kind: ConfigMap\ndata: {message: hi}\n"
        "metadata:\n    namespace: apps\n    name: web-cm   # same object\napiVersion: v1\n"
    )
    changes = diff_objects(objects(CONFIG.format(message="hi")), objects(reordered))
    assert summary(changes) == [("ConfigMap", "apps", "web-cm", "unchanged")]


def test_numbers_compare_as_the_api_server_reads_them() -> None:
    # `1` and `1.0` are the same JSON number once decoded as Go does.
    one = objects(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec: {replicas: 1}\n"
    )
    same = objects(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec: {replicas: 1.0}\n"
    )
    assert summary(diff_objects(one, same)) == [("Deployment", "ns", "d", "unchanged")]


def test_a_new_api_version_of_one_group_and_kind_is_a_change_not_a_replacement() -> None:
    """pkg/kube/resource.go isMatchingInfo compares group and kind, not the version."""
    old = objects(
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: ns}\n"
    )
    new = objects(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h, namespace: ns}\n"
    )
    changes = diff_objects(old, new)
    assert [(c.api_version, str(c.action)) for c in changes] == [("autoscaling/v2", "changed")]
    assert "-apiVersion: autoscaling/v2beta2\n+apiVersion: autoscaling/v2\n" in changes[0].diff


def test_same_kind_in_another_group_is_another_object() -> None:
    old = objects("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: ns}\n")
    new = objects("apiVersion: other.io/v1\nkind: Widget\nmetadata: {name: w, namespace: ns}\n")
    assert [(c.api_version, str(c.action)) for c in diff_objects(old, new)] == [
        ("other.io/v1", "added"),
        ("example.com/v1", "removed"),
    ]


def test_same_name_in_another_namespace_is_another_object() -> None:
    old = objects(CONFIG.format(message="m"))
    new = objects(CONFIG.format(message="m").replace("namespace: apps", "namespace: other"))
    assert summary(diff_objects(old, new)) == [
        ("ConfigMap", "other", "web-cm", "added"),
        ("ConfigMap", "apps", "web-cm", "removed"),
    ]


def test_removed_object_with_keep_policy_is_marked_kept() -> None:
    kept = SERVICE.replace(
        "  namespace: apps\n", "  namespace: apps\n  annotations:\n    helm.sh/resource-policy: keep\n"
    )
    changes = diff_objects(objects(kept, CONFIG.format(message="m")), objects(CONFIG.format(message="m")))
    assert [(c.name, str(c.action), c.kept) for c in changes] == [
        ("web-cm", "unchanged", False),
        ("web", "removed", True),
    ]


def test_an_object_given_twice_counts_once_with_its_last_body() -> None:
    twice = objects(CONFIG.format(message="first"), CONFIG.format(message="last"))
    changes = diff_objects(objects(CONFIG.format(message="last")), twice)
    assert summary(changes) == [("ConfigMap", "apps", "web-cm", "unchanged")]


def test_list_kinds_are_diffed_item_by_item() -> None:
    listed = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: ns}}\n"
        "- {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: ns}}\n"
    )
    single = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n"
    assert summary(diff_objects(objects(single), objects(listed))) == [
        ("ConfigMap", "ns", "a", "unchanged"),
        ("ConfigMap", "ns", "b", "added"),
    ]


def test_context_lines_limit_the_hunk() -> None:
    long = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ns}\ndata:\n" + "".join(
        f"  k{i:02d}: v{i}\n" for i in range(20)
    )
    changed = long.replace("k10: v10", "k10: changed")
    diff = diff_objects(objects(long), objects(changed), context_lines=1)[0].diff
    assert diff.splitlines()[2:] == [
        "@@ -12,3 +12,3 @@",
        "   k09: v9",
        "-  k10: v10",
        "+  k10: changed",
        "   k11: v11",
    ]


def test_empty_manifests_have_no_changes() -> None:
    assert diff_objects([], []) == []
    assert diff_objects(objects("# Source: x.yaml\n"), []) == []


def test_match_key_and_object_yaml() -> None:
    (obj,) = objects(SERVICE)
    assert MatchKey.of(obj) == MatchKey("", "Service", "apps", "web")
    assert object_yaml(obj) == (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  ports:\n  - port: 80\n"
    )
    assert Action("changed") is Action.CHANGED
