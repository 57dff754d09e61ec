"""Start the control plane's daemons detached from the caller and stop exactly those again.

A daemon is identified by its PID *and* its start time, so a PID the kernel has since handed
to another process is never signalled."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Daemon:
    name: str
    pid: int
    executable: str
    log: str
    start_ticks: int = -1


PR_SET_PDEATHSIG = 1


def _terminate_when_parent_dies() -> None:
    # Runs in the child between fork and exec: if the test session that started the daemon is
    # killed outright, the kernel sends SIGTERM instead of leaving an orphaned control plane.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(name: str, argv: Sequence[str], log_path: Path, *, die_with_parent: bool = False) -> Daemon:
    """Run `argv` in its own session, output to `log_path`. It outlives the caller (as
    `otterhelm devcluster up` needs) unless `die_with_parent`."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
            preexec_fn=_terminate_when_parent_dies if die_with_parent else None,
        )
    status = _proc_status(process.pid)
    return Daemon(
        name=name,
        pid=process.pid,
        executable=str(argv[0]),
        log=str(log_path),
        start_ticks=status[1] if status else -1,
    )


def exit_status(daemon: Daemon) -> str | None:
    """How the daemon ended ("exit code 1", "killed by signal 9"), collecting the status when
    it is our own child (the pytest fixture, or `up` while it waits) so no zombie is left.
    None when it is still running or is not our child."""
    try:
        pid, status = os.waitpid(daemon.pid, os.WNOHANG)
    except ChildProcessError:
        return None
    if pid == 0:
        return None
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _proc_status(pid: int) -> tuple[str, int] | None:
    """The process's state letter and start time (clock ticks after boot), or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # Fields after the parenthesised command name: state is field 3, starttime field 22.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[0], int(fields[19])


def is_running(daemon: Daemon) -> bool:
    """Alive and still the process that was spawned. A zombie (dead, not yet collected by
    its parent) counts as stopped."""
    status = _proc_status(daemon.pid)
    return status is not None and status[0] != "Z" and status[1] == daemon.start_ticks


def _signal(pid: int, signum: int) -> None:
    # It may have exited between the check and the signal.
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def stop(daemon: Daemon, timeout: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after `timeout`; returns once the process is gone."""
    if is_running(daemon):
        _signal(daemon.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while is_running(daemon) and time.monotonic() < deadline:
            time.sleep(0.05)
        if is_running(daemon):
            _signal(daemon.pid, signal.SIGKILL)
        while is_running(daemon):
            time.sleep(0.05)
    exit_status(daemon)


def log_tail(daemon: Daemon, lines: int = 30) -> str:
    try:
        text = Path(daemon.log).read_text(errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
