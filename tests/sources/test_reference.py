"""Parsing every `chart_ref` form, and malformed references as InvalidArgument on `chart_ref`.
Reference grammar vectors follow distribution/reference regexp_test.go and helm's
pkg/registry reference_test.go."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otterhelm.errors import InvalidArgument
from otterhelm.sources.reference import LocalRef, OciRef, RepoRef, UrlRef, parse_chart_ref

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oci://ghcr.test/org/nginx:1.2.3", OciRef("ghcr.test", "org/nginx", "1.2.3")),
        ("oci://localhost:5000/nginx", OciRef("localhost:5000", "nginx")),
        ("oci://127.0.0.1:5000/a/b/c:0.1.0", OciRef("127.0.0.1:5000", "a/b/c", "0.1.0")),
        ("oci://[::1]:5000/charts/x:1.0.0", OciRef("[::1]:5000", "charts/x", "1.0.0")),
        (f"oci://reg.test/charts/x@{DIGEST}", OciRef("reg.test", "charts/x", None, DIGEST)),
        (f"oci://reg.test/charts/x:1.0.0@{DIGEST}", OciRef("reg.test", "charts/x", "1.0.0", DIGEST)),
        ("oci://reg.test/charts/x:1.0.0+build.1", OciRef("reg.test", "charts/x", "1.0.0+build.1")),
        ("oci://Reg.Test/a-b_c.d/e__f:v1", OciRef("reg.test", "a-b_c.d/e__f", "v1")),
        ("https://charts.test/x/nginx-1.2.3.tgz", UrlRef("https://charts.test/x/nginx-1.2.3.tgz")),
        (
            "http://127.0.0.1:8080/nginx-1.2.3.tgz?token=a",
            UrlRef("http://127.0.0.1:8080/nginx-1.2.3.tgz?token=a"),
        ),
        ("bitnami/nginx", RepoRef("bitnami", "nginx")),
        ("bitnami/nginx@1.2.x", RepoRef("bitnami", "nginx", "1.2.x")),
        ("my.repo/my-chart@>=1.0 <2", RepoRef("my.repo", "my-chart", ">=1.0 <2")),
        ("/srv/charts/nginx-1.2.3.tgz", LocalRef(PurePosixPath("/srv/charts/nginx-1.2.3.tgz"))),
        ("file:///srv/charts/my%20chart", LocalRef(PurePosixPath("/srv/charts/my chart"))),
    ],
)
def test_parses(text: str, expected: object) -> None:
    assert parse_chart_ref(text) == expected


def test_oci_helpers() -> None:
    ref = parse_chart_ref(f"oci://reg.test/charts/x:1.0.0+b@{DIGEST}")
    assert isinstance(ref, OciRef)
    assert ref.chart_name == "x"
    assert ref.wire_tag == "1.0.0_b"
    assert str(ref) == f"oci://reg.test/charts/x:1.0.0+b@{DIGEST}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "nginx",
        "a/b/c",
        "repo/chart@",
        "oci://",
        "oci://reg.test",
        "oci://reg.test/",
        "oci://reg.test/Upper/case:1.0.0",
        "oci://reg.test/charts/x:",
        "oci://reg.test/charts/x:-bad",
        "oci://reg.test/charts/x@sha256:1234",
        "oci://reg.test/charts/x@md5:" + "a" * 32,
        "oci://-bad-.test/x:1",
        "oci://reg.test/a//b:1",
        "https://",
        "https:///x.tgz",
        "https://charts.test/",
        "https://user:pass@charts.test/x.tgz",
        "https://charts.test:99999/x.tgz",
        "ftp://charts.test/x.tgz",
        "s3://bucket/x.tgz",
        "./relative/chart",
        "../up/chart",
        "repo/chart\n",
        "repo/ch art",
    ],
)
def test_malformed_is_invalid_argument_on_chart_ref(text: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_chart_ref(text)
    assert info.value.field == "chart_ref"


@given(st.text(max_size=80))
def test_any_text_parses_or_is_invalid_argument(text: str) -> None:
    try:
        ref = parse_chart_ref(text)
    except InvalidArgument as err:
        assert err.field == "chart_ref"
        return
    assert isinstance(ref, OciRef | UrlRef | RepoRef | LocalRef)


@given(
    st.from_regex(r"[a-z0-9]{1,8}(\.[a-z0-9]{1,8}){0,2}(:[0-9]{2,5})?", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,6}([._-][a-z0-9]{1,6}){0,2}(/[a-z0-9]{1,6}){0,2}", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(-[a-z0-9]{1,5})?", fullmatch=True),
)
def test_oci_round_trip(host: str, repository: str, tag: str) -> None:
    text = f"oci://{host}/{repository}:{tag}"
    ref = parse_chart_ref(text)
    assert ref == OciRef(host, repository, tag)
    assert str(ref) == text
