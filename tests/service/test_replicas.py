"""Two `otterhelm serve` replicas in front of one cluster, raced by concurrent requests for one
release: the release lock (a Lease per release) and the record writes keep one history."""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from otterhelm.devcluster import DevCluster

from ..sources.conftest import start_registry
from .conftest import Outcome
from .test_releases import CHARTS, ReleaseSetup, _push, _release_service

REQUESTS = 20


class Replicas:
    """Two services on one registry and one cluster; request i goes to replica i % 2."""

    def __init__(self, first: ReleaseSetup, second: ReleaseSetup) -> None:
        self.replicas = (first, second)

    @property
    def first(self) -> ReleaseSetup:
        return self.replicas[0]

    def race(self, method: str, bodies: list[dict[str, Any]]) -> list[Outcome]:
        """Every request at once (one thread each), alternating replicas and wire protocols."""
        transports = ("connect-json", "grpc", "connect-binary")

        def send(index: int) -> Outcome:
            replica = self.replicas[index % 2]
            return replica.call(transports[index % 3], method, bodies[index])

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            return list(pool.map(send, range(len(bodies))))


@pytest.fixture(scope="module")
def replicas(devcluster: DevCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    work = tmp_path_factory.mktemp("replicas")
    registry, cleanups = start_registry(work / "registry")
    try:
        for archive in CHARTS.values():
            asyncio.run(_push(registry, archive))
        (work / "a").mkdir()
        (work / "b").mkdir()
        with (
            _release_service(work / "a", devcluster.kubeconfig, registry) as first,
            _release_service(work / "b", devcluster.kubeconfig, registry) as second,
        ):
            yield Replicas(
                ReleaseSetup(first, registry, devcluster), ReleaseSetup(second, registry, devcluster)
            )
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


def _codes(outcomes: list[Outcome]) -> list[str]:
    return sorted(str(o.code) for o in outcomes)


def test_concurrent_creates_across_replicas_store_one_revision(replicas: Replicas, namespace: str) -> None:
    ref = replicas.first.ref("1.0.0")
    bodies = [
        {"namespace": namespace, "name": "contended", "chartRef": ref, "valuesYaml": f"message: create-{i}\n"}
        for i in range(REQUESTS)
    ]
    outcomes = replicas.race("CreateRelease", bodies)
    winners = [i for i, o in enumerate(outcomes) if o.code is None]
    assert len(winners) == 1, outcomes
    # A name already taken, or a race lost to the lock (api.md: already_exists / aborted).
    assert set(_codes(outcomes)) - {"None"} <= {"already_exists", "aborted"}, outcomes
    winner = outcomes[winners[0]].response
    assert winner is not None and winner["revision"] == 1
    assert replicas.first.revisions(namespace, "contended") == ["1:deployed"]
    # The stored record is the winner's request.
    got = replicas.first.ok("connect-json", "GetRelease", {"namespace": namespace, "name": "contended"})
    assert got["valuesYaml"] == f"message: create-{winners[0]}\n"
    assert replicas.first.config_map_values(namespace, "contended")["message"] == f"create-{winners[0]}"
    _assert_no_lease_left(replicas.first, namespace)


def test_concurrent_updates_across_replicas_lose_nothing(replicas: Replicas, namespace: str) -> None:
    first = replicas.first
    first.ok(
        "connect-json",
        "CreateRelease",
        {"namespace": namespace, "name": "shared", "chartRef": first.ref("1.0.0")},
    )
    bodies = [
        {"namespace": namespace, "name": "shared", "valuesYaml": f"message: update-{i}\n"}
        for i in range(REQUESTS)
    ]
    outcomes = replicas.race("UpdateRelease", bodies)
    # A busy release is failed_precondition; a race lost after preparing is aborted (api.md).
    assert set(_codes(outcomes)) - {"None"} <= {"failed_precondition", "aborted"}, outcomes
    successes = {i: o.response for i, o in enumerate(outcomes) if o.code is None}
    assert successes, outcomes
    revisions = sorted(response["revision"] for response in successes.values() if response is not None)
    # Each success has its own revision, and they follow the install without a gap.
    assert revisions == list(range(2, 2 + len(successes)))
    last = 1 + len(successes)
    history = first.revisions(namespace, "shared")
    stored = sorted(int(entry.split(":")[0]) for entry in history)
    # Everything is kept up to UpdateRelease's history limit of 10 records.
    assert stored == list(range(max(1, last - 9), last + 1))
    assert [entry for entry in history if entry.endswith(":deployed")] == [f"{last}:deployed"]
    # No lost update: every successful request's values are in the revision it was given.
    for index, response in successes.items():
        assert response is not None
        got = first.ok(
            "connect-json",
            "GetRelease",
            {"namespace": namespace, "name": "shared", "revision": response["revision"]},
        )
        assert yaml.safe_load(got["valuesYaml"]) == {"message": f"update-{index}"}
    newest = max(successes, key=lambda i: successes[i]["revision"] if successes[i] else 0)
    assert first.config_map_values(namespace, "shared")["message"] == f"update-{newest}"
    _assert_no_lease_left(first, namespace)


def test_persistent_concurrent_updates_across_replicas_each_get_their_own_revision(
    replicas: Replicas, namespace: str
) -> None:
    """Clients that retry whenever told the release is busy or changed under them (the codes
    mean exactly that): every request lands once, in a revision of its own."""
    first = replicas.first
    first.ok(
        "connect-json",
        "CreateRelease",
        {"namespace": namespace, "name": "queue", "chartRef": first.ref("1.0.0")},
    )

    def until_done(index: int) -> tuple[dict[str, Any], int]:
        replica = replicas.replicas[index % 2]
        body = {"namespace": namespace, "name": "queue", "valuesYaml": f"message: queued-{index}\n"}
        for attempt in range(1, 400):
            outcome = replica.call("connect-json" if index % 3 else "grpc", "UpdateRelease", body)
            if outcome.code is None:
                assert outcome.response is not None
                return outcome.response, attempt
            assert outcome.code in ("failed_precondition", "aborted"), outcome
            time.sleep(random.uniform(0.05, 0.3))
        raise AssertionError(f"request {index} never got the release")

    with concurrent.futures.ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        results = list(pool.map(until_done, range(REQUESTS)))
    revisions = [response["revision"] for response, _ in results]
    assert sorted(revisions) == list(range(2, 2 + REQUESTS))
    last = 1 + REQUESTS
    history = first.revisions(namespace, "queue")
    # UpdateRelease keeps the newest 10 records: no gaps among them, one deployed.
    assert sorted(int(entry.split(":")[0]) for entry in history) == list(range(last - 9, last + 1))
    assert [entry for entry in history if entry.endswith(":deployed")] == [f"{last}:deployed"]
    for index, (response, _) in enumerate(results):
        if response["revision"] < last - 9:
            continue
        got = first.ok(
            "connect-json",
            "GetRelease",
            {"namespace": namespace, "name": "queue", "revision": response["revision"]},
        )
        assert yaml.safe_load(got["valuesYaml"]) == {"message": f"queued-{index}"}
        # Renders ran at once in each replica through one shared template cache: each
        # manifest is still its own request's.
        assert f'message: "queued-{index}"' in got["release"]["manifest"]
    newest = revisions.index(last)
    assert first.config_map_values(namespace, "queue")["message"] == f"queued-{newest}"
    _assert_no_lease_left(first, namespace)


def _assert_no_lease_left(setup: ReleaseSetup, namespace: str) -> None:
    response = setup.kube_get(f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases")
    response.raise_for_status()
    assert [item["metadata"]["name"] for item in response.json()["items"]] == []
