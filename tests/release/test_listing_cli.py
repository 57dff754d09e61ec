"""`otterhelm list` (the whole command, through the record index) against `helm list` on the
same records, including releases whose latest record is superseded, uninstalled, failed or
pending."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm.release import Release, ReleaseStorage, Status

# (name, statuses by revision)
RELEASES: list[tuple[str, list[Status]]] = [
    ("lapsed", [Status.DEPLOYED, Status.SUPERSEDED]),
    ("ghost", [Status.SUPERSEDED]),
    ("gone", [Status.SUPERSEDED, Status.UNINSTALLED]),
    ("broken", [Status.DEPLOYED, Status.FAILED]),
    ("fresh", [Status.PENDING_INSTALL]),
    ("steady", [Status.SUPERSEDED, Status.SUPERSEDED, Status.DEPLOYED]),
]
COMPARED = ("name", "namespace", "revision", "updated", "status", "chart", "app_version")
# Stored LastDeployed values in the forms Go writes and reads: UTC with and without a
# fraction (trailing zeros trimmed when shown), nanosecond digits, and zone offsets.
FRACTIONS = ("", ".5", ".123456789", ".25")
ZONES = ("Z", "Z", "+08:00", "-05:30")


def otterhelm_list(kubeconfig: Path, *args: str, zone: str | None = None) -> str:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    env.pop("HELM_NAMESPACE", None)
    if zone is not None:
        env["TZ"] = zone
    done = subprocess.run(
        [sys.executable, "-m", "otterhelm", "list", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def otterhelm_json(kubeconfig: Path, *args: str) -> Any:
    return json.loads(otterhelm_list(kubeconfig, *args, "-o", "json"))


def helm_list(helm_binary: Path, helm_env: dict[str, str], zone: str, *args: str) -> str:
    done = subprocess.run(
        [str(helm_binary), "list", *args],
        env={**helm_env, "TZ": zone},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def deployed_at(name: str, version: int) -> str:
    shape = (len(name) + version) % len(ZONES)
    return f"2026-01-01T00:{len(name):02d}:{version:02d}{FRACTIONS[shape]}{ZONES[shape]}"


def compared(listed: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    return [{k: r[k] for k in COMPARED} for r in listed if r["namespace"] == namespace]


def assert_same_listing(ours: list[dict[str, Any]], helms: list[dict[str, Any]]) -> None:
    """The same rows in the same order, but for rows of equal name (several superseded
    revisions of one release), which Go's unstable sort leaves in any order."""
    assert [r["name"] for r in ours] == [r["name"] for r in helms]
    assert sorted(tuple(r.values()) for r in ours) == sorted(tuple(r.values()) for r in helms)


@pytest.mark.parametrize(
    "flags",
    [
        [],
        ["--superseded"],
        ["--uninstalled", "--failed"],
        ["--pending"],
        ["-d", "-r"],
        ["--max", "2", "--offset", "1"],
        ["-f", "^(g|l)"],
    ],
)
def test_cli_list_matches_helm(
    flags: list[str],
    namespace: str,
    kubeconfig: Path,
    storage_run: Callable[..., Any],
    make_release: Callable[..., Release],
    helm_json: Callable[..., Any],
) -> None:
    async def seed(storage: ReleaseStorage) -> None:
        for name, statuses in RELEASES:
            for version, status in enumerate(statuses, start=1):
                deployed = deployed_at(name, version)
                await storage.create(make_release(name, namespace, version, status, last_deployed=deployed))

    storage_run(seed)
    ours = compared(otterhelm_json(kubeconfig, "-n", namespace, *flags), namespace)
    assert_same_listing(ours, compared(helm_json("list", "-n", namespace, *flags), namespace))
    assert ours, flags
    if "--offset" in flags:
        # A page of every namespace: equal names from several namespaces come in an order
        # Go's unstable sort leaves open, so which of them falls on the page is too.
        return
    everywhere = compared(otterhelm_json(kubeconfig, "-A", "--max", "0", *flags), namespace)
    assert_same_listing(everywhere, compared(helm_json("list", "-A", "--max", "0", *flags), namespace))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Taipei"])
def test_cli_list_table_is_helms_text(
    zone: str,
    namespace: str,
    kubeconfig: Path,
    storage_run: Callable[..., Any],
    make_release: Callable[..., Release],
    helm_binary: Path,
    helm_env: dict[str, str],
) -> None:
    """The whole table byte for byte, UPDATED included: Go's Time.String() of the stored
    time (an offset Local has takes Local's zone name, others print as `+0800 +0800`) and
    every cell, the last one too, padded to its column's width (gosuri/uitable)."""

    async def seed(storage: ReleaseStorage) -> None:
        for name, statuses in RELEASES:
            for version, status in enumerate(statuses, start=1):
                deployed = deployed_at(name, version)
                await storage.create(make_release(name, namespace, version, status, last_deployed=deployed))

    storage_run(seed)
    for flags in ([], ["--superseded", "--uninstalled", "--pending", "--failed"]):
        ours = otterhelm_list(kubeconfig, "-n", namespace, *flags, zone=zone)
        helms = helm_list(helm_binary, helm_env, zone, "-n", namespace, *flags)
        # Rows of equal name (superseded revisions) come in the order Go's unstable sort
        # leaves, so the lines are compared as a multiset after the header.
        assert ours.splitlines()[0] == helms.splitlines()[0]
        assert sorted(ours.splitlines()[1:]) == sorted(helms.splitlines()[1:])
        assert len(ours.splitlines()) > 2
        assert any(line.endswith(" ") for line in ours.splitlines())
