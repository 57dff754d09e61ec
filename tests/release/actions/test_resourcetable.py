"""The RESOURCES section's table printing (kubectl's human-readable printer over server-side
Tables, as `helm status` uses it); the vector is helm v4.3.1's output for a release with two
ConfigMaps, a Service, a Deployment and a related Pod."""

from __future__ import annotations

from typing import Any

from otterhelm.release.actions.resourcetable import format_resources, tabwriter_lines


def _table(columns: list[tuple[str, int]], *rows: list[Any]) -> dict[str, Any]:
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "columnDefinitions": [{"name": name, "type": "string", "priority": p} for name, p in columns],
        "rows": [{"cells": cells} for cells in rows],
    }


CONFIG_MAP = [("Name", 0), ("Data", 0), ("Age", 0)]

HELM_STATUS_RESOURCES = """==> v1/ConfigMap
NAME          DATA   AGE
d1-settings   2      2s
d1-extra   0     2s

==> v1/Service
NAME     TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE
d1-web   ClusterIP   10.96.203.109   <none>        80/TCP    2s

==> v1/Deployment
NAME     READY   UP-TO-DATE   AVAILABLE   AGE
d1-app   0/1     0            0           2s

==> v1/Pod(related)
NAME         READY   STATUS    RESTARTS   AGE
demo-pod-x   0/1     Pending   0          1s

"""


def test_objects_print_as_helm_status_prints_them() -> None:
    resources = {
        "v1/ConfigMap": [
            _table(CONFIG_MAP, ["d1-settings", 2, "2s"]),
            _table(CONFIG_MAP, ["d1-extra", 0, "2s"]),
        ],
        "v1/Service": [
            _table(
                [
                    ("Name", 0),
                    ("Type", 0),
                    ("Cluster-IP", 0),
                    ("External-IP", 0),
                    ("Port(s)", 0),
                    ("Age", 0),
                    ("Selector", 1),
                ],
                ["d1-web", "ClusterIP", "10.96.203.109", "<none>", "80/TCP", "2s", "app=demo"],
            )
        ],
        "v1/Deployment": [
            _table(
                [("Name", 0), ("Ready", 0), ("Up-to-date", 0), ("Available", 0), ("Age", 0), ("Images", 1)],
                ["d1-app", "0/1", 0, 0, "2s", "registry.invalid/app:1"],
            )
        ],
        "v1/Pod(related)": [
            _table(
                [("Name", 0), ("Ready", 0), ("Status", 0), ("Restarts", 0), ("Age", 0), ("IP", 1)],
                ["demo-pod-x", "0/1", "Pending", 0, "1s", None],
            )
        ],
    }
    assert format_resources(resources) == HELM_STATUS_RESOURCES


def test_a_table_without_rows_prints_nothing_and_lines_are_cut_at_breaks() -> None:
    assert format_resources({"v1/Pod(related)": [_table(CONFIG_MAP)]}) == "==> v1/Pod(related)\n\n"
    cut = format_resources({"v1/ConfigMap": [_table(CONFIG_MAP, ["multi\nline", True, "1s"])]})
    assert cut == "==> v1/ConfigMap\nNAME       DATA   AGE\nmulti...   true   1s\n\n"


def test_tabwriter_pads_every_cell_but_the_last_to_its_column() -> None:
    # Go text/tabwriter with kubectl's settings: minimum width 6, padding 3.
    assert (
        tabwriter_lines([["a", "bb", "c"], ["dddddd", "e", "ffff"]])
        == "a        bb    c\ndddddd   e     ffff\n"
    )
