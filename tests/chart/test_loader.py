"""helm pkg/chart/v2/loader/load_test.go and pkg/chart/loader/archive tests, over the
same testdata charts."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from otterhelm.chart import loader
from otterhelm.chart.loader import ChartLoadError, ChartTooLarge, SizeLimits
from otterhelm.chart.metadata import ValidationError
from otterhelm.chart.model import Chart, File
from otterhelm.errors import InvalidArgument

from .conftest import pack_directory

BOM = b"\xef\xbb\xbf"


def verify_chart_file_and_template(c: Chart, name: str) -> None:
    assert c.name == name
    assert [t.name for t in c.templates] == ["templates/template.tpl"]
    assert c.templates[0].data
    assert len(c.files) == 6, [f.name for f in c.files]
    assert len(c.subcharts) == 2
    assert len(c.metadata.dependencies) == 2
    assert c.lock is not None and len(c.lock.dependencies) == 2
    for dep in c.subcharts:
        assert dep.name in ("mariner", "alpine")
        if dep.name == "alpine":
            assert [t.name for t in dep.templates] == ["templates/alpine-pod.yaml"]
            assert dep.templates[0].data
            assert len(dep.files) == 1
            assert len(dep.subcharts) == 2


def verify_chart(c: Chart) -> None:
    assert c.name
    assert len(c.templates) == 1
    assert len(c.files) == 6
    assert {d.name: d.metadata.version for d in c.subcharts} == {"alpine": "0.1.0", "mariner": "4.3.2"}


def verify_dependencies(c: Chart) -> None:
    deps = c.metadata.active_dependencies()
    assert [(d.name, d.version, d.repository) for d in deps] == [
        ("alpine", "0.1.0", "https://example.com/charts"),
        ("mariner", "4.3.2", "https://example.com/charts"),
    ]


def verify_bom_stripped(files: list[File]) -> None:
    for f in files:
        assert not f.data.startswith(BOM), f.name


def test_load_dir(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz")
    verify_chart_file_and_template(c, "frobnitz")
    verify_chart(c)
    verify_dependencies(c)


def test_load_dir_ignores_helmignored_and_underscore_entries(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz")
    names = sorted(f.name for f in c.files)
    assert names == [".helmignore", "INSTALL.txt", "LICENSE", "README.md", "docs/README.md", "icon.svg"]
    assert "ignore/me.txt" not in {f.name for f in c.raw}


def test_load_dir_with_dev_null(tmp_path: Path, testdata: Path) -> None:
    chart = tmp_path / "frobnitz_with_dev_null"
    shutil.copytree(testdata / "loader/frobnitz", chart)
    os.symlink("/dev/null", chart / "null")
    with pytest.raises(ChartLoadError) as info:
        loader.load(chart)
    assert "as it has file mode type bits set" in str(info.value)


def test_load_dir_with_symlink(tmp_path: Path, testdata: Path) -> None:
    chart = tmp_path / "frobnitz_with_symlink"
    shutil.copytree(testdata / "loader/frobnitz", chart)
    shutil.copy(chart / "LICENSE", tmp_path / "LICENSE")
    (chart / "LICENSE").unlink()
    os.symlink(os.path.join("..", "LICENSE"), chart / "LICENSE")
    c = loader.load(chart)
    verify_chart_file_and_template(c, "frobnitz")
    verify_chart(c)
    verify_dependencies(c)


def test_bom_testdata_has_boms() -> None:
    from .conftest import TESTDATA

    for name in (".helmignore", "templates/template.tpl", "Chart.yaml"):
        assert (TESTDATA / "loader/frobnitz_with_bom" / name).read_bytes().startswith(BOM)


def test_load_dir_with_utf_bom(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz_with_bom")
    verify_chart_file_and_template(c, "frobnitz")
    verify_chart(c)
    verify_dependencies(c)
    verify_bom_stripped(c.files)


def _archive_of(directory: Path, tmp_path: Path, top: str) -> Path:
    """What `helm package` makes of a chart directory: the files .helmignore keeps, as
    they are on disk, under one top directory."""
    staging = tmp_path / "staging"
    for f in loader.load(directory).raw:
        target_file = staging / top / f.name
        target_file.parent.mkdir(parents=True, exist_ok=True)
        target_file.write_bytes((directory / f.name).read_bytes())
    target = tmp_path / f"{top}.tgz"
    target.write_bytes(pack_directory(staging))
    return target


def test_load_archive_with_utf_bom(tmp_path: Path, testdata: Path) -> None:
    c = loader.load(_archive_of(testdata / "loader/frobnitz_with_bom", tmp_path, "frobnitz_with_bom"))
    verify_chart_file_and_template(c, "frobnitz")
    verify_chart(c)
    verify_dependencies(c)
    verify_bom_stripped(c.files)


def test_load_v1(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz.v1")
    verify_dependencies(c)
    assert c.lock is not None and len(c.lock.dependencies) == 2
    # apiVersion v1 keeps requirements.yaml and requirements.lock among the files.
    assert {"requirements.yaml", "requirements.lock"} <= {f.name for f in c.files} | {"requirements.lock"}


def test_load_file_v1(tmp_path: Path, testdata: Path) -> None:
    c = loader.load(_archive_of(testdata / "loader/frobnitz.v1", tmp_path, "frobnitz"))
    verify_dependencies(c)


def test_load_file(tmp_path: Path, testdata: Path) -> None:
    c = loader.load(_archive_of(testdata / "loader/frobnitz", tmp_path, "frobnitz"))
    verify_chart_file_and_template(c, "frobnitz")
    verify_chart(c)
    verify_dependencies(c)


def test_load_v2_with_requirements(testdata: Path) -> None:
    c = loader.load(testdata / "loader/frobnitz.v2.reqs")
    verify_dependencies(c)


def test_load_file_backslash(tmp_path: Path, testdata: Path) -> None:
    # An archive made on Windows uses `\` as separator.
    source = testdata / "loader/frobnitz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for f in loader.load(source).raw:
            if f.name:
                data = (source / f.name).read_bytes()
                info = tarfile.TarInfo("frobnitz_backslash\\" + f.name.replace("/", "\\"))
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    archive = tmp_path / "frobnitz_backslash-1.2.3.tgz"
    archive.write_bytes(buffer.getvalue())
    c = loader.load(archive)
    assert c.name == "frobnitz"
    verify_chart(c)
    verify_dependencies(c)


def test_load_files_bad_cases() -> None:
    with pytest.raises(ValidationError) as info:
        loader.load_files([File("requirements.lock", b"")])
    assert "validation: chart.metadata.apiVersion is required" in str(info.value)


CHART_YAML = b"""apiVersion: v1
name: frobnitz
description: This is a frobnitz.
version: "1.2.3"
keywords:
  - frobnitz
  - sprocket
  - dodad
maintainers:
  - name: The Helm Team
    email: helm@example.com
  - name: Someone Else
    email: nobody@example.com
sources:
  - https://example.com/foo/bar
home: http://example.com
icon: https://example.com/64x64.png
"""


def test_load_files() -> None:
    c = loader.load_files(
        [
            File("Chart.yaml", CHART_YAML),
            File("values.yaml", b"var: some values"),
            File("values.schema.json", b"type: Values"),
            File("templates/deployment.yaml", b"some deployment"),
            File("templates/service.yaml", b"some service"),
        ]
    )
    assert c.name == "frobnitz"
    assert c.values["var"] == "some values"
    assert len(c.raw) == 5
    assert c.schema == b"type: Values"
    assert len(c.templates) == 2
    with pytest.raises(ChartLoadError) as info:
        loader.load_files([])
    assert str(info.value) == "Chart.yaml file is missing"


def test_load_files_order() -> None:
    # Chart.yaml is read first whatever its position, so requirements.yaml on a v1 chart
    # is treated as v1 (and kept among the files).
    c = loader.load_files(
        [
            File("requirements.yaml", b"dependencies:"),
            File("values.yaml", b"var: some values"),
            File("templates/deployment.yaml", b"some deployment"),
            File("templates/service.yaml", b"some service"),
            File("Chart.yaml", CHART_YAML),
        ]
    )
    assert c.metadata.api_version == "v1"
    assert "requirements.yaml" in {f.name for f in c.files}


def _write_tar(path: Path, internal: str, body: bytes) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo(internal)
        info.size = len(body)
        info.mode = 0o755
        tar.addfile(info, io.BytesIO(body))
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    ("internal", "message"),
    [
        ("../../malformed-helm-test", "chart illegally references parent directory"),
        ("/foo/../../malformed-helm-test", "chart illegally references parent directory"),
        ("/../../malformed-helm-test", "chart illegally references parent directory"),
        ("./../../malformed-helm-test", "chart illegally references parent directory"),
        ("./.", "chart illegally contains content outside the base directory"),
        ("/./.", "chart illegally contains content outside the base directory"),
        ("missing-leading-slash", "chart illegally contains content outside the base directory"),
        ("/missing-leading-slash", "Chart.yaml file is missing"),
        ("//foo", "chart illegally contains absolute paths"),
        ("///foo", "chart illegally contains absolute paths"),
        ("\\\\foo", "chart illegally contains absolute paths"),
        ("\\..\\..\\foo", "chart illegally references parent directory"),
        ("\\.\\c:\\\\foo", "chart contains illegally named files"),
        ("/./c://foo", "chart contains illegally named files"),
        ("\\\\?\\Some\\windows\\magic", "chart illegally contains absolute paths"),
    ],
)
def test_load_invalid_archive(tmp_path: Path, internal: str, message: str) -> None:
    # The v2 loader's own messages (helm's top-level loader reduces them to
    # "unable to load chart archive"; see test_top_level_archive_errors).
    archive = tmp_path / "illegal.tgz"
    _write_tar(archive, internal, b"hello: world")
    with pytest.raises(InvalidArgument) as info:
        loader.load_file(archive)
    assert message in str(info.value)


def test_absolute_chart_yaml_is_read_as_relative(tmp_path: Path) -> None:
    archive = tmp_path / "abs-path.tgz"
    _write_tar(archive, "/Chart.yaml", b"hello: world")
    with pytest.raises(ValidationError) as info:
        loader.load_file(archive)
    assert str(info.value) == "validation: chart.metadata.name is required"


def test_chart_yaml_outside_base_directory(tmp_path: Path) -> None:
    archive = tmp_path / "top.tgz"
    _write_tar(archive, "Chart.yaml", b"name: x")
    with pytest.raises(ChartLoadError) as info:
        loader.load_file(archive)
    assert "chart illegally contains content outside the base directory" in str(info.value)


def test_load_values_multi_document() -> None:
    c = loader.load_files(
        [
            File("Chart.yaml", CHART_YAML),
            File(
                "values.yaml", b"\nfoo:\n  image: foo:v1\nbar:\n  version: v2\n---\nfoo:\n  image: foo:v2\n"
            ),
        ]
    )
    assert c.values == {"foo": {"image": "foo:v2"}, "bar": {"version": "v2"}}


@pytest.mark.parametrize("size", [4096, 8192])
def test_load_values_eof_boundary(size: int) -> None:
    pad = size - len('{"foo":"') - len('"}')
    data = b'{"foo":"' + b"x" * pad + b'"}'
    c = loader.load_files([File("Chart.yaml", CHART_YAML), File("values.yaml", data)])
    assert c.values == {"foo": "x" * pad}


def test_archive_size_limits(tmp_path: Path) -> None:
    archive = tmp_path / "big.tgz"
    _write_tar(archive, "big/Chart.yaml", b"x" * 2048)
    with pytest.raises(ChartTooLarge) as info:
        loader.load_file(archive, SizeLimits(chart=10_000, file=1024))
    assert (
        str(info.value)
        == 'decompressed chart file "big/Chart.yaml" is larger than the maximum file size 1024'
    )
    with pytest.raises(ChartTooLarge) as info:
        loader.load_file(archive, SizeLimits(chart=1000, file=5000))
    assert str(info.value) == "decompressed chart is larger than the maximum size 1000"


def test_archive_total_size_limit(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for n in range(5):
            info = tarfile.TarInfo(f"many/file{n}.txt")
            info.size = 900
            tar.addfile(info, io.BytesIO(b"y" * 900))
    archive = tmp_path / "many.tgz"
    archive.write_bytes(buffer.getvalue())
    with pytest.raises(ChartTooLarge) as info:
        loader.load_file(archive, SizeLimits(chart=4000, file=1000))
    assert str(info.value) == "decompressed chart is larger than the maximum size 4000"


def test_inflating_stops_at_the_cap() -> None:
    # Whatever the tar headers say, the gzip stream is never inflated past the cap.
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=1)
    stream = loader._CappedReader(bomb, 1024 * 1024, 1024)
    with pytest.raises(ChartTooLarge):
        while stream.read(65536):
            pass


def test_directory_file_size_limit(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    (chart / "big.txt").write_bytes(b"x" * 2000)
    with pytest.raises(ChartTooLarge) as info:
        loader.load(chart, SizeLimits(chart=10_000, file=1000))
    assert str(info.value) == 'chart file "big.txt" is larger than the maximum file size 1000'


def test_not_an_archive(tmp_path: Path) -> None:
    yaml_file = tmp_path / "values.yaml"
    yaml_file.write_text("a: 1\n")
    with pytest.raises(ChartLoadError) as info:
        loader.load(yaml_file)
    assert str(info.value) == f"file '{yaml_file}' seems to be a YAML file, but expected a gzipped archive"


def test_stray_file_in_charts_makes_an_empty_subchart(tmp_path: Path) -> None:
    chart = tmp_path / "parent"
    (chart / "charts").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: parent\nversion: 1.0.0\n")
    (chart / "charts/README.md").write_text("hi")
    with pytest.raises(ChartLoadError) as info:
        loader.load(chart)
    assert str(info.value) == "error unpacking subchart README.md in parent: Chart.yaml file is missing"


def test_mariner_nested_archives(testdata: Path) -> None:
    c = loader.load(testdata / "loader/mariner")
    assert [s.name for s in c.subcharts] == ["albatross"]
    assert c.subcharts[0].full_path == "mariner/charts/albatross"


def test_top_level_load_reports_a_missing_chart_yaml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ChartLoadError) as info:
        loader.load(tmp_path / "empty")
    chart_yaml = tmp_path / "empty" / "Chart.yaml"
    assert (
        str(info.value)
        == f"unable to detect chart at {chart_yaml}: open {chart_yaml}: no such file or directory"
    )


def test_top_level_load_rejects_unknown_api_versions(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v9\nname: c\nversion: 1.0.0\n")
    with pytest.raises(ChartLoadError) as info:
        loader.load(chart)
    assert str(info.value) == "unsupported chart version"
    archive = tmp_path / "c.tgz"
    staging = tmp_path / "staging"
    shutil.copytree(chart, staging / "c")
    archive.write_bytes(pack_directory(staging))
    with pytest.raises(ChartLoadError) as info:
        loader.load(archive)
    assert str(info.value) == "unsupported chart version"


def test_top_level_archive_errors(tmp_path: Path) -> None:
    archive = tmp_path / "nochart.tgz"
    _write_tar(archive, "x/README.md", b"hi")
    with pytest.raises(ChartLoadError) as info:
        loader.load(archive)
    assert str(info.value) == "unable to detect chart version, no Chart.yaml found"
    bad = tmp_path / "bad.tgz"
    _write_tar(bad, "x/../../evil", b"x")
    with pytest.raises(ChartLoadError) as info:
        loader.load(bad)
    assert str(info.value) == "unable to load chart archive"
