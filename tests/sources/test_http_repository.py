"""HTTP chart repositories and archive URLs against a real HTTP server on loopback: index
parsing and version choice as Helm does it, relative and absolute urls, digests, credentials,
the index cache's lifetime, limits and malicious archives."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import io
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from otterhelm.errors import (
    DeadlineExceeded,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)
from otterhelm.sources import (
    ChartRepository,
    ChartSources,
    Credentials,
    DigestMismatch,
    Limits,
    SourcesConfig,
)
from otterhelm.sources.repo import IndexCache


def resolve(config: SourcesConfig, ref: str, version: str | None = None) -> Any:
    async def go() -> Any:
        async with ChartSources(config) as sources:
            return await sources.resolve(ref, version)

    return asyncio.run(go())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(name: str, version: str, url: str, digest: str | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"apiVersion": "v2", "name": name, "version": version, "urls": [url], **extra}
    if digest is not None:
        item["digest"] = digest
    return item


def write_index(root: Path, entries: dict[str, list[dict[str, Any]]]) -> None:
    doc = {"apiVersion": "v1", "entries": entries, "generated": "2026-01-01T00:00:00Z"}
    (root / "index.yaml").write_text(yaml.safe_dump(doc))


@pytest.fixture
def repo_server(http_server: Callable[..., Any], make_chart: Callable[..., bytes]) -> Any:
    """A repository with `demo` 1.0.0, 1.1.0, 1.2.0-beta.1 (relative urls, digests) and 2.0.0
    under a subdirectory with an absolute url."""
    server = http_server()
    archives = {v: make_chart("demo", v) for v in ("1.0.0", "1.1.0", "1.2.0-beta.1", "2.0.0")}
    (server.root / "sub").mkdir()
    for version, data in archives.items():
        target = server.root / ("sub" if version == "2.0.0" else ".") / f"demo-{version}.tgz"
        target.write_bytes(data)
    write_index(
        server.root,
        {
            "demo": [
                entry("demo", "1.0.0", "demo-1.0.0.tgz", sha(archives["1.0.0"])),
                entry("demo", "1.2.0-beta.1", "demo-1.2.0-beta.1.tgz", sha(archives["1.2.0-beta.1"])),
                entry(
                    "demo", "2.0.0", f"{server.url}/sub/demo-2.0.0.tgz", "sha256:" + sha(archives["2.0.0"])
                ),
                entry("demo", "1.1.0", "./demo-1.1.0.tgz"),
                {"name": "demo", "version": "not-semver", "urls": ["x.tgz"]},
            ]
        },
    )
    server.archives = archives
    return server


def repo_config(loopback_config: Callable[..., SourcesConfig], server: Any, **kwargs: Any) -> SourcesConfig:
    repository = ChartRepository(name="stable", url=server.url + "/", **kwargs)
    return loopback_config(repositories=(repository,))


def test_repo_references_choose_versions_as_helm(
    repo_server: Any, loopback_config: Callable[..., SourcesConfig]
) -> None:
    config = repo_config(loopback_config, repo_server)
    latest = resolve(config, "stable/demo")
    assert (latest.version, latest.ref) == ("2.0.0", "stable/demo@2.0.0")
    assert latest.archive == repo_server.archives["2.0.0"]
    assert resolve(config, "stable/demo@1.x").version == "1.1.0"
    assert resolve(config, "stable/demo", "~1.0").version == "1.0.0"
    assert resolve(config, "stable/demo@1.2.0-beta.1").version == "1.2.0-beta.1"
    assert resolve(config, "stable/demo", ">=1.2.0-0 <2.0.0-0").version == "1.2.0-beta.1"
    with pytest.raises(NotFound, match=r"no chart version found for demo-3\.x"):
        resolve(config, "stable/demo@3.x")
    with pytest.raises(NotFound):
        resolve(config, "stable/missing")
    with pytest.raises(NotFound, match="not configured"):
        resolve(config, "other/demo")
    with pytest.raises(InvalidArgument, match="mismatch"):
        resolve(config, "stable/demo@1.0.0", "1.1.0")


def test_digest_mismatch_is_refused(repo_server: Any, loopback_config: Callable[..., SourcesConfig]) -> None:
    (repo_server.root / "demo-1.0.0.tgz").write_bytes(repo_server.archives["1.1.0"])
    with pytest.raises(DigestMismatch, match="digest mismatch"):
        resolve(repo_config(loopback_config, repo_server), "stable/demo@1.0.0")


def test_index_cache_lifetime(
    repo_server: Any, loopback_config: Callable[..., SourcesConfig], make_chart: Callable[..., bytes]
) -> None:
    config = repo_config(loopback_config, repo_server)
    now = [0.0]

    async def scenario() -> None:
        # One ChartSources for the whole run, as the service keeps one.
        async with ChartSources(
            config, index_cache=IndexCache(ttl_seconds=60, clock=lambda: now[0])
        ) as sources:
            assert (await sources.resolve("stable/demo")).version == "2.0.0"
            (repo_server.root / "demo-3.0.0.tgz").write_bytes(make_chart("demo", "3.0.0"))
            write_index(repo_server.root, {"demo": [entry("demo", "3.0.0", "demo-3.0.0.tgz")]})
            now[0] = 59.0
            assert (await sources.resolve("stable/demo")).version == "2.0.0"
            assert repo_server.requests.count("/index.yaml") == 1
            now[0] = 61.0
            assert (await sources.resolve("stable/demo")).version == "3.0.0"
            assert repo_server.requests.count("/index.yaml") == 2

    asyncio.run(scenario())


def test_archive_cache_serves_known_digests(
    repo_server: Any, loopback_config: Callable[..., SourcesConfig], tmp_path: Path
) -> None:
    base = repo_config(loopback_config, repo_server)
    config = loopback_config(repositories=base.repositories, cache_dir=tmp_path / "cache")
    first = resolve(config, "stable/demo@1.0.0")
    assert (tmp_path / "cache" / f"sha256-{sha(first.archive)}.tgz").exists()
    (repo_server.root / "demo-1.0.0.tgz").unlink()
    assert resolve(config, "stable/demo@1.0.0").archive == first.archive


def test_repository_credentials(
    http_server: Callable[..., Any],
    make_chart: Callable[..., bytes],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    server = http_server(credentials=("reader", "pw"))
    (server.root / "demo-1.0.0.tgz").write_bytes(make_chart("demo", "1.0.0"))
    write_index(server.root, {"demo": [entry("demo", "1.0.0", "demo-1.0.0.tgz")]})
    good = repo_config(loopback_config, server, credentials=Credentials("reader", "pw"))
    assert resolve(good, "stable/demo").version == "1.0.0"
    with pytest.raises(Unauthenticated):
        resolve(repo_config(loopback_config, server), "stable/demo")
    with pytest.raises(Unauthenticated):
        resolve(repo_config(loopback_config, server, credentials=Credentials("reader", "bad")), "stable/demo")


def test_repository_without_index_is_unavailable(
    http_server: Callable[..., Any], loopback_config: Callable[..., SourcesConfig]
) -> None:
    server = http_server()
    with pytest.raises(Unavailable, match=r"no index\.yaml"):
        resolve(repo_config(loopback_config, server), "stable/demo")
    (server.root / "index.yaml").write_text("entries: {}\n")
    with pytest.raises(Unavailable, match="no API version"):
        resolve(repo_config(loopback_config, server), "stable/demo")


def test_direct_archive_url(
    http_server: Callable[..., Any],
    make_chart: Callable[..., bytes],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    server = http_server()
    archive = make_chart("direct", "0.4.0")
    (server.root / "direct-0.4.0.tgz").write_bytes(archive)
    resolved = resolve(loopback_config(), f"{server.url}/direct-0.4.0.tgz")
    assert (resolved.ref, resolved.archive, resolved.version) == (
        f"{server.url}/direct-0.4.0.tgz",
        archive,
        "0.4.0",
    )
    with pytest.raises(NotFound):
        resolve(loopback_config(), f"{server.url}/absent-1.0.0.tgz")
    with pytest.raises(InvalidArgument, match="version"):
        resolve(loopback_config(), f"{server.url}/direct-0.4.0.tgz", "1.0.0")


def test_download_limits(
    http_server: Callable[..., Any],
    make_chart: Callable[..., bytes],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    server = http_server()
    archive = make_chart("big", "1.0.0", extra={"files/noise.bin": bytes(range(256)) * 2048})
    (server.root / "big-1.0.0.tgz").write_bytes(archive)
    small = loopback_config(limits=Limits(max_archive_bytes=len(archive) - 1, timeout_seconds=10))
    with pytest.raises(ResourceExhausted, match="limit"):
        resolve(small, f"{server.url}/big-1.0.0.tgz")
    slow = http_server(delay_seconds=2.0)
    (slow.root / "big-1.0.0.tgz").write_bytes(archive)
    hasty = loopback_config(limits=Limits(timeout_seconds=0.5))
    with pytest.raises(DeadlineExceeded):
        resolve(hasty, f"{slow.url}/big-1.0.0.tgz")


def test_unreachable_server_is_unavailable(loopback_config: Callable[..., SourcesConfig]) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Unavailable):
        resolve(loopback_config(), f"http://127.0.0.1:{port}/x-1.0.0.tgz")


def _tar(members: list[tuple[str, bytes]]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


CHART_YAML = b"apiVersion: v2\nname: evil\nversion: 1.0.0\n"


@pytest.mark.parametrize(
    ("members", "error"),
    [
        ([("evil/Chart.yaml", CHART_YAML), ("../../etc/evil", b"x")], InvalidArgument),
        ([("evil/Chart.yaml", CHART_YAML), ("evil/files/zeros", bytes(6 * 1024 * 1024))], ResourceExhausted),
        ([("evil/values.yaml", b"a: 1\n")], InvalidArgument),
    ],
    ids=["path-traversal", "gzip-bomb", "no-chart-yaml"],
)
def test_malicious_archives_are_rejected_by_the_loader(
    members: list[tuple[str, bytes]],
    error: type[Exception],
    http_server: Callable[..., Any],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    server = http_server()
    data = _tar(members)
    (server.root / "evil-1.0.0.tgz").write_bytes(data)
    with pytest.raises(error):
        resolve(loopback_config(), f"{server.url}/evil-1.0.0.tgz")


def test_not_gzip_is_invalid(
    http_server: Callable[..., Any], loopback_config: Callable[..., SourcesConfig]
) -> None:
    server = http_server()
    (server.root / "page.tgz").write_text("<html>not a chart</html>")
    with pytest.raises(InvalidArgument, match="not gzip"):
        resolve(loopback_config(), f"{server.url}/page.tgz")


def test_whole_stream_gzip_bomb_is_stopped(
    http_server: Callable[..., Any], loopback_config: Callable[..., SourcesConfig]
) -> None:
    # Many small members adding up past Helm's 100 MiB decompressed chart limit.
    zeros = bytes(4 * 1024 * 1024)
    members = [("evil/Chart.yaml", CHART_YAML)] + [(f"evil/files/z{i}", zeros) for i in range(27)]
    server = http_server()
    (server.root / "evil-1.0.0.tgz").write_bytes(_tar(members))
    assert (server.root / "evil-1.0.0.tgz").stat().st_size < 1024 * 1024
    with pytest.raises(ResourceExhausted):
        resolve(loopback_config(), f"{server.url}/evil-1.0.0.tgz")


def test_url_on_a_configured_repository_uses_its_credentials(
    http_server: Callable[..., Any],
    make_chart: Callable[..., bytes],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    server = http_server(credentials=("reader", "pw"))
    archive = make_chart("guarded", "1.0.0")
    (server.root / "guarded-1.0.0.tgz").write_bytes(archive)
    url = f"{server.url}/guarded-1.0.0.tgz"
    with pytest.raises(Unauthenticated):
        resolve(loopback_config(), url)
    configured = repo_config(loopback_config, server, credentials=Credentials("reader", "pw"))
    assert resolve(configured, url).archive == archive


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, PermissionDenied), (401, Unauthenticated), (410, NotFound), (500, Unavailable)],
)
def test_http_statuses(
    status: int,
    error: type[Exception],
    http_server: Callable[..., Any],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    server = http_server(statuses={"/x-1.0.0.tgz": status})
    with pytest.raises(error):
        resolve(loopback_config(), f"{server.url}/x-1.0.0.tgz")
