"""`otterhelm pull`, `otterhelm push` and `otterhelm repo index` as a user runs them, and
interop with the real helm v4.3.1 both ways: helm pushes what otterhelm pulls, otterhelm
pushes what helm pulls, and `repo index` writes what `helm repo index` writes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from otterhelm.codec.json import to_struct_json
from otterhelm.sources import AddressPolicy, ChartRepository, ChartSources, SourcesConfig
from otterhelm.sources.archive import load_archive
from otterhelm.sources.oci import CHART_LAYER_MEDIA_TYPE, CONFIG_MEDIA_TYPE, helm_config


def otterhelm(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otterhelm", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def helm(helm_binary: Path, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    home = tmp_path / "helm-home"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(helm_binary), *args], capture_output=True, text=True, env=env, timeout=120, check=False
        )
        assert result.returncode == 0, f"helm {' '.join(args)} failed: {result.stderr}"
        return result

    return run


def manifest(host: str, repository: str, tag: str) -> tuple[str, dict[str, Any]]:
    got = httpx.get(
        f"http://{host}/v2/{repository}/manifests/{tag}",
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
    )
    got.raise_for_status()
    return got.headers["docker-content-digest"], got.json()


def test_pull_and_push_commands(registry: Any, tmp_path: Path, make_chart: Callable[..., bytes]) -> None:
    archive_path = tmp_path / "clichart-0.2.0.tgz"
    archive_path.write_bytes(make_chart("clichart", "0.2.0"))
    pushed = otterhelm("push", str(archive_path), f"oci://{registry.host}/cli", "--plain-http")
    assert pushed.returncode == 0, pushed.stderr
    lines = pushed.stdout.splitlines()
    assert lines[0] == f"Pushed: {registry.host}/cli/clichart:0.2.0"
    digest, _ = manifest(registry.host, "cli/clichart", "0.2.0")
    assert lines[1] == f"Digest: {digest}"
    out = tmp_path / "out"
    pulled = otterhelm(
        "pull", f"oci://{registry.host}/cli/clichart", "--version", "^0.2", "--plain-http", "-d", str(out)
    )
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout.splitlines()[0] == f"Pulled: oci://{registry.host}/cli/clichart:0.2.0@{digest}"
    assert (out / "clichart-0.2.0.tgz").read_bytes() == archive_path.read_bytes()
    missing = otterhelm("pull", f"oci://{registry.host}/cli/clichart:9.9.9", "--plain-http", "-d", str(out))
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: ") and "not found" in missing.stderr
    bad = otterhelm("push", str(archive_path), "https://not-oci.test/x")
    assert bad.returncode == 1 and "oci://" in bad.stderr


def test_repo_index_and_pull_from_repo(
    http_server: Callable[..., Any], make_chart: Callable[..., bytes], tmp_path: Path
) -> None:
    server = http_server()
    for version in ("1.0.0", "1.1.0"):
        (server.root / f"web-{version}.tgz").write_bytes(make_chart("web", version))
    indexed = otterhelm("repo", "index", str(server.root), "--url", server.url)
    assert indexed.returncode == 0, indexed.stderr
    index = yaml.safe_load((server.root / "index.yaml").read_text())
    assert [e["version"] for e in index["entries"]["web"]] == ["1.1.0", "1.0.0"]
    out = tmp_path / "out"
    pulled = otterhelm("pull", "charts/web@~1.0", "--repo", f"charts={server.url}", "-d", str(out))
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout.splitlines()[0] == "Pulled: charts/web@1.0.0"
    assert (out / "web-1.0.0.tgz").read_bytes() == (server.root / "web-1.0.0.tgz").read_bytes()


def test_helm_pushes_otterhelm_pulls(
    registry: Any, helm: Callable[..., Any], tmp_path: Path, make_chart: Callable[..., bytes]
) -> None:
    archive = make_chart(
        "helmmade",
        "1.4.0+meta.1",
        chart_yaml_extra=(
            "home: https://example.test/home\nsources: [https://example.test/src]\n"
            "maintainers:\n- name: Otter\n  email: otter@example.test\n- name: Helm\n"
            "annotations:\n  team: charts\n  org.opencontainers.image.title: ignored\n"
            "keywords: [a, b]\nkubeVersion: '>=1.20.0-0'\nicon: https://example.test/i.png?a=1&b=<2>\n"
            "dependencies:\n- name: sub\n  version: ^1.0.0\n  repository: https://r.test\n  alias: other\n"
            "  condition: sub.enabled\n  tags: [t1]\n  import-values:\n  - parent: imported\n    child: data\n"
            "  - simple\n"
        ),
    )
    path = tmp_path / "helmmade-1.4.0+meta.1.tgz"
    path.write_bytes(archive)
    helm("push", str(path), f"oci://{registry.host}/fromhelm", "--plain-http")
    config = registry.config()

    async def pull() -> Any:
        async with ChartSources(config) as sources:
            return await sources.resolve(f"oci://{registry.host}/fromhelm/helmmade", ">=1.4.0")

    resolved = asyncio.run(pull())
    assert resolved.archive == archive
    assert resolved.version == "1.4.0+meta.1"
    # What helm wrote is what otterhelm writes for the same chart: config bytes, media types,
    # annotations (except the creation time).
    digest, helm_manifest = manifest(registry.host, "fromhelm/helmmade", "1.4.0_meta.1")
    assert resolved.ref == f"oci://{registry.host}/fromhelm/helmmade:1.4.0+meta.1@{digest}"
    assert helm_manifest["config"]["mediaType"] == CONFIG_MEDIA_TYPE
    assert [layer["mediaType"] for layer in helm_manifest["layers"]] == [CHART_LAYER_MEDIA_TYPE]
    helm_config_blob = httpx.get(
        f"http://{registry.host}/v2/fromhelm/helmmade/blobs/{helm_manifest['config']['digest']}"
    ).content
    chart = load_archive(archive, "test")
    assert to_struct_json(helm_config(chart.metadata)).encode() == helm_config_blob

    async def push_same() -> Any:
        async with ChartSources(config) as sources, sources.oci(registry.host) as client:
            target = sources_target(registry.host, "fromotter")
            return await client.push(
                archive,
                chart.metadata,
                target,
                created=helm_manifest["annotations"]["org.opencontainers.image.created"],
            )

    ours = asyncio.run(push_same())
    our_digest, our_manifest = manifest(registry.host, "fromotter/helmmade", "1.4.0_meta.1")
    assert our_manifest == helm_manifest
    assert our_digest == digest == ours.manifest_digest


def sources_target(host: str, namespace: str) -> Any:
    from otterhelm.sources.reference import OciRef

    return OciRef(host, namespace)


def test_otterhelm_pushes_helm_pulls(
    auth_registry: Any, helm: Callable[..., Any], tmp_path: Path, make_chart: Callable[..., bytes]
) -> None:
    archive = make_chart("ottermade", "0.9.1")
    path = tmp_path / "ottermade-0.9.1.tgz"
    path.write_bytes(archive)
    pushed = otterhelm(
        "push",
        str(path),
        f"oci://{auth_registry.host}/fromotter",
        "--username",
        auth_registry.username,
        "--password-stdin",
        "--ca-file",
        str(auth_registry.ca_file),
        stdin=auth_registry.password + "\n",
    )
    assert pushed.returncode == 0, pushed.stderr
    out = tmp_path / "helm-out"
    out.mkdir()
    helm(
        "pull",
        f"oci://{auth_registry.host}/fromotter/ottermade",
        "--version",
        "0.9.1",
        "--username",
        auth_registry.username,
        "--password",
        auth_registry.password,
        "--ca-file",
        str(auth_registry.ca_file),
        "-d",
        str(out),
    )
    assert (out / "ottermade-0.9.1.tgz").read_bytes() == archive
    shown = helm("show", "chart", str(out / "ottermade-0.9.1.tgz"))
    assert "name: ottermade" in shown.stdout


def test_repo_index_matches_helm(
    helm: Callable[..., Any],
    http_server: Callable[..., Any],
    tmp_path: Path,
    make_chart: Callable[..., bytes],
) -> None:
    ours_dir, helms_dir = tmp_path / "ours", tmp_path / "helms"
    for directory in (ours_dir, helms_dir):
        (directory / "nested").mkdir(parents=True)
        (directory / "alpha-1.0.0.tgz").write_bytes(make_chart("alpha", "1.0.0"))
        (directory / "alpha-1.2.0.tgz").write_bytes(
            make_chart("alpha", "1.2.0", chart_yaml_extra="deprecated: true\n")
        )
        (directory / "nested" / "beta-0.1.0.tgz").write_bytes(
            make_chart("beta", "0.1.0", app_version="1.10", chart_yaml_extra="keywords: [x, 'on']\n")
        )
    assert otterhelm("repo", "index", str(ours_dir), "--url", "https://charts.test/r").returncode == 0
    helm("repo", "index", str(helms_dir), "--url", "https://charts.test/r")

    def normalize(text: str) -> list[str]:
        # created/generated are times of the run
        return [
            line for line in text.splitlines() if not line.lstrip().startswith(("created:", "generated:"))
        ]

    ours_text = (ours_dir / "index.yaml").read_text()
    helms_text = (helms_dir / "index.yaml").read_text()
    assert normalize(ours_text) == normalize(helms_text)
    assert "  beta:" in ours_text and 'appVersion: "1.10"' in ours_text
    # --merge keeps what an existing index lists that the directory no longer has
    old_dir = tmp_path / "old"
    old_dir.mkdir()
    (old_dir / "gamma-0.3.0.tgz").write_bytes(make_chart("gamma", "0.3.0"))
    (old_dir / "alpha-0.5.0.tgz").write_bytes(make_chart("alpha", "0.5.0"))
    helm("repo", "index", str(old_dir), "--url", "https://old.test/")
    old_index = old_dir / "index.yaml"
    assert (
        otterhelm(
            "repo", "index", str(ours_dir), "--url", "https://charts.test/r", "--merge", str(old_index)
        ).returncode
        == 0
    )
    helm("repo", "index", str(helms_dir), "--url", "https://charts.test/r", "--merge", str(old_index))
    merged = (ours_dir / "index.yaml").read_text()
    assert normalize(merged) == normalize((helms_dir / "index.yaml").read_text())
    assert [e["version"] for e in yaml.safe_load(merged)["entries"]["alpha"]] == ["1.2.0", "1.0.0", "0.5.0"]

    # helm uses an index otterhelm wrote (relative urls this time)...
    assert otterhelm("repo", "index", str(ours_dir)).returncode == 0
    server = http_server(root=ours_dir)
    helm("repo", "add", "otters", server.url)
    (tmp_path / "pulled").mkdir()
    helm("pull", "otters/beta", "-d", str(tmp_path / "pulled"))
    assert (tmp_path / "pulled" / "beta-0.1.0.tgz").read_bytes() == (
        ours_dir / "nested" / "beta-0.1.0.tgz"
    ).read_bytes()
    # ...and otterhelm uses the one helm wrote.
    helm("repo", "index", str(helms_dir))
    config = SourcesConfig(
        repositories=(ChartRepository("h", http_server(root=helms_dir).url),),
        policy=AddressPolicy.allowing("127.0.0.1/32"),
    )

    async def pull() -> Any:
        async with ChartSources(config) as sources:
            return await sources.resolve("h/beta")

    resolved = asyncio.run(pull())
    assert resolved.archive == (helms_dir / "nested" / "beta-0.1.0.tgz").read_bytes()
