"""Shared fixtures: one real control plane per test session (started on first use), a fresh
namespace per test, and the reference helm binary.

A missing Go-built tool fails the tests that need it (run scripts/tools); nothing is skipped."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from otterhelm import devcluster as devcluster_module
from otterhelm.devcluster import HELM, DevCluster, Toolchain, default_tools_dir

NAMESPACE_NAME_LIMIT = 63


@pytest.fixture(scope="session")
def toolchain() -> Toolchain:
    return Toolchain(default_tools_dir(os.environ, Path.home()))


@pytest.fixture(scope="session")
def devcluster(tmp_path_factory: pytest.TempPathFactory, toolchain: Toolchain) -> Iterator[DevCluster]:
    """etcd and kube-apiserver on loopback for the whole session; the admin kubeconfig is
    `devcluster.kubeconfig`, token users are in `devcluster.user_tokens`."""
    state_dir = tmp_path_factory.mktemp("devcluster")
    cluster = devcluster_module.start(state_dir, toolchain, die_with_caller=True)
    try:
        yield cluster
    finally:
        devcluster_module.stop(state_dir, purge=True)


@pytest.fixture(scope="session")
def kubeconfig(devcluster: DevCluster) -> Path:
    return devcluster.kubeconfig


def _namespace_name(test_name: str) -> str:
    suffix = secrets.token_hex(3)
    stem = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-") or "test"
    stem = stem[: NAMESPACE_NAME_LIMIT - len(suffix) - 3].rstrip("-")
    return f"t-{stem}-{suffix}"


@pytest.fixture
def make_namespace(devcluster: DevCluster, request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Creates a fresh namespace named after the test each time it is called. Deletion is
    requested afterwards but never awaited: without a controller manager a namespace stays
    Terminating forever."""
    created: list[str] = []

    def create() -> str:
        name = _namespace_name(request.node.name)
        with devcluster.http_client() as client:
            response = client.post(
                "/api/v1/namespaces",
                json={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
            )
            response.raise_for_status()
        created.append(name)
        return name

    yield create
    # The cluster may already be gone at the end of a failing session.
    with devcluster.http_client() as client, contextlib.suppress(httpx.TransportError):
        for name in created:
            client.delete(f"/api/v1/namespaces/{name}")


@pytest.fixture
def namespace(make_namespace: Callable[[], str]) -> str:
    """A namespace created for this test (see make_namespace)."""
    return make_namespace()


@pytest.fixture(scope="session")
def helm_binary(toolchain: Toolchain) -> Path:
    """The reference helm (v4.3.1), for interop tests and benchmarks only."""
    return toolchain.binary(HELM)


@pytest.fixture
def helm_env(kubeconfig: Path, tmp_path: Path) -> dict[str, str]:
    """Environment for running `helm_binary` against the devcluster with private helm dirs."""
    helm_home = tmp_path / "helm-home"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(helm_home),
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(helm_home / "cache"),
        "HELM_CONFIG_HOME": str(helm_home / "config"),
        "HELM_DATA_HOME": str(helm_home / "data"),
    }
