"""Fixtures for the release storage tests: a storage over the session's real API server in
the test's namespace, and small release records."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from otterhelm.kube import SECRETS, KubeClient, load_kubeconfig
from otterhelm.release import Info, Release, ReleaseStorage, Status, StoredChart, StoredFile

T = TypeVar("T")
StorageRun = Callable[[Callable[[ReleaseStorage], Awaitable[T]]], T]


@pytest.fixture
def storage_run(kubeconfig: Path, namespace: str) -> Callable[..., Any]:
    """Runs `body(storage)` on a fresh event loop with a storage for the test's namespace."""

    def run(body: Callable[[ReleaseStorage], Awaitable[T]]) -> T:
        async def main() -> T:
            client = KubeClient(load_kubeconfig(kubeconfig))
            try:
                return await body(ReleaseStorage(client, namespace))
            finally:
                await client.aclose()

        return asyncio.run(main())

    return run


def small_release(name: str, namespace: str, version: int, status: Status, **info: Any) -> Release:
    chart = StoredChart(
        metadata={"name": "tiny", "version": "0.1.0", "apiVersion": "v2", "appVersion": "1.0"},
        templates=[StoredFile("templates/cm.yaml", b"kind: ConfigMap\n", "2026-01-02T03:04:05.5Z")],
        values={"replicas": 1.0},
        files=[],
    )
    return Release(
        name=name,
        namespace=namespace,
        version=version,
        info=Info(
            first_deployed="2026-01-02T03:04:05.123456789Z",
            last_deployed=info.pop("last_deployed", "2026-01-02T03:04:06.5+02:00"),
            description=info.pop("description", "Install complete"),
            status=status,
            **info,
        ),
        chart=chart,
        config={"replicas": 2.0},
        manifest=f"---\n# Source: tiny/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n",
        apply_method="ssa",
    )


@pytest.fixture
def make_release() -> Callable[..., Release]:
    return small_release


def read_release_secrets(kubeconfig: Path, namespace: str) -> dict[str, dict[str, Any]]:
    """Every release Secret of a namespace, straight from the API (name → Secret)."""

    async def main() -> list[dict[str, Any]]:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            return await client.list(SECRETS, identity=None, namespace=namespace)
        finally:
            await client.aclose()

    return {s["metadata"]["name"]: s for s in asyncio.run(main()) if s.get("type") == "helm.sh/release.v1"}


@pytest.fixture
def release_secrets(kubeconfig: Path) -> Callable[[str], dict[str, dict[str, Any]]]:
    return lambda namespace: read_release_secrets(kubeconfig, namespace)


def secret_json(secret: dict[str, Any]) -> bytes:
    """The release JSON inside a Secret, decoded independently of the code under test."""
    return gzip.decompress(base64.b64decode(base64.b64decode(secret["data"]["release"])))


@pytest.fixture
def decode_secret() -> Callable[[dict[str, Any]], bytes]:
    return secret_json


@pytest.fixture
def helm(helm_binary: Path, helm_env: dict[str, str]) -> Callable[..., str]:
    """Runs the reference helm against the devcluster and returns its stdout."""

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(helm_binary), *args], env=helm_env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise AssertionError(f"helm {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    return run


@pytest.fixture
def helm_json(helm: Callable[..., str]) -> Callable[..., Any]:
    return lambda *args: json.loads(helm(*args, "-o", "json"))
