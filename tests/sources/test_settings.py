"""The `sources` configuration section."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from otterhelm.errors import InvalidArgument
from otterhelm.sources.config import Credentials, SourcesConfig
from otterhelm.sources.settings import parse_sources_config


def test_full_section(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("from-file\n")
    config = parse_sources_config(
        {
            "repositories": [
                {
                    "name": "main",
                    "url": "https://charts.test/",
                    "username": "u",
                    "password": "p",
                    "caFile": "ca.pem",
                }
            ],
            "registries": [
                {"host": "Reg.Test:5000", "username": "r", "passwordFile": "pw", "plainHttp": True}
            ],
            "localRoots": ["charts", "/srv/charts"],
            "allowNetworks": ["10.0.0.0/8", "::1"],
            "allowPrivate": False,
            "limits": {"maxArchiveBytes": 1000, "timeoutSeconds": 5},
            "cacheDir": "cache",
            "cacheMaxBytes": 2000,
            "indexTtlSeconds": 30,
            "uploadRegistry": "oci://reg.test:5000/uploads",
            "ociCatalogs": ["oci://reg.test:5000/more"],
        },
        base=tmp_path,
    )
    repo = config.repository("main")
    assert repo is not None and repo.credentials == Credentials("u", "p")
    assert repo.tls.ca_file == tmp_path / "ca.pem"
    registry = config.registry("reg.test:5000")
    assert registry.credentials == Credentials("r", "from-file") and registry.tls.plain_http
    assert config.local_roots == (tmp_path / "charts", Path("/srv/charts"))
    assert config.policy.allowed_networks == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    )
    assert not config.policy.allow_private
    assert (config.limits.max_archive_bytes, config.limits.timeout_seconds) == (1000, 5.0)
    assert (config.cache_dir, config.cache_max_bytes, config.index_ttl_seconds) == (
        tmp_path / "cache",
        2000,
        30.0,
    )
    assert config.upload_registry == "oci://reg.test:5000/uploads"
    assert config.oci_catalogs == ("oci://reg.test:5000/more",)


def test_empty_section_is_the_default(tmp_path: Path) -> None:
    assert parse_sources_config(None, base=tmp_path) == SourcesConfig()


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"repositories": [{"name": "x"}]}, "sources.repositories[0].url"),
        ({"repositories": [{"name": "x", "url": "ftp://a"}]}, "sources.repositories[0].url"),
        (
            {"repositories": [{"name": "x", "url": "https://a"}, {"name": "x", "url": "https://b"}]},
            "sources.repositories",
        ),
        ({"registries": [{"host": "h", "username": "u"}]}, "sources.registries[0]"),
        (
            {"registries": [{"host": "h", "username": "u", "passwordFile": "missing"}]},
            "sources.registries[0].passwordFile",
        ),
        ({"allowNetworks": ["not-a-network"]}, "sources.allowNetworks"),
        ({"limits": {"timeoutSeconds": -1}}, "sources.limits.timeoutSeconds"),
        ({"uploadRegistry": "https://x.test/charts.tgz"}, "sources.uploadRegistry"),
        ({"repositories": "main"}, "sources.repositories"),
        ({"ociCatalogs": ["repo/chart"]}, "sources.ociCatalogs[0]"),
    ],
)
def test_errors_name_the_field(doc: dict[str, object], field: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_sources_config(doc, base=tmp_path)
    assert info.value.field == field
