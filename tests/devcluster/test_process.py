"""Daemons are stopped by PID only while the PID still runs the recorded executable."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from otterhelm.devcluster import process
from otterhelm.devcluster.ports import free_loopback_ports


def test_stop_ends_the_daemon_it_started(tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    assert sleep
    daemon = process.spawn("sleeper", [sleep, "60"], tmp_path / "sleeper.log")
    assert process.is_running(daemon)
    process.stop(daemon, timeout=5)
    assert not process.is_running(daemon)
    assert not Path(f"/proc/{daemon.pid}").exists()


def test_a_reused_pid_is_left_alone(tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    assert sleep
    daemon = process.spawn("sleeper", [sleep, "60"], tmp_path / "sleeper.log")
    impostor = process.Daemon(
        name="etcd", pid=daemon.pid, executable=daemon.executable, log="", start_ticks=daemon.start_ticks - 1
    )
    try:
        process.stop(impostor, timeout=1)
        assert process.is_running(daemon)
    finally:
        process.stop(daemon, timeout=5)
    assert not process.is_running(daemon)


def test_log_tail_returns_the_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "d.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)))
    daemon = process.Daemon(name="d", pid=-1, executable="/bin/false", log=str(log))
    assert process.log_tail(daemon, lines=2) == "line 98\nline 99"


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_loopback_ports(5)
    assert len(set(ports)) == 5
    assert all(1024 <= port <= 65535 for port in ports)


SPAWNER = """
import sys, time
from pathlib import Path
from otterhelm.devcluster import process
daemon = process.spawn("sleeper", [sys.argv[1], "60"], Path(sys.argv[2]), die_with_parent=sys.argv[3] == "yes")
print(daemon.pid, daemon.start_ticks, flush=True)
time.sleep(60)
"""


def _orphan_after_parent_is_killed(tmp_path: Path, die_with_parent: bool) -> process.Daemon:
    sleep = shutil.which("sleep")
    assert sleep
    parent = subprocess.Popen(
        [sys.executable, "-c", SPAWNER, sleep, str(tmp_path / "s.log"), "yes" if die_with_parent else "no"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    pid, start_ticks = (int(field) for field in parent.stdout.readline().split())
    parent.kill()
    parent.wait()
    return process.Daemon(name="sleeper", pid=pid, executable=sleep, log="", start_ticks=start_ticks)


def test_a_daemon_tied_to_its_parent_ends_when_the_parent_is_killed(tmp_path: Path) -> None:
    daemon = _orphan_after_parent_is_killed(tmp_path, die_with_parent=True)
    deadline = time.monotonic() + 5
    while process.is_running(daemon) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process.is_running(daemon)


def test_a_detached_daemon_outlives_its_parent(tmp_path: Path) -> None:
    daemon = _orphan_after_parent_is_killed(tmp_path, die_with_parent=False)
    try:
        time.sleep(0.3)
        assert process.is_running(daemon)
    finally:
        process.stop(daemon, timeout=5)
    assert not process.is_running(daemon)
