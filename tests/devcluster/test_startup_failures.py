"""Start-up failures: a daemon that dies while the control plane starts is retried with fresh
ports a bounded number of times, then reported with its exit status and log; nothing is left running."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from otterhelm import devcluster as devcluster_module
from otterhelm.devcluster import ETCD, KUBE_APISERVER, Toolchain
from otterhelm.devcluster.cluster import STARTUP_ATTEMPTS, DaemonExited

# Fails its first FAILURES runs (counted in a file), then becomes the real kube-apiserver.
FLAKY_APISERVER = """#!/bin/sh
count=$(cat "{counter}" 2>/dev/null || echo 0)
count=$((count + 1))
echo "$count" > "{counter}"
if [ "$count" -le {failures} ]; then
  echo "simulated start-up failure $count" >&2
  exit 3
fi
exec "{real}" "$@"
"""


def _toolchain_with_flaky_apiserver(tmp_path: Path, real: Toolchain, failures: int) -> tuple[Toolchain, Path]:
    fake = Toolchain(tmp_path / "tools")
    counter = tmp_path / "apiserver-runs"
    etcd = fake.path(ETCD)
    etcd.parent.mkdir(parents=True)
    etcd.symlink_to(real.binary(ETCD))
    apiserver = fake.path(KUBE_APISERVER)
    apiserver.parent.mkdir(parents=True)
    apiserver.write_text(
        FLAKY_APISERVER.format(counter=counter, failures=failures, real=real.binary(KUBE_APISERVER))
    )
    apiserver.chmod(0o755)
    return fake, counter


def _processes_using(directory: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if str(directory).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_daemon_that_keeps_dying_is_reported_and_nothing_is_left_running(
    tmp_path: Path, toolchain: Toolchain
) -> None:
    fake, counter = _toolchain_with_flaky_apiserver(tmp_path, toolchain, failures=99)
    state_dir = tmp_path / "cluster"
    messages: list[str] = []
    with pytest.raises(DaemonExited) as raised:
        devcluster_module.start(state_dir, fake, log=messages.append)
    assert "kube-apiserver exit code 3 while waiting for /readyz" in str(raised.value)
    assert "simulated start-up failure" in str(raised.value)
    assert counter.read_text().strip() == str(STARTUP_ATTEMPTS)
    assert sum("retrying with new ports" in message for message in messages) == STARTUP_ATTEMPTS - 1
    assert not (state_dir / "state.json").exists()
    assert _processes_using(state_dir.resolve()) == []


def test_a_daemon_that_dies_once_is_retried(tmp_path: Path, toolchain: Toolchain) -> None:
    fake, counter = _toolchain_with_flaky_apiserver(tmp_path, toolchain, failures=1)
    state_dir = tmp_path / "cluster"
    cluster = devcluster_module.start(state_dir, fake, die_with_caller=True)
    try:
        assert counter.read_text().strip() == "2"
        with cluster.http_client() as client:
            assert client.get("/readyz").status_code == 200
    finally:
        devcluster_module.stop(state_dir)
    assert _processes_using(state_dir.resolve()) == []
