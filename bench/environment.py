"""What figures 2–4 run against: a private devcluster, helm pointed at it with private
directories, and one `otterhelm serve` process configured for it (bearer token, the corpus as
an allowed local chart root)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from otterhelm import devcluster
from otterhelm.devcluster import DevCluster, Toolchain

BENCH_TOKEN = "bench-admin-token"
SERVICE_NAME = "otterscale.application.v1.ApplicationService"


@dataclass(frozen=True)
class Service:
    base_url: str
    host: str
    port: int
    pid: int
    token: str
    log: Path


@dataclass(frozen=True)
class ClusterEnvironment:
    cluster: DevCluster
    helm_env: dict[str, str]
    service: Service
    kube_version: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def helm_environment(kubeconfig: Path, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "KUBECONFIG": str(kubeconfig),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }


def write_service_config(path: Path, kubeconfig: Path, port: int, chart_root: Path) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "listen": f"127.0.0.1:{port}",
                "default_scope": "bench",
                "scopes": {"bench": {"kubeconfig": str(kubeconfig)}},
                "tokens": [{"token": BENCH_TOKEN, "user": "bench-admin", "groups": ["system:masters"]}],
                "sources": {"localRoots": [str(chart_root)]},
            }
        )
    )
    return path


def wait_until_serving(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"otterhelm serve exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError, ValueError):
            response = httpx.post(
                f"{base_url}/grpc.health.v1.Health/Check",
                json={},
                headers={"content-type": "application/json"},
                timeout=2,
            )
            if response.status_code == 200 and response.json().get("status") == "SERVING":
                return
        time.sleep(0.1)
    raise RuntimeError(f"otterhelm serve did not become healthy:\n{log.read_text()}")


@contextlib.contextmanager
def running_service(workdir: Path, kubeconfig: Path, chart_root: Path) -> Iterator[Service]:
    port = free_port()
    config = write_service_config(workdir / "otterhelm.yaml", kubeconfig, port, chart_root)
    log = workdir / "serve.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "otterhelm", "serve", "--config", str(config)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base_url, process, log)
        yield Service(base_url, "127.0.0.1", port, process.pid, BENCH_TOKEN, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kube_apiserver_version(cluster: DevCluster) -> str:
    with cluster.http_client() as client:
        response = client.get("/version")
        response.raise_for_status()
        return str(response.json().get("gitVersion", "unknown"))


@contextlib.contextmanager
def cluster_environment(
    state: Path, toolchain: Toolchain, chart_root: Path, progress: Callable[[str], None]
) -> Iterator[ClusterEnvironment]:
    """A devcluster of its own (stopped and purged afterwards) and a service in front of it."""
    cluster_dir = state / "cluster"
    progress("starting a private devcluster")
    cluster = devcluster.start(cluster_dir, toolchain, die_with_caller=True)
    try:
        version = kube_apiserver_version(cluster)
        env = helm_environment(cluster.kubeconfig, state / "helm-home")
        service_dir = state / "service"
        service_dir.mkdir(parents=True, exist_ok=True)
        with running_service(service_dir, cluster.kubeconfig, chart_root) as service:
            progress(f"otterhelm serve at {service.base_url} (pid {service.pid}), kube-apiserver {version}")
            yield ClusterEnvironment(cluster, env, service, version)
    finally:
        devcluster.stop(cluster_dir, purge=True)
