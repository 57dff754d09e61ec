"""helm pkg/chart/v2/chart_test.go: CRDs, IsRoot, ChartPath, ChartFullPath."""

from __future__ import annotations

from otterhelm.chart.model import Chart, File, Metadata


def test_crd_objects() -> None:
    chart = Chart(
        metadata=Metadata(),
        files=[
            File("crds/foo.yaml", b"hello"),
            File("bar.yaml", b"hello"),
            File("crds/foo/bar/baz.yaml", b"hello"),
            File("crdsfoo/bar/baz.yaml", b"hello"),
            File("crds/README.md", b"# hello"),
            File("crds/UPPER.YML", b"x"),
            File("crds/data.json", b"{}"),
        ],
    )
    assert [(name, f.name) for name, f in chart.crd_objects()] == [
        ("crds/foo.yaml", "crds/foo.yaml"),
        ("crds/foo/bar/baz.yaml", "crds/foo/bar/baz.yaml"),
        ("crds/UPPER.YML", "crds/UPPER.YML"),
        ("crds/data.json", "crds/data.json"),
    ]


def test_crd_objects_of_subcharts_come_after_the_parents() -> None:
    parent = Chart(metadata=Metadata(name="parent"), files=[File("crds/a.yaml", b"a")])
    child = Chart(metadata=Metadata(name="child"), files=[File("crds/b.yaml", b"b")])
    parent.add_subchart(child)
    assert [name for name, _ in parent.crd_objects()] == [
        "parent/crds/a.yaml",
        "parent/charts/child/crds/b.yaml",
    ]


def test_is_root_and_paths() -> None:
    foo = Chart(metadata=Metadata(name="foo"))
    bar = Chart(metadata=Metadata(name="bar"))
    baz = Chart(metadata=Metadata(name="baz"))
    foo.add_subchart(bar)
    bar.add_subchart(baz)
    assert foo.is_root and not bar.is_root and not baz.is_root
    assert (foo.chart_path, bar.chart_path, baz.chart_path) == ("foo", "foo.bar", "foo.bar.baz")
    assert (foo.full_path, bar.full_path, baz.full_path) == (
        "foo",
        "foo/charts/bar",
        "foo/charts/bar/charts/baz",
    )
    assert baz.root is foo


def test_metadata_copy_is_independent() -> None:
    from otterhelm.chart.model import Dependency

    md = Metadata(name="a", dependencies=[Dependency(name="x", tags=["t"])])
    copied = md.copy()
    dep = copied.dependencies[0]
    assert dep is not None
    dep.name = "y"
    dep.tags.append("u")
    original = md.dependencies[0]
    assert original is not None and original.name == "x" and original.tags == ["t"]
