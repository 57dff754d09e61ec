"""The service's one template cache: every release action of every request renders through
it, so a chart rendered again is not parsed again."""

from __future__ import annotations

import asyncio
import io
import logging
import random
import sys
import threading
from pathlib import Path

import pytest
from connectrpc.protocol import ProtocolType
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1.application_connect import ApplicationServiceClient
from pyqwest import Client
from pyqwest.testing import ASGITransport

from otterhelm.kube import Identity, KubeClient, load_kubeconfig
from otterhelm.render.engine import TemplateCache
from otterhelm.service.app import build_app
from otterhelm.service.auth import Authenticator
from otterhelm.service.logs import json_logger
from otterhelm.service.scopes import ScopeRegistry
from otterhelm.sources import ChartSources
from otterhelm.template import TemplateSet

from ..sources.conftest import start_registry
from .test_releases import CHARTS, _push

ADMIN = {"admin": Identity("cache-admin", ("system:masters",))}


class CountingCache(TemplateCache):
    def __init__(self) -> None:
        super().__init__()
        self.hits = 0
        self.stores = 0

    def get(self, key: str) -> TemplateSet | None:
        found = super().get(key)
        self.hits += found is not None
        return found

    def put(self, key: str, value: TemplateSet) -> None:
        self.stores += 1
        super().put(key, value)


def test_release_actions_of_all_requests_share_one_template_cache(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    registry, cleanups = start_registry(tmp_path / "registry")
    try:
        asyncio.run(_push(registry, CHARTS["1.0.0"]))
        ref = f"oci://{registry.host}/charts/demo:1.0.0"
        cache = CountingCache()

        async def scenario() -> list[str]:
            scopes = ScopeRegistry({"dev": KubeClient(load_kubeconfig(kubeconfig))}, "dev")
            logger = json_logger(
                f"otterhelm.test.cache.{id(cache)}", stream=io.StringIO(), level=logging.WARNING
            )
            sources = ChartSources(registry.config())
            app = build_app(scopes, Authenticator(ADMIN), logger, sources, templates=cache)
            headers = {"authorization": "Bearer admin"}
            manifests = []
            async with ASGITransport(app) as transport:  # type: ignore[arg-type]
                client = ApplicationServiceClient(
                    "http://otterhelm.test", protocol=ProtocolType.CONNECT, http_client=Client(transport)
                )
                for message in ("one", "two"):
                    preview = await client.create_release(
                        pb.CreateReleaseRequest(
                            namespace=namespace,
                            name="cached",
                            chart_ref=ref,
                            dry_run=True,
                            values_yaml=f"message: {message}\n",
                        ),
                        headers=headers,
                    )
                    manifests.append(preview.manifest)
                installed = await client.create_release(
                    pb.CreateReleaseRequest(
                        namespace=namespace, name="cached", chart_ref=ref, values_yaml="message: three\n"
                    ),
                    headers=headers,
                )
                manifests.append(installed.manifest)
                updated = await client.update_release(
                    pb.UpdateReleaseRequest(
                        namespace=namespace, name="cached", values_yaml="message: four\n", dry_run=True
                    ),
                    headers=headers,
                )
                manifests.append(updated.manifest)
                diff = await client.diff_release(
                    pb.DiffReleaseRequest(namespace=namespace, name="cached", values_yaml="message: five\n"),
                    headers=headers,
                )
                manifests.append(diff.objects[0].diff)
            await scopes.aclose()
            await sources.aclose()
            return manifests

        manifests = asyncio.run(scenario())
    finally:
        for cleanup in reversed(cleanups):
            cleanup()
    # One parse of the chart; every later render (two dry runs, install, upgrade dry run,
    # diff) found it parsed.
    assert cache.stores == 1
    assert cache.hits == 4
    # Parsed templates are shared, values are not.
    assert 'message: "one"' in manifests[0] and 'message: "two"' in manifests[1]
    assert manifests[2] == ""  # a real install answers without the manifest
    assert 'message: "four"' in manifests[3]
    assert "+  message: five\n" in manifests[4]


def test_shared_cache_survives_concurrent_lookups_and_evictions() -> None:
    """Renders run in worker threads: look-ups and evictions interleave."""
    cache = TemplateCache(capacity=2)
    failures: list[BaseException] = []

    class Parsed:
        def clone(self) -> Parsed:
            return self

    def churn(seed: int) -> None:
        chooser = random.Random(seed)
        try:
            for _ in range(5000):
                key = str(chooser.randrange(4))
                if cache.get(key) is None:
                    cache.put(key, Parsed())  # type: ignore[arg-type]
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=churn, args=(seed,)) for seed in range(8)]
    # Switching threads every microsecond makes the look-up/eviction interleaving likely (an
    # unlocked look-up raises KeyError here within a few thousand operations).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert len([key for key in "0123" if cache.get(key) is not None]) <= 2


@pytest.mark.parametrize("capacity", [1, 3])
def test_shared_cache_is_bounded_least_recently_used_first_out(capacity: int) -> None:
    cache = TemplateCache(capacity=capacity)

    class Parsed:
        def clone(self) -> Parsed:
            return self

    first, second = Parsed(), Parsed()
    cache.put("a", first)  # type: ignore[arg-type]
    cache.put("b", second)  # type: ignore[arg-type]
    assert cache.get("b") is second
    assert (cache.get("a") is first) is (capacity > 1)
