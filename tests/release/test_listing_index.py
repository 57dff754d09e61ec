"""The listing's record index: the metadata-only list, the fetch of only the shown records and
the views kept between listings, checked against the real helm v4.3.1 listing the same records
on the devcluster (pkg/action/list.go: latest revision per release, then the state mask)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm.errors import PermissionDenied
from otterhelm.kube import Identity, KubeClient, load_kubeconfig
from otterhelm.release import (
    ListOptions,
    ListStates,
    Release,
    ReleaseStorage,
    SortOrder,
    Status,
    list_releases,
)
from otterhelm.release.index import NAMED_FETCH_LIMIT, ReleaseIndex, fetch_selectors
from otterhelm.release.listing import LIST_ALL, PENDING
from otterhelm.release.record_metadata import ACCEPT_METADATA, RecordMeta, list_record_metadata, read_json

MakeRelease = Callable[..., Release]
Row = tuple[str, str, int, str]

# Releases whose latest record is not the usual deployed one: (name, statuses by revision).
EDGE_CASES: list[tuple[str, list[Status]]] = [
    ("lapsed", [Status.DEPLOYED, Status.SUPERSEDED]),  # latest superseded above a deployed one
    ("ghost", [Status.SUPERSEDED, Status.SUPERSEDED]),  # superseded records only
    ("gone", [Status.SUPERSEDED, Status.UNINSTALLED]),
    ("broken", [Status.SUPERSEDED, Status.FAILED]),
    ("fresh", [Status.PENDING_INSTALL]),
    ("rolling", [Status.SUPERSEDED, Status.DEPLOYED, Status.PENDING_ROLLBACK]),
    ("leaving", [Status.UNINSTALLING]),
    ("steady", [Status.SUPERSEDED, Status.SUPERSEDED, Status.DEPLOYED]),
]

FLAG_CASES: list[tuple[list[str], ListOptions]] = [
    ([], ListOptions()),
    (
        ["--deployed", "--failed", "--pending", "--superseded", "--uninstalled", "--uninstalling"],
        ListOptions(states=LIST_ALL),
    ),
    (["--superseded"], ListOptions(states=ListStates.SUPERSEDED)),
    (["--uninstalled"], ListOptions(states=ListStates.UNINSTALLED)),
    (["--uninstalling"], ListOptions(states=ListStates.UNINSTALLING)),
    (["--pending"], ListOptions(states=PENDING)),
    (["--failed", "--superseded"], ListOptions(states=ListStates.FAILED | ListStates.SUPERSEDED)),
    (["-d", "-r"], ListOptions(sort=SortOrder.BY_DATE_DESC)),
    (["--max", "3", "--offset", "2"], ListOptions(limit=3, offset=2)),
    (["-l", "status=superseded"], ListOptions(states=LIST_ALL, selector="status=superseded")),
]


def rows(releases: list[Release]) -> list[Row]:
    return [(r.name, r.namespace, r.version, str(r.status)) for r in releases]


def helm_rows(listed: list[dict[str, Any]]) -> list[Row]:
    return [(r["name"], r["namespace"], int(r["revision"]), r["status"]) for r in listed]


def assert_same_listing(ours: list[Row], helms: list[Row]) -> None:
    """The same rows in the same order, but for rows of equal name (several superseded
    revisions of one release), which Go's unstable sort leaves in any order."""
    assert [r[0] for r in ours] == [r[0] for r in helms]
    assert sorted(ours) == sorted(helms)


def deployed_at(version: int) -> str:
    return f"2026-01-01T00:00:{version:02d}Z"


async def seed_edge_cases(storage: ReleaseStorage, namespace: str, make_release: MakeRelease) -> None:
    for name, statuses in EDGE_CASES:
        for version, status in enumerate(statuses, start=1):
            await storage.create(
                make_release(name, namespace, version, status, last_deployed=deployed_at(version))
            )


def test_edge_cases_match_helm_cold_and_warm(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    helm_json: Callable[..., Any],
) -> None:
    async def body(storage: ReleaseStorage) -> tuple[list[list[Row]], list[list[Row]]]:
        await seed_edge_cases(storage, namespace, make_release)
        warm = ReleaseIndex()
        cold = [rows(await list_releases(storage, options)) for _, options in FLAG_CASES]
        warmed = [rows(await list_releases(storage, options, warm)) for _, options in FLAG_CASES]
        again = [rows(await list_releases(storage, options, warm)) for _, options in FLAG_CASES]
        assert again == warmed
        return cold, warmed

    cold, warmed = storage_run(body)
    for (flags, _), from_cold, from_warm in zip(FLAG_CASES, cold, warmed, strict=True):
        expected = helm_rows(helm_json("list", "-n", namespace, "--max", "0", *flags))
        assert_same_listing(from_cold, expected)
        assert_same_listing(from_warm, expected)
    # No state flag lists every state: the latest record of each release, superseded or not.
    assert cold[0] == [
        ("broken", namespace, 2, "failed"),
        ("fresh", namespace, 1, "pending-install"),
        ("ghost", namespace, 2, "superseded"),
        ("gone", namespace, 2, "uninstalled"),
        ("lapsed", namespace, 2, "superseded"),
        ("leaving", namespace, 1, "uninstalling"),
        ("rolling", namespace, 3, "pending-rollback"),
        ("steady", namespace, 3, "deployed"),
    ]
    superseded = dict(zip([tuple(f) for f, _ in FLAG_CASES], cold, strict=True))[("--superseded",)]
    assert ("lapsed", namespace, 2, "superseded") in superseded
    assert ("ghost", namespace, 1, "superseded") in superseded


def test_fetch_plans_by_name_by_status_or_all() -> None:
    def record(name: str, status: Status) -> RecordMeta:
        labels = {"name": name, "status": str(status), "version": "1", "owner": "helm"}
        return RecordMeta("ns", f"sh.helm.release.v1.{name}.v1", "1", labels, {})

    few = [record("b", Status.DEPLOYED), record("a", Status.SUPERSEDED)]
    assert fetch_selectors(few) == ["owner=helm,name in (a,b)"]
    many = [record(f"r{i:03d}", Status.DEPLOYED) for i in range(NAMED_FETCH_LIMIT + 1)]
    assert fetch_selectors(many) == ["owner=helm,status!=superseded"]
    assert fetch_selectors([*many, record("old", Status.SUPERSEDED)]) == [
        "owner=helm,status!=superseded",
        "owner=helm,name in (old)",
    ]
    stale = [record(f"s{i:03d}", Status.SUPERSEDED) for i in range(NAMED_FETCH_LIMIT + 1)]
    assert fetch_selectors([*many, *stale]) == ["owner=helm"]


@pytest.mark.parametrize("lapsed_count", [3, NAMED_FETCH_LIMIT + 2])
def test_every_fetch_plan_lists_what_helm_lists(
    lapsed_count: int,
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    helm_json: Callable[..., Any],
) -> None:
    """More releases than fit a fetch by name, some with a superseded latest record: the
    fetch by status plus by name (a few) or the fetch of everything (many)."""
    steady = NAMED_FETCH_LIMIT + 3

    async def body(storage: ReleaseStorage) -> tuple[list[Row], list[Row]]:
        for i in range(steady):
            await storage.create(make_release(f"steady-{i:02d}", namespace, 1, Status.DEPLOYED))
        for i in range(lapsed_count):
            await storage.create(make_release(f"lapsed-{i:02d}", namespace, 1, Status.DEPLOYED))
            await storage.create(make_release(f"lapsed-{i:02d}", namespace, 2, Status.SUPERSEDED))
        everything = ListOptions(states=LIST_ALL, limit=0)
        return (
            rows(await list_releases(storage, everything)),
            rows(await list_releases(storage, ListOptions(states=ListStates.SUPERSEDED, limit=0))),
        )

    everything, superseded = storage_run(body)
    assert everything == helm_rows(helm_json("list", "-n", namespace, "--max", "0"))
    assert len(everything) == steady + lapsed_count
    assert_same_listing(
        superseded, helm_rows(helm_json("list", "-n", namespace, "--max", "0", "--superseded"))
    )
    assert len(superseded) == lapsed_count


def counting_sends(client: KubeClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the path and label selector of every request the client sends."""
    sent: list[str] = []
    send = client.send

    async def counted(method: str, path: str, **kwargs: Any) -> Any:
        params = kwargs.get("params") or {}
        sent.append(f"{method} {path} {params.get('labelSelector', '')}".strip())
        return await send(method, path, **kwargs)

    monkeypatch.setattr(client, "send", counted)
    return sent


def test_kept_views_follow_every_change(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    helm_json: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A warm listing reads metadata only; a record whose status changes or that is deleted
    is never answered from a kept view."""

    async def body(storage: ReleaseStorage) -> list[list[Row]]:
        await seed_edge_cases(storage, namespace, make_release)
        index = ReleaseIndex()
        options = ListOptions(states=LIST_ALL)
        seen = [rows(await list_releases(storage, options, index))]
        sent = counting_sends(storage.client, monkeypatch)
        seen.append(rows(await list_releases(storage, options, index)))
        assert sent == [f"GET /api/v1/namespaces/{namespace}/secrets owner=helm"]
        # helm upgrade's own steps: the deployed record is superseded, a new one is deployed.
        steady = await storage.get("steady", 3)
        assert steady.info is not None
        steady.info.status = Status.SUPERSEDED
        await storage.update(steady)
        await storage.create(
            make_release("steady", namespace, 4, Status.DEPLOYED, last_deployed=deployed_at(4))
        )
        # rollback of a pending record by hand: its latest record removed.
        await storage.delete("rolling", 3)
        sent.clear()
        seen.append(rows(await list_releases(storage, options, index)))
        assert sent == [
            f"GET /api/v1/namespaces/{namespace}/secrets owner=helm",
            f"GET /api/v1/namespaces/{namespace}/secrets owner=helm,name in (rolling,steady)",
        ]
        return seen

    first, warm, changed = storage_run(body)
    assert warm == first
    assert ("steady", namespace, 4, "deployed") in changed
    assert ("rolling", namespace, 2, "deployed") in changed
    assert changed == helm_rows(helm_json("list", "-n", namespace, "--max", "0"))


def test_a_first_listing_reads_the_usual_data_alongside_the_metadata(
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An empty index lists the data of every record not superseded together with the
    metadata; only releases whose latest record is superseded are fetched afterwards."""

    async def body(storage: ReleaseStorage) -> tuple[list[str], list[Row]]:
        await seed_edge_cases(storage, namespace, make_release)
        sent = counting_sends(storage.client, monkeypatch)
        listed = rows(await list_releases(storage, ListOptions(states=LIST_ALL), ReleaseIndex()))
        return sent, listed

    sent, listed = storage_run(body)
    secrets = f"GET /api/v1/namespaces/{namespace}/secrets"
    assert sorted(sent) == [
        f"{secrets} owner=helm",
        f"{secrets} owner=helm,name in (ghost,lapsed)",
        f"{secrets} owner=helm,status!=superseded",
    ]
    assert sent[-1] == f"{secrets} owner=helm,name in (ghost,lapsed)"
    assert [r[0] for r in listed] == sorted(name for name, _ in EDGE_CASES)


def test_views_are_kept_per_cluster_client(
    namespace: str, kubeconfig: Path, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    """Record keys are unique within one cluster only: a client of another cluster (here a
    second client, as the service holds one per scope) never sees the first one's views."""

    async def body(storage: ReleaseStorage) -> None:
        await storage.create(make_release("web", namespace, 1, Status.DEPLOYED))
        index = ReleaseIndex()
        await list_releases(storage, ListOptions(), index)
        other = KubeClient(load_kubeconfig(kubeconfig))
        try:
            elsewhere = ReleaseStorage(other, namespace)
            assert len(index.kept(storage)) == 1 and not index.kept(elsewhere)
            assert rows(await list_releases(elsewhere, ListOptions(), index)) == [
                ("web", namespace, 1, "deployed")
            ]
            assert len(index.kept(elsewhere)) == 1
        finally:
            await other.aclose()

    storage_run(body)


def test_a_full_index_still_lists_everything(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    """Views beyond `max_views` are handed out but not kept; the least recently used go."""

    async def body(storage: ReleaseStorage) -> tuple[list[list[Row]], int]:
        for i in range(5):
            await storage.create(make_release(f"web-{i}", namespace, 1, Status.DEPLOYED))
        index = ReleaseIndex(max_views=2)
        listed = [rows(await list_releases(storage, ListOptions(), index)) for _ in range(3)]
        return listed, len(index.kept(storage))

    listed, kept = storage_run(body)
    assert listed[0] == listed[1] == listed[2]
    assert [r[0] for r in listed[0]] == [f"web-{i}" for i in range(5)]
    assert kept == 2


def test_views_handed_out_are_copies(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> Release:
        await storage.create(make_release("web", namespace, 1, Status.DEPLOYED))
        index = ReleaseIndex()
        (first,) = await list_releases(storage, ListOptions(), index)
        assert first.info is not None
        first.info.status = Status.FAILED
        first.labels["status"] = "failed"
        (second,) = await list_releases(storage, ListOptions(), index)
        return second

    listed = storage_run(body)
    assert listed.status == Status.DEPLOYED and listed.labels["status"] == "deployed"
    # A listing view: the chart's metadata without its templates, no manifest or values.
    assert listed.chart is not None and listed.chart.name == "tiny" and listed.chart.templates is None
    assert listed.manifest == "" and listed.config is None
    assert listed.info is not None and listed.info.description == "Install complete"


def test_a_caller_rbac_refuses_gets_nothing_from_a_warm_index(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> None:
        await storage.create(make_release("web", namespace, 1, Status.DEPLOYED))
        index = ReleaseIndex()
        assert len(await list_releases(storage, ListOptions(), index)) == 1
        outsider = ReleaseStorage(storage.client, namespace, identity=Identity("nobody", ("no-such-group",)))
        with pytest.raises(PermissionDenied, match='cannot list resource "secrets"'):
            await list_releases(outsider, ListOptions(), index)
        with pytest.raises(PermissionDenied):
            await list_releases(outsider, ListOptions(all_namespaces=True), index)

    storage_run(body)


def test_a_caller_rbac_refuses_is_told_so_by_a_first_listing(
    namespace: str, storage_run: Callable[..., Any]
) -> None:
    # A first listing runs two lists at once; the refusal must reach the caller as
    # itself, not wrapped in an exception group.
    async def body(storage: ReleaseStorage) -> None:
        outsider = ReleaseStorage(storage.client, namespace, identity=Identity("nobody", ("no-such-group",)))
        with pytest.raises(PermissionDenied, match='cannot list resource "secrets"'):
            await list_releases(outsider, ListOptions(), ReleaseIndex())

    storage_run(body)


def test_a_caller_allowed_one_namespace_lists_it_only(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> list[Row]:
        await storage.create(make_release("web", namespace, 1, Status.DEPLOYED))
        client = storage.client
        role = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "list-secrets", "namespace": namespace},
            "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}],
        }
        binding = {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "lister", "namespace": namespace},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "list-secrets"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "lister"}],
        }
        rbac = f"/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}"
        await client.request("POST", f"{rbac}/roles", identity=None, body=role)
        await client.request("POST", f"{rbac}/rolebindings", identity=None, body=binding)
        index = ReleaseIndex()
        await list_releases(storage, ListOptions(all_namespaces=True, limit=0), index)
        lister = ReleaseStorage(client, namespace, identity=Identity("lister"))
        with pytest.raises(PermissionDenied):
            await list_releases(lister, ListOptions(all_namespaces=True), index)
        return rows(await list_releases(lister, ListOptions(), index))

    assert storage_run(body) == [("web", namespace, 1, "deployed")]


def test_metadata_list_reads_protobuf_as_json_does(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> tuple[list[RecordMeta], list[RecordMeta]]:
        for version in (1, 2, 3):
            release = make_release("web", namespace, version, Status.SUPERSEDED)
            release.labels = {"team": "a"}
            release.chart_reference = "oci://registry.test/charts/tiny:0.1.0"
            await storage.create(release)
        listing = await list_record_metadata(
            storage.client,
            None,
            ReleaseIndex().reader,
            namespace=namespace,
            selector="owner=helm",
            page_size=2,  # three records: a second page through `continue`
        )
        path = f"/api/v1/namespaces/{namespace}/secrets"
        accept = ACCEPT_METADATA.split(", ", 1)[1]  # the JSON form only
        response = await storage.client.send(
            "GET", path, identity=None, params={"labelSelector": "owner=helm"}, accept=accept
        )
        assert response.headers["content-type"].startswith("application/json")
        records, _, token = read_json(response.json())
        assert token == "" and listing.resource_version
        return listing.records, records

    from_protobuf, from_json = storage_run(body)

    def plain(records: list[RecordMeta]) -> list[tuple[Any, ...]]:
        return sorted(
            (r.namespace, r.secret_name, r.resource_version, dict(r.labels), dict(r.annotations))
            for r in records
        )

    assert plain(from_protobuf) == plain(from_json)
    assert [(r.release_name, r.version, r.status) for r in sorted(from_json, key=lambda r: r.version)] == [
        ("web", 1, "superseded"),
        ("web", 2, "superseded"),
        ("web", 3, "superseded"),
    ]
    assert from_json[0].labels["team"] == "a"
    assert from_json[0].annotations["otterhelm.io/chart-reference"] == "oci://registry.test/charts/tiny:0.1.0"
