"""Many releases with many revisions each, written straight into the cluster as Helm's
Secrets driver stores them: one real release installed by helm is the template, and each copy
is re-encoded with the release codec under its own name, namespace, revision and status."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from otterhelm.devcluster import DevCluster
from otterhelm.release.model import Release, Status
from otterhelm.release.storage import release_from_secret, secret_body, secret_name

TINY_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: tiny\nversion: 1.0.0\nappVersion: '1.0'\n",
    "values.yaml": "replicas: 1\nimage: nginx:1.27\nmessage: hello\n",
    "templates/configmap.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n"
        "  labels:\n    app.kubernetes.io/instance: {{ .Release.Name }}\n"
        "data:\n  message: {{ .Values.message | quote }}\n"
    ),
    "templates/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels:\n"
        "      app.kubernetes.io/instance: {{ .Release.Name }}\n  template:\n    metadata:\n"
        "      labels:\n        app.kubernetes.io/instance: {{ .Release.Name }}\n    spec:\n"
        "      containers:\n        - name: app\n          image: {{ .Values.image }}\n"
    ),
}


@dataclass(frozen=True)
class SeededReleases:
    namespaces: tuple[str, ...]
    releases: int
    revisions: int
    seconds: float

    def release_name(self, index: int) -> str:
        return f"scale-{index:04d}"

    def namespace_of(self, index: int) -> str:
        return self.namespaces[index % len(self.namespaces)]


def write_tiny_chart(directory: Path) -> Path:
    for relative, text in TINY_CHART.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def template_release(cluster: DevCluster, namespace: str, name: str) -> Release:
    with cluster.http_client() as client:
        response = client.get(f"/api/v1/namespaces/{namespace}/secrets/{secret_name(name, 1)}")
        response.raise_for_status()
        return release_from_secret(response.json())


def revision_of(model: Release, name: str, namespace: str, version: int, latest: bool) -> Release:
    release = copy.deepcopy(model)
    release.name = name
    release.namespace = namespace
    release.version = version
    release.resource_version = ""
    release.manifest = model.manifest.replace(model.name, name)
    if latest:
        release.set_status(Status.DEPLOYED, "Upgrade complete" if version > 1 else "Install complete")
    else:
        release.set_status(Status.SUPERSEDED, "Install complete" if version == 1 else "Upgrade complete")
    return release


async def _post_all(cluster: DevCluster, bodies: list[tuple[str, dict[str, object]]], parallel: int) -> None:
    queue: asyncio.Queue[tuple[str, dict[str, object]]] = asyncio.Queue()
    for item in bodies:
        queue.put_nowait(item)
    async with httpx.AsyncClient(base_url=cluster.server, verify=cluster.ssl_context(), timeout=60) as client:

        async def worker() -> None:
            while not queue.empty():
                namespace, body = queue.get_nowait()
                response = await client.post(f"/api/v1/namespaces/{namespace}/secrets", json=body)
                if response.status_code != 409:
                    response.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(parallel)))


def seed(
    cluster: DevCluster,
    model: Release,
    *,
    releases: int,
    revisions: int,
    namespaces: tuple[str, ...],
    progress: Callable[[str], None],
    parallel: int = 16,
) -> SeededReleases:
    started = time.perf_counter()
    with cluster.http_client() as client:
        for namespace in namespaces:
            response = client.post("/api/v1/namespaces", json={"metadata": {"name": namespace}})
            if response.status_code != 409:
                response.raise_for_status()
    seeded = SeededReleases(namespaces, releases, revisions, 0.0)
    created_at = str(int(time.time()))
    batch: list[tuple[str, dict[str, object]]] = []
    for index in range(releases):
        name, namespace = seeded.release_name(index), seeded.namespace_of(index)
        for version in range(1, revisions + 1):
            release = revision_of(model, name, namespace, version, latest=version == revisions)
            batch.append((namespace, secret_body(release, {"createdAt": created_at})))
        if len(batch) >= 2000 or index == releases - 1:
            asyncio.run(_post_all(cluster, batch, parallel))
            batch = []
            progress(f"seeded {index + 1}/{releases} releases x {revisions} revisions")
    return SeededReleases(namespaces, releases, revisions, time.perf_counter() - started)
