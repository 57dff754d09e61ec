"""The catalog behind ListCharts/GetChart/GetChartMetadata/UploadChart, against a real HTTP
chart repository and a real registry as the upload target."""

from __future__ import annotations

import asyncio
import datetime
import secrets
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from otterhelm.chart import loader
from otterhelm.errors import FailedPrecondition, InvalidArgument, NotFound
from otterhelm.sources import ChartRepository, ChartSources, SourcesConfig
from otterhelm.sources.archive import load_archive
from otterhelm.sources.catalog import Catalog, Dependency, Maintainer, Version
from otterhelm.sources.index import dump_index, index_directory
from otterhelm.sources.reference import OciRef

RICH_CHART_YAML = (
    "icon: https://example.test/icon.png\nhome: https://example.test\nkeywords: [web, proxy]\n"
    "sources: [https://example.test/src]\nmaintainers:\n- name: Otter\n  email: otter@example.test\n"
    "  url: https://otter.test\ndependencies:\n- name: redis\n  version: 1.x\n  repository: https://r.test\n"
    "  condition: redis.enabled\nannotations:\n  artifacthub.io/license: Apache-2.0\n"
)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def with_catalog(config: SourcesConfig, action: Callable[[Catalog], Any]) -> Any:
    async with ChartSources(config) as sources:
        return await action(Catalog(sources))


@pytest.fixture
def repo(http_server: Callable[..., Any], make_chart: Callable[..., bytes]) -> Any:
    server = http_server()
    web = {
        v: make_chart("web", v, app_version=f"app-{v}", chart_yaml_extra=RICH_CHART_YAML)
        for v in ("1.0.0", "1.1.0", "2.0.0-rc.1")
    }
    for version, data in web.items():
        (server.root / f"web-{version}.tgz").write_bytes(data)
    (server.root / "db-0.1.0.tgz").write_bytes(make_chart("db", "0.1.0", description="A database"))
    doc = index_directory(
        server.root, "", loader.load, now=lambda: datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    (server.root / "index.yaml").write_text(dump_index(doc))
    return server


def test_list_and_get_from_a_repository(repo: Any, loopback_config: Callable[..., SourcesConfig]) -> None:
    config = loopback_config(repositories=(ChartRepository("main", repo.url),))
    charts = run(with_catalog(config, lambda c: c.list_charts()))
    assert [c.name for c in charts] == ["db", "web"]
    web = charts[1]
    assert web.versions == (Version("1.1.0", "main/web@1.1.0", "app-1.1.0"),)
    assert web.maintainers == (Maintainer("Otter", "otter@example.test", "https://otter.test"),)
    assert web.dependencies == (Dependency("redis", "1.x", "redis.enabled"),)
    assert (web.icon, web.home, web.keywords, web.sources, web.license) == (
        "https://example.test/icon.png",
        "https://example.test",
        ("web", "proxy"),
        ("https://example.test/src",),
        "Apache-2.0",
    )
    full = run(with_catalog(config, lambda c: c.get_chart("web")))
    assert [v.chart_version for v in full.versions] == ["2.0.0-rc.1", "1.1.0", "1.0.0"]
    assert run(with_catalog(config, lambda c: c.get_chart("main/db"))).description == "A database"
    with pytest.raises(NotFound):
        run(with_catalog(config, lambda c: c.get_chart("nope")))
    with pytest.raises(NotFound):
        run(with_catalog(config, lambda c: c.get_chart("other/web")))

    # versions[0].chart_ref is installable as is
    async def resolve_first(catalog: Catalog) -> Any:
        listed = await catalog.list_charts()
        return await catalog._sources.resolve(listed[1].versions[0].chart_ref)

    assert run(with_catalog(config, resolve_first)).version == "1.1.0"


def test_chart_documents(repo: Any, loopback_config: Callable[..., SourcesConfig]) -> None:
    config = loopback_config(repositories=(ChartRepository("main", repo.url),))
    docs = run(with_catalog(config, lambda c: c.documents("main/web@1.0.0")))
    assert yaml.safe_load(docs.values_yaml) == {"replicas": 1, "message": "hello"}
    assert docs.readme_md.startswith("# web")
    with pytest.raises(InvalidArgument):
        run(with_catalog(config, lambda c: c.documents("not a ref")))


def test_upload_then_list(registry: Any, make_chart: Callable[..., bytes]) -> None:
    namespace = "uploads" + secrets.token_hex(3)
    config = registry.config(upload_registry=f"oci://{registry.host}/{namespace}")
    for version in ("0.1.0", "0.2.0"):
        pushed = run(
            with_catalog(config, lambda c, v=version: c.upload(make_chart("uploaded", v, app_version="9")))
        )
        assert str(pushed.ref) == f"oci://{registry.host}/{namespace}/uploaded:{version}"
    charts = run(with_catalog(config, lambda c: c.list_charts()))
    assert [c.name for c in charts] == ["uploaded"]
    assert charts[0].versions == (Version("0.2.0", f"oci://{registry.host}/{namespace}/uploaded:0.2.0", "9"),)
    assert charts[0].description == "A demo chart"
    full = run(with_catalog(config, lambda c: c.get_chart("uploaded")))
    assert [v.chart_version for v in full.versions] == ["0.2.0", "0.1.0"]
    docs = run(with_catalog(config, lambda c: c.documents(full.versions[1].chart_ref)))
    assert "replicas: 1" in docs.values_yaml


def test_upload_validates_and_needs_a_registry(registry: Any, make_chart: Callable[..., bytes]) -> None:
    config = registry.config(upload_registry=f"oci://{registry.host}/rejects")
    with pytest.raises(InvalidArgument):
        run(with_catalog(config, lambda c: c.upload(b"\x1f\x8b\x08 not really gzip")))
    with pytest.raises(InvalidArgument):
        run(with_catalog(config, lambda c: c.upload(b"plain text")))
    with pytest.raises(FailedPrecondition):
        run(with_catalog(registry.config(), lambda c: c.upload(make_chart("x", "1.0.0"))))


def test_more_oci_namespaces_are_listed(
    registry: Any, repo: Any, make_chart: Callable[..., bytes], loopback_config: Callable[..., SourcesConfig]
) -> None:
    first, second = "cat" + secrets.token_hex(3), "cat" + secrets.token_hex(3)
    for namespace, name in ((first, "alpha"), (second, "beta")):

        async def push(catalog: Catalog, ns: str = namespace, chart: str = name) -> Any:
            async with catalog._sources.oci(registry.host) as client:
                archive = make_chart(chart, "1.0.0")
                return await client.push(
                    archive, load_archive(archive, "t").metadata, OciRef(registry.host, ns)
                )

        run(with_catalog(registry.config(), push))
    config = loopback_config(
        repositories=(ChartRepository("main", repo.url),),
        registries=registry.config().registries,
        upload_registry=f"oci://{registry.host}/{first}",
        oci_catalogs=(f"oci://{registry.host}/{second}", f"oci://{registry.host}/{first}"),
    )
    charts = run(with_catalog(config, lambda c: c.list_charts()))
    assert [c.name for c in charts] == ["alpha", "beta", "db", "web"]
    assert charts[1].versions[0].chart_ref == f"oci://{registry.host}/{second}/beta:1.0.0"
