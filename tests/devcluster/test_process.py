"""Daemons are stopped by PID only while the PID still runs the recorded executable."""

from __future__ import annotations

import shutil
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


def test_a_pid_running_another_program_is_left_alone(tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    assert sleep
    daemon = process.spawn("sleeper", [sleep, "60"], tmp_path / "sleeper.log")
    impostor = process.Daemon(name="etcd", pid=daemon.pid, executable="/nonexistent/etcd", log="")
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
