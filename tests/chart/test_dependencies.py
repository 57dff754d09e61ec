"""helm pkg/chart/v2/util/dependencies_test.go over the same testdata charts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart import loader
from otterhelm.chart.dependencies import (
    _alias_copy,
    process_dependencies,
    process_enabled,
    process_import_values,
)
from otterhelm.chart.metadata import ValidationError
from otterhelm.chart.model import Chart
from otterhelm.chart.semver import is_compatible_range
from otterhelm.values.table import NoValue, path_value


def chart_names(c: Chart) -> list[str]:
    out: list[str] = []

    def walk(chart: Chart) -> None:
        out.append(chart.chart_path)
        for sub in chart.subcharts:
            walk(sub)

    walk(c)
    return sorted(out)


def test_load_dependency(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz")
    expected = [
        ("alpine", "0.1.0", "https://example.com/charts"),
        ("mariner", "4.3.2", "https://example.com/charts"),
    ]
    assert [(d.name, d.version, d.repository) for d in c.metadata.active_dependencies()] == expected
    assert c.lock is not None
    assert [(d.name, d.version, d.repository) for d in c.lock.dependencies] == expected


P = "parentchart"
ENABLED_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "tags with no effect",
        {"tags": {"nothinguseful": False}},
        [P, f"{P}.subchart1", f"{P}.subchart1.subcharta", f"{P}.subchart1.subchartb"],
    ),
    ("tags disabling a group", {"tags": {"front-end": False}}, [P]),
    (
        "tags disabling a group and enabling a different group",
        {"tags": {"front-end": False, "back-end": True}},
        [P, f"{P}.subchart2", f"{P}.subchart2.subchartb", f"{P}.subchart2.subchartc"],
    ),
    (
        "tags disabling only children, children still enabled since tag front-end=true in values.yaml",
        {"tags": {"subcharta": False, "subchartb": False}},
        [P, f"{P}.subchart1", f"{P}.subchart1.subcharta", f"{P}.subchart1.subchartb"],
    ),
    (
        "tags disabling all parents/children with additional tag re-enabling a parent",
        {"tags": {"front-end": False, "subchart1": True, "back-end": False}},
        [P, f"{P}.subchart1"],
    ),
    (
        "conditions enabling the parent charts, but back-end (b, c) is still disabled via values.yaml",
        {"subchart1": {"enabled": True}, "subchart2": {"enabled": True}},
        [P, f"{P}.subchart1", f"{P}.subchart1.subcharta", f"{P}.subchart1.subchartb", f"{P}.subchart2"],
    ),
    (
        "conditions disabling the parent charts, effectively disabling children",
        {"subchart1": {"enabled": False}, "subchart2": {"enabled": False}},
        [P],
    ),
    (
        "conditions a child using the second condition path of child's condition",
        {"subchart1": {"subcharta": {"enabled": False}}},
        [P, f"{P}.subchart1", f"{P}.subchart1.subchartb"],
    ),
    (
        "tags enabling a parent/child group with condition disabling one child",
        {"subchart2": {"subchartc": {"enabled": False}}, "tags": {"back-end": True}},
        [
            P,
            f"{P}.subchart1",
            f"{P}.subchart1.subcharta",
            f"{P}.subchart1.subchartb",
            f"{P}.subchart2",
            f"{P}.subchart2.subchartb",
        ],
    ),
    (
        "tags will not enable a child if parent is explicitly disabled with condition",
        {"subchart1": {"enabled": False}, "tags": {"front-end": True}},
        [P],
    ),
    (
        "subcharts with alias also respect conditions",
        {
            "subchart1": {"enabled": False},
            "subchart2alias": {"enabled": True, "subchartb": {"enabled": True}},
        },
        [P, f"{P}.subchart2alias", f"{P}.subchart2alias.subchartb"],
    ),
]


@pytest.mark.parametrize(("name", "values", "expect"), ENABLED_CASES, ids=[c[0] for c in ENABLED_CASES])
def test_dependency_enabled(testdata: Path, name: str, values: dict[str, Any], expect: list[str]) -> None:
    c = loader.load(testdata / "util/subpop")
    process_enabled(c, values)
    assert chart_names(c) == expect


IMPORTED = {
    "imported-chart1.SC1bool": "true",
    "imported-chart1.SC1float": "3.14",
    "imported-chart1.SC1int": "100",
    "imported-chart1.SC1string": "dollywood",
    "imported-chart1.SC1extra1": "11",
    "imported-chart1.SPextra1": "helm rocks",
    "imported-chartA.SCAbool": "false",
    "imported-chartA.SCAfloat": "3.1",
    "imported-chartA.SCAint": "55",
    "imported-chartA.SCAstring": "jabba",
    "imported-chartA.SPextra3": "1.337",
    "imported-chartA.SC1extra2": "1.337",
    "imported-chartA.SCAnested1.SCAnested2": "true",
    "imported-chartA-B.SCAbool": "false",
    "imported-chartA-B.SCAfloat": "3.1",
    "imported-chartA-B.SCAint": "55",
    "imported-chartA-B.SCAstring": "jabba",
    "imported-chartA-B.SCBbool": "true",
    "imported-chartA-B.SCBfloat": "7.77",
    "imported-chartA-B.SCBint": "33",
    "imported-chartA-B.SCBstring": "boba",
    "imported-chartA-B.SPextra5": "k8s",
    "imported-chartA-B.SC1extra5": "tiller",
    "overridden-chart1.SC1bool": "false",
    "overridden-chart1.SC1float": "3.141592",
    "overridden-chart1.SC1int": "99",
    "overridden-chart1.SC1string": "pollywog",
    "overridden-chart1.SPextra2": "42",
    "overridden-chartA.SCAbool": "true",
    "overridden-chartA.SCAfloat": "41.3",
    "overridden-chartA.SCAint": "808",
    "overridden-chartA.SCAstring": "jabberwocky",
    "overridden-chartA.SPextra4": "true",
    "overridden-chartA-B.SCAbool": "true",
    "overridden-chartA-B.SCAfloat": "41.3",
    "overridden-chartA-B.SCAint": "808",
    "overridden-chartA-B.SCAstring": "jabberwocky",
    "overridden-chartA-B.SCBbool": "false",
    "overridden-chartA-B.SCBfloat": "1.99",
    "overridden-chartA-B.SCBint": "77",
    "overridden-chartA-B.SCBstring": "jango",
    "overridden-chartA-B.SPextra6": "111",
    "overridden-chartA-B.SCAextra1": "23",
    "overridden-chartA-B.SCBextra1": "13",
    "overridden-chartA-B.SC1extra6": "77",
    "SCBexported1B": "1965",
    "SC1extra7": "true",
    "SCBexported2A": "blaster",
    "global.SC1exported2.all.SC1exported3": "SC1expstr",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return str(value)


def test_process_dependency_import_values(testdata: Path) -> None:
    c = loader.load(testdata / "util/subpop")
    process_import_values(c, merge=False)
    for key, expect in IMPORTED.items():
        assert _text(path_value(c.values, key)) == expect, key
    with pytest.raises(NoValue):
        path_value(c.values, "ensurenull")

    c = loader.load(testdata / "util/subpop")
    process_import_values(c, merge=True)
    assert path_value(c.values, "ensurenull") is None


def test_import_values_from_shared_dependency_to_aliases(testdata: Path) -> None:
    c = loader.load(testdata / "util/chart-with-import-from-aliased-dependencies")
    process_enabled(c, c.values)
    process_import_values(c, merge=True)
    for key in (
        "foo-defaults.defaultValue",
        "bar-defaults.defaultValue",
        "foo.defaults.defaultValue",
        "bar.defaults.defaultValue",
        "foo.grandchild.defaults.defaultValue",
        "bar.grandchild.defaults.defaultValue",
    ):
        assert path_value(c.values, key) == "42", key


def test_import_values_multi_level_precedence(testdata: Path) -> None:
    c = loader.load(testdata / "util/three-level-dependent-chart/umbrella")
    process_import_values(c, merge=True)
    expect = {
        "app1.service.port": "3456",
        "app2.service.port": "8080",
        "app3.service.port": "9090",
        "app4.service.port": "1234",
    }
    for key, value in expect.items():
        assert _text(path_value(c.values, key)) == value, key


def test_import_values_for_enabled_charts(testdata: Path) -> None:
    c = loader.load(testdata / "util/import-values-from-enabled-subchart/parent-chart")
    process_import_values(c, merge=True)
    assert len(c.subcharts) == 2
    process_enabled(c, c.values)
    assert len(c.subcharts) == 1
    assert len(c.metadata.dependencies) == 1
    assert c.subcharts[0].values["nameOverride"] == "parent-chart-prod"


def test_get_alias_dependency(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz")
    req = c.metadata.active_dependencies()
    alias_chart = _alias_copy(c.subcharts, req[0])
    assert alias_chart is not None
    assert alias_chart.name == (req[0].alias or req[0].name)
    assert is_compatible_range(req[0].version, alias_chart.metadata.version)
    req[0].name = "something-else"
    assert _alias_copy(c.subcharts, req[0]) is None
    req[0].version = "something else which is not in the compatible range"
    assert not is_compatible_range(req[0].version, alias_chart.metadata.version)


def test_dependent_chart_aliases(testdata: Path) -> None:
    c = loader.load(testdata / "util/dependent-chart-alias")
    assert len(c.subcharts) == 2
    process_enabled(c, c.values)
    assert len(c.subcharts) == 3
    assert len(c.subcharts) == len(c.metadata.dependencies)
    req = c.metadata.active_dependencies()
    alias_chart = next(s for s in c.subcharts if s.name == req[2].name)
    assert alias_chart.parent is c
    assert alias_chart.name == (req[2].alias or req[2].name)
    req[2].name = "dummy-name"
    assert _alias_copy(c.subcharts, req[2]) is None


def _chart_without_dependency_list(testdata: Path, tmp_path: Path, keep: int) -> Chart:
    # dependent-chart-no-requirements-yaml / -with-all-in- / -with-mixed-: frobnitz with
    # zero, two or one of its subcharts declared in Chart.yaml.
    target = tmp_path / "dependent"
    shutil.copytree(testdata / "loader/frobnitz", target)
    chart_yaml = (target / "Chart.yaml").read_text()
    head, _, deps = chart_yaml.partition("dependencies:")
    entries = ["  - name:" + e for e in deps.split("  - name:")[1:]]
    (target / "Chart.yaml").write_text(head + ("dependencies:\n" + "".join(entries[:keep]) if keep else ""))
    return loader.load(target)


@pytest.mark.parametrize(("keep", "declared"), [(0, 0), (2, 2), (1, 1)])
def test_subcharts_absent_or_present_in_dependencies(
    testdata: Path, tmp_path: Path, keep: int, declared: int
) -> None:
    c = _chart_without_dependency_list(testdata, tmp_path, keep)
    assert len(c.subcharts) == 2
    process_enabled(c, c.values)
    assert len(c.subcharts) == 2
    assert len(c.metadata.dependencies) == declared


def test_dependent_chart_with_helmignore(testdata: Path) -> None:
    c = loader.load(testdata / "util/dependent-chart-helmignore")
    assert [s.name for s in c.subcharts] == ["alpine"]


def test_subchart_through_symlink(testdata: Path, tmp_path: Path) -> None:
    joonix = tmp_path / "joonix"
    (joonix / "charts").mkdir(parents=True)
    (joonix / "Chart.yaml").write_text("apiVersion: v1\nname: joonix\nversion: 1.2.3\n")
    (joonix / "charts/frobnitz").symlink_to(testdata / "loader/frobnitz")
    c = loader.load(joonix)
    assert c.name == "joonix"
    assert len(c.subcharts) == 1


def _validate_tree(c: Chart) -> None:
    for sub in c.subcharts:
        assert sub.parent is c
        _validate_tree(sub)


def test_dependency_aliased_twice_keeps_parents(testdata: Path) -> None:
    c = loader.load(testdata / "util/chart-with-dependency-aliased-twice")
    process_dependencies(c, c.values)
    _validate_tree(c)
    assert sorted(s.name for s in c.subcharts) == ["bar", "foo"]
    assert sorted(s.name for s in c.subcharts[0].subcharts) == ["grandchild"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("dotname", 'validation: chart.metadata.name "." is not allowed'),
        ("dotdotname", 'validation: chart.metadata.name ".." is not allowed'),
        ("slashinname", 'validation: chart.metadata.name "a/../b" is invalid'),
    ],
)
def test_invalid_chart_names(testdata: Path, name: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        loader.load(testdata / "util" / name)
    assert str(info.value) == message


def _two_level_chart(tmp_path: Path, parent_dependencies: str) -> Chart:
    root = tmp_path / "top"
    sub = root / "charts/mid"
    leaf = sub / "charts/leaf"
    leaf.mkdir(parents=True)
    (root / "Chart.yaml").write_text(f"apiVersion: v2\nname: top\nversion: 1.0.0\n{parent_dependencies}")
    (sub / "Chart.yaml").write_text(
        "apiVersion: v2\nname: mid\nversion: 1.0.0\ndependencies:\n- name: leaf\n  version: 1.0.0\n"
        "  condition: leaf.enabled\n"
    )
    (sub / "values.yaml").write_text("leaf:\n  enabled: false\n")
    (leaf / "Chart.yaml").write_text("apiVersion: v2\nname: leaf\nversion: 1.0.0\n")
    return loader.load(root)


def test_undeclared_subcharts_are_not_processed_further(tmp_path: Path) -> None:
    # With no `dependencies` in the parent, helm stops there: the subchart's own
    # conditions are never evaluated, so its disabled child stays.
    c = _two_level_chart(tmp_path, "")
    process_dependencies(c, {})
    assert chart_names(c) == ["top", "top.mid", "top.mid.leaf"]


def test_an_empty_dependency_list_still_processes_subcharts(tmp_path: Path) -> None:
    c = _two_level_chart(tmp_path, "dependencies: []\n")
    process_dependencies(c, {})
    assert chart_names(c) == ["top", "top.mid"]
