"""`.Capabilities` for `helm template` (pkg/chart/common/capabilities.go and its tests)."""

from __future__ import annotations

import pytest

from otterhelm.render.capabilities import (
    DEFAULT_API_VERSIONS,
    KubeVersionError,
    parse_kube_version,
    template_capabilities,
)


@pytest.mark.parametrize(
    ("text", "version", "string", "major", "minor"),
    [
        ("1.34.0", "v1.34.0", "v1.34.0", "1", "34"),
        ("v1.20.0", "v1.20.0", "v1.20.0", "1", "20"),
        ("1.30.2-gke.1587003", "v1.30.2-gke.1587003", "v1.30.2", "1", "30"),
        ("v1.28+", "v1.28+", "v1.28", "1", "28"),
        ("v1.33.4-gke.1245000", "v1.33.4-gke.1245000", "v1.33.4", "1", "33"),
        # capabilities_test.go TestParseKubeVersion
        ("1.28+", "v1.28+", "v1.28", "1", "28"),
        ("v1.31.0", "v1.31.0", "v1.31.0", "1", "31"),
        ("1.29.0", "v1.29.0", "v1.29.0", "1", "29"),
    ],
)
def test_parse_kube_version(text: str, version: str, string: str, major: str, minor: str) -> None:
    kv = parse_kube_version(text)
    assert (kv.version, kv.go_string(), kv.major, kv.minor) == (version, string, major, minor)
    assert kv.go_methods["GitVersion"].fn(kv) == version
    assert kv.go_methods["String"].fn(kv) == string


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", 'could not parse "abc" as version'),
        ("1", 'illegal version string "1"'),
        ("01.2", 'illegal zero-prefixed version component "01" in "01.2"'),
    ],
)
def test_parse_kube_version_errors(text: str, message: str) -> None:
    with pytest.raises(KubeVersionError, match=message):
        parse_kube_version(text)


def test_template_defaults() -> None:
    caps = template_capabilities()
    assert caps.kube_version.version == "v1.37.0"
    assert caps.kube_version.major == "1" and caps.kube_version.minor == "37"
    assert list(caps.api_versions) == list(DEFAULT_API_VERSIONS)
    assert caps.api_versions.go_methods["Has"].fn(caps.api_versions, "apps/v1")
    assert not caps.api_versions.go_methods["Has"].fn(caps.api_versions, "apps/v2")
    assert caps.helm_version.version == "v4.3.1"


def test_template_overrides() -> None:
    caps = template_capabilities("1.34.0", ["monitoring.coreos.com/v1", "x/v1/Kind"])
    assert caps.kube_version.go_string() == "v1.34.0"
    assert list(caps.api_versions)[-2:] == ["monitoring.coreos.com/v1", "x/v1/Kind"]
    assert "apiextensions.k8s.io/v1" in caps.api_versions
