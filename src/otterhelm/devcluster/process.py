"""Start the control plane's daemons detached from the caller and stop exactly those again.

A daemon is identified by its PID *and* its executable, so a PID the kernel has since handed
to an unrelated program is never signalled."""

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
    return Daemon(name=name, pid=process.pid, executable=str(argv[0]), log=str(log_path))


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


def _executable_of(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The state letter follows the command name in parentheses; Z is a dead process whose
    # parent has not collected it yet.
    if stat[stat.rfind(")") + 2 :].startswith("Z"):
        return None
    return cmdline.split(b"\0", 1)[0].decode(errors="replace")


def is_running(daemon: Daemon) -> bool:
    return _executable_of(daemon.pid) == daemon.executable


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
