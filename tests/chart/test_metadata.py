"""helm pkg/chart/v2/metadata_test.go and util/chartfile_test.go, plus the
sigs.k8s.io/yaml decoding of Chart.yaml into typed fields."""

from __future__ import annotations

import pytest

from otterhelm.chart.metadata import ChartFileError, ValidationError, decode_metadata, validate_metadata
from otterhelm.chart.model import Dependency, Maintainer, Metadata


def md(**fields: object) -> Metadata:
    return Metadata(**fields)  # type: ignore[arg-type]


VALIDATE_CASES = [
    ("chart without apiVersion", md(name="test", version="1.0"), "chart.metadata.apiVersion is required"),
    ("chart without name", md(api_version="v2", version="1.0"), "chart.metadata.name is required"),
    (
        "chart with dot name",
        md(name=".", api_version="v2", version="1.0"),
        'chart.metadata.name "." is not allowed',
    ),
    (
        "chart with dotdot name",
        md(name="..", api_version="v2", version="1.0"),
        'chart.metadata.name ".." is not allowed',
    ),
    (
        "chart with path name",
        md(name="../../test", api_version="v2", version="1.0"),
        'chart.metadata.name "../../test" is invalid',
    ),
    ("chart without version", md(name="test", api_version="v2"), "chart.metadata.version is required"),
    (
        "chart with bad type",
        md(name="test", api_version="v2", version="1.0", type="test"),
        "chart.metadata.type must be application or library",
    ),
    ("chart without dependency", md(name="test", api_version="v2", version="1.0", type="application"), None),
    (
        "dependency with valid alias",
        md(
            name="test",
            api_version="v2",
            version="1.0",
            type="application",
            dependencies=[Dependency(name="dependency", alias="legal-alias")],
        ),
        None,
    ),
    (
        "dependency with bad characters in alias",
        md(
            name="test",
            api_version="v2",
            version="1.0",
            dependencies=[Dependency(name="bad", alias="illegal alias")],
        ),
        'dependency "bad" has disallowed characters in the alias',
    ),
    (
        "same dependency twice",
        md(
            name="test",
            api_version="v2",
            version="1.0",
            dependencies=[Dependency(name="foo"), Dependency(name="foo")],
        ),
        'more than one dependency with name or alias "foo"',
    ),
    (
        "alias of the second dependency shadows the first",
        md(
            name="test",
            api_version="v2",
            version="1.0",
            dependencies=[Dependency(name="foo"), Dependency(name="bar", alias="foo")],
        ),
        'more than one dependency with name or alias "foo"',
    ),
    (
        "same dependency twice with different versions",
        md(
            name="test",
            api_version="v2",
            version="1.0",
            dependencies=[Dependency(name="foo", version="1.2.3"), Dependency(name="foo", version="1.0.0")],
        ),
        'more than one dependency with name or alias "foo"',
    ),
    (
        "dependencies has nil",
        md(name="test", api_version="v2", version="1.0", dependencies=[None]),
        "dependencies must not contain empty or null nodes",
    ),
    (
        "maintainer not empty",
        md(name="test", api_version="v2", version="1.0", maintainers=[None]),
        "maintainers must not contain empty or null nodes",
    ),
    (
        "version invalid",
        md(api_version="v2", name="test", version="1.2.3.4"),
        'chart.metadata.version "1.2.3.4" is invalid',
    ),
]


@pytest.mark.parametrize(("name", "metadata", "error"), VALIDATE_CASES, ids=[c[0] for c in VALIDATE_CASES])
def test_validate(name: str, metadata: Metadata, error: str | None) -> None:
    if error is None:
        validate_metadata(metadata)
    else:
        with pytest.raises(ValidationError) as info:
            validate_metadata(metadata)
        assert str(info.value) == f"validation: {error}"


def test_validate_sanitize() -> None:
    metadata = md(
        api_version="v2",
        name="test",
        version="1.0",
        description="\adescr\u0081iption\rtest",
        maintainers=[Maintainer(name="\r")],
    )
    validate_metadata(metadata)
    assert metadata.description == "description test"
    assert metadata.maintainers[0] is not None and metadata.maintainers[0].name == " "


CHARTFILE = b"""apiVersion: v1
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
annotations:
  extrakey: extravalue
  anotherkey: anothervalue
"""


def test_load_chartfile() -> None:
    f = decode_metadata(CHARTFILE)
    assert f.api_version == "v1"
    assert f.name == "frobnitz"
    assert f.description == "This is a frobnitz."
    assert f.version == "1.2.3"
    assert len(f.maintainers) == 2
    assert f.maintainers[0] is not None and f.maintainers[0].name == "The Helm Team"
    assert f.maintainers[1] is not None and f.maintainers[1].email == "nobody@example.com"
    assert f.sources == ["https://example.com/foo/bar"]
    assert f.home == "http://example.com"
    assert f.icon == "https://example.com/64x64.png"
    assert f.annotations == {"extrakey": "extravalue", "anotherkey": "anothervalue"}
    assert f.keywords == ["frobnitz", "sprocket", "dodad"]


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("version: 1.10", "1.1"),
        ("version: 1.0", "1"),
        ("version: 2", "2"),
        ("version: 0x10", "16"),
        ("version: true", "true"),
        ("version: ~", ""),
        ("version: 2020-01-01", "2020-01-01"),
        ("version: 1234567.0", "1.234567e+06"),
        ('version: "1.10"', "1.10"),
    ],
)
def test_scalars_become_strings_as_go_yaml_formats_them(text: str, expect: str) -> None:
    assert decode_metadata(text.encode()).version == expect


def test_field_names_match_case_insensitively() -> None:
    f = decode_metadata(b"Name: a\nAPIVERSION: v2\nappversion: '1'\n")
    assert (f.name, f.api_version, f.app_version) == ("a", "v2", "1")


def test_type_mismatch_is_a_json_error() -> None:
    with pytest.raises(ChartFileError) as info:
        decode_metadata(b"name: a\nkeywords: notalist\n")
    assert str(info.value) == (
        "error unmarshaling JSON: while decoding JSON: "
        "json: cannot unmarshal string into Go struct field Metadata.keywords of type []string"
    )
    with pytest.raises(ChartFileError) as info:
        decode_metadata(b"name: a\nmaintainers:\n- name: [x]\n")
    assert str(info.value).endswith(
        "json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string"
    )
    with pytest.raises(ChartFileError) as info:
        decode_metadata(b"- a\n")
    assert str(info.value).endswith("json: cannot unmarshal array into Go value of type chart.Metadata")


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(ChartFileError) as info:
        decode_metadata(b"name: a\n  bad: : indent\n")
    assert str(info.value).startswith("error converting YAML to JSON: yaml: line 2:")


def test_requirements_fill_dependencies_of_existing_metadata() -> None:
    f = decode_metadata(b"apiVersion: v1\nname: a\nversion: 1.0.0\n")
    decode_metadata(b"dependencies:\n- name: b\n  version: ~1\n  import-values: [x]\n  tags: [t]\n", f)
    assert f.name == "a"
    assert f.dependencies == [Dependency(name="b", version="~1", import_values=["x"], tags=["t"])]
