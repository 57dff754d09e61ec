"""`helm list` semantics (pkg/action/list.go), compared with the real helm v4.3.1 listing the
same records on the devcluster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otterhelm.errors import InvalidArgument
from otterhelm.release import (
    ListOptions,
    ListStates,
    Release,
    ReleaseStorage,
    SortOrder,
    Status,
    list_releases,
)
from otterhelm.release.listing import LIST_ALL, PENDING, Requirement, parse_selector

MakeRelease = Callable[..., Release]


def test_selector_terms() -> None:
    terms = parse_selector("team=a, tier!=db,env in (prod, dev),!legacy,owner,x==y")
    assert terms == (
        Requirement("team", "=", frozenset({"a"})),
        Requirement("tier", "!=", frozenset({"db"})),
        Requirement("env", "in", frozenset({"prod", "dev"})),
        Requirement("legacy", "!"),
        Requirement("owner", "exists"),
        Requirement("x", "=", frozenset({"y"})),
    )
    labels = {"team": "a", "env": "dev", "owner": "helm", "x": "y"}
    assert all(t.matches(labels) for t in terms)
    assert not Requirement("tier", "notin", frozenset({"db"})).matches({"tier": "db"})
    assert parse_selector("") == ()
    with pytest.raises(InvalidArgument):
        parse_selector("a=b,(")


def test_list_all_excludes_unknown() -> None:
    assert not LIST_ALL & ListStates.UNKNOWN
    assert ListStates.from_status("pending-upgrade") & PENDING
    assert ListStates.from_status("whatever") is ListStates.UNKNOWN


# (name, [(status, last_deployed)...], labels) per release; revisions numbered from 1.
FIXTURE: list[tuple[str, list[tuple[Status, str]], dict[str, str]]] = [
    (
        "alpha",
        [(Status.SUPERSEDED, "2026-01-01T00:00:01Z"), (Status.DEPLOYED, "2026-01-01T00:00:09Z")],
        {"team": "a"},
    ),
    ("beta", [(Status.FAILED, "2026-01-01T00:00:05Z")], {"team": "b"}),
    (
        "gamma",
        [(Status.DEPLOYED, "2026-01-01T00:00:02Z"), (Status.PENDING_UPGRADE, "2026-01-01T00:00:07Z")],
        {},
    ),
    ("delta", [(Status.UNINSTALLED, "2026-01-01T00:00:03Z")], {"team": "a"}),
    (
        "apex",
        [
            (Status.SUPERSEDED, "2026-01-01T00:00:04Z"),
            (Status.SUPERSEDED, "2026-01-01T00:00:06Z"),
            (Status.DEPLOYED, "2026-01-01T00:00:08Z"),
        ],
        {},
    ),
    ("omega", [(Status.UNKNOWN, "2026-01-01T00:00:10Z")], {}),
]

CASES: list[tuple[list[str], ListOptions]] = [
    ([], ListOptions()),
    (
        ["--deployed", "--failed", "--pending", "--superseded", "--uninstalled", "--uninstalling"],
        ListOptions(states=LIST_ALL),
    ),
    (["--superseded"], ListOptions(states=ListStates.SUPERSEDED)),
    (["--deployed", "--failed"], ListOptions(states=ListStates.DEPLOYED | ListStates.FAILED)),
    (["--pending"], ListOptions(states=PENDING)),
    (["--uninstalled"], ListOptions(states=ListStates.UNINSTALLED)),
    (["-r"], ListOptions(sort=SortOrder.BY_NAME_DESC)),
    (["-d"], ListOptions(sort=SortOrder.BY_DATE)),
    (["-d", "-r"], ListOptions(sort=SortOrder.BY_DATE_DESC)),
    (["--max", "2", "--offset", "1"], ListOptions(limit=2, offset=1)),
    (["--offset", "10"], ListOptions(offset=10)),
    (["--filter", "^a"], ListOptions(filter="^a")),
    (["--filter", "ta"], ListOptions(filter="ta")),
    (["-l", "team=a"], ListOptions(selector="team=a")),
    (["-l", "status=deployed,team!=a"], ListOptions(selector="status=deployed,team!=a")),
]


def rows(releases: list[Release]) -> list[tuple[str, str, int, str]]:
    return [(r.name, r.namespace, r.version, str(r.status)) for r in releases]


def helm_rows(listed: list[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
    return [(r["name"], r["namespace"], int(r["revision"]), r["status"]) for r in listed]


def test_list_matches_helm(
    make_namespace: Callable[[], str],
    namespace: str,
    storage_run: Callable[..., Any],
    make_release: MakeRelease,
    helm_json: Callable[..., Any],
) -> None:
    other = make_namespace()

    async def seed(storage: ReleaseStorage) -> None:
        for name, revisions, labels in FIXTURE:
            for version, (status, deployed_at) in enumerate(revisions, start=1):
                release = make_release(name, namespace, version, status, last_deployed=deployed_at)
                release.labels = dict(labels)
                await storage.create(release)
        await storage.create(
            make_release("alpha", other, 1, Status.DEPLOYED, last_deployed="2026-01-01T00:00:00Z")
        )

    storage_run(seed)

    async def ours(storage: ReleaseStorage) -> list[list[tuple[str, str, int, str]]]:
        results = [rows(await list_releases(storage, options)) for _, options in CASES]
        results.append(rows(await list_releases(storage, ListOptions(all_namespaces=True))))
        return results

    results = storage_run(ours)
    for (flags, _), got in zip(CASES, results, strict=False):
        assert got == helm_rows(helm_json("list", "-n", namespace, *flags)), flags
    assert results[-1] == helm_rows(helm_json("list", "-A")) or {r[1] for r in results[-1]} >= {
        namespace,
        other,
    }
    everywhere = [r for r in results[-1] if r[1] in (namespace, other)]
    helm_everywhere = [r for r in helm_rows(helm_json("list", "-A")) if r[1] in (namespace, other)]
    # Go's sort.Sort is not stable: equal names from two namespaces come in either order.
    assert sorted(everywhere) == sorted(helm_everywhere)
    assert [r[0] for r in everywhere] == [r[0] for r in helm_everywhere]
    assert results[0] == [
        ("alpha", namespace, 2, "deployed"),
        ("apex", namespace, 3, "deployed"),
        ("beta", namespace, 1, "failed"),
        ("delta", namespace, 1, "uninstalled"),
        ("gamma", namespace, 2, "pending-upgrade"),
    ]


def test_listing_decodes_labels_fully(
    namespace: str, storage_run: Callable[..., Any], make_release: MakeRelease
) -> None:
    async def body(storage: ReleaseStorage) -> Release:
        release = make_release("web", namespace, 1, Status.DEPLOYED)
        release.labels = {"team": "a"}
        await storage.create(release)
        (listed,) = await list_releases(storage, ListOptions())
        return listed

    listed = storage_run(body)
    # list.go/driver List assign every label of the Secret, system ones included.
    assert {k: v for k, v in listed.labels.items() if k != "createdAt"} == {
        "name": "web",
        "owner": "helm",
        "status": "deployed",
        "version": "1",
        "team": "a",
    }
    assert listed.chart is not None and listed.chart.name == "tiny"


def test_bad_filter_is_invalid(namespace: str, storage_run: Callable[..., Any]) -> None:
    async def body(storage: ReleaseStorage) -> None:
        with pytest.raises(InvalidArgument, match="error parsing regexp"):
            await list_releases(storage, ListOptions(filter="(unclosed"))

    storage_run(body)
