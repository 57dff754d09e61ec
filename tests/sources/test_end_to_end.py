"""Every source kind, end to end onto the devcluster: resolve the chart (OCI pushed by the
real helm, an HTTP repository, an archive URL, an allowed local path) and install it with
otterhelm's release manager, recording the reference it came from; the real helm then lists
the release as deployed. And the real helm installs, straight from the registry, a chart
otterhelm pushed."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from otterhelm.devcluster import DevCluster
from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.release import Release
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.storage import ReleaseStorage
from otterhelm.sources import ChartRepository, ChartSources, SourcesConfig
from otterhelm.sources.archive import load_archive
from otterhelm.sources.index import dump_index, index_directory
from otterhelm.sources.reference import OciRef

KINDS = ["oci", "repo", "url", "local"]


def install_resolved(devcluster: DevCluster, resolved: Any, release: str, namespace: str) -> Release:
    async def run() -> Release:
        client = KubeClient(load_kubeconfig(devcluster.kubeconfig))
        try:
            ctx = ActionContext(ReleaseStorage(client, namespace))
            options = InstallOptions(name=release, chart_reference=resolved.ref)
            return await install(ctx, resolved.chart, {"message": f"from {release}"}, options)
        finally:
            await client.aclose()

    return asyncio.run(run())


def configmap_message(devcluster: DevCluster, namespace: str, name: str) -> str:
    with devcluster.http_client() as client:
        got = client.get(f"/api/v1/namespaces/{namespace}/configmaps/{name}")
        got.raise_for_status()
        message: str = got.json()["data"]["message"]
        return message


@pytest.fixture
def helm_run(helm_binary: Path, helm_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(helm_binary), *args], capture_output=True, text=True, env=helm_env, timeout=180, check=False
        )
        assert result.returncode == 0, f"helm {' '.join(args)}: {result.stderr}"
        return result

    return run


@pytest.mark.parametrize("kind", KINDS)
def test_each_source_kind_installs(
    kind: str,
    devcluster: DevCluster,
    namespace: str,
    registry: Any,
    http_server: Callable[..., Any],
    make_chart: Callable[..., bytes],
    helm_run: Callable[..., Any],
    tmp_path: Path,
) -> None:
    archive = make_chart(f"e2e{kind}", "1.0.0")
    archive_path = tmp_path / "charts" / f"e2e{kind}-1.0.0.tgz"
    archive_path.parent.mkdir()
    archive_path.write_bytes(archive)
    server = http_server(root=archive_path.parent)
    config = SourcesConfig(
        repositories=(ChartRepository("e2e", server.url),),
        registries=(registry.registry_config(),),
        local_roots=(archive_path.parent,),
        policy=registry.config().policy,
    )
    if kind == "oci":
        helm_run("push", str(archive_path), f"oci://{registry.host}/e2e", "--plain-http")
        ref = f"oci://{registry.host}/e2e/e2e{kind}"
    elif kind == "repo":
        doc = index_directory(archive_path.parent, "", lambda p: load_archive(p.read_bytes(), str(p)))
        (archive_path.parent / "index.yaml").write_text(dump_index(doc))
        ref = f"e2e/e2e{kind}@^1"
    elif kind == "url":
        ref = f"{server.url}/{archive_path.name}"
    else:
        ref = str(archive_path)

    async def resolve() -> Any:
        async with ChartSources(config) as sources:
            return await sources.resolve(ref)

    resolved = asyncio.run(resolve())
    assert resolved.archive == archive
    stored = install_resolved(devcluster, resolved, f"rel-{kind}", namespace)
    assert (stored.version, str(stored.info.status)) == (1, "deployed")
    assert configmap_message(devcluster, namespace, f"rel-{kind}-cm") == f"from rel-{kind}"
    listed = yaml.safe_load(helm_run("list", "-n", namespace, "-o", "yaml").stdout)
    assert [(r["name"], r["status"], r["chart"]) for r in listed] == [
        (f"rel-{kind}", "deployed", f"e2e{kind}-1.0.0")
    ]


def test_helm_installs_what_otterhelm_pushed(
    devcluster: DevCluster,
    namespace: str,
    registry: Any,
    make_chart: Callable[..., bytes],
    helm_run: Callable[..., Any],
) -> None:
    archive = make_chart("pushedbyotter", "2.1.0")

    async def push() -> Any:
        async with ChartSources(registry.config()) as sources, sources.oci(registry.host) as client:
            chart = load_archive(archive, "test")
            return await client.push(archive, chart.metadata, OciRef(registry.host, "e2e"))

    asyncio.run(push())
    helm_run(
        "install",
        "helmrel",
        f"oci://{registry.host}/e2e/pushedbyotter",
        "--version",
        "2.1.0",
        "--plain-http",
        "--namespace",
        namespace,
        "--set",
        "message=installed by helm",
    )
    assert configmap_message(devcluster, namespace, "helmrel-cm") == "installed by helm"
    status = helm_run("status", "helmrel", "--namespace", namespace)
    assert "STATUS: deployed" in status.stdout
