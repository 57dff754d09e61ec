"""Start the control plane's daemons detached from the caller and stop exactly those again.

A daemon is identified by its PID *and* its executable, so a PID the kernel has since handed
to an unrelated program is never signalled."""

from __future__ import annotations

import contextlib
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


def spawn(name: str, argv: Sequence[str], log_path: Path) -> Daemon:
    """Run `argv` in its own session (it outlives `otterhelm devcluster up`), output to `log_path`."""
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    return Daemon(name=name, pid=process.pid, executable=str(argv[0]), log=str(log_path))


def _reap(pid: int) -> None:
    # When the daemon is our own child (the pytest fixture), collect its exit status so it
    # does not linger as a zombie; for anyone else's child this is a no-op.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _executable_of(pid: int) -> str | None:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The state letter follows the command name in parentheses; Z is a dead process.
    if stat[stat.rfind(")") + 2 :].startswith("Z"):
        return None
    return cmdline.split(b"\0", 1)[0].decode(errors="replace")


def is_running(daemon: Daemon) -> bool:
    _reap(daemon.pid)
    return _executable_of(daemon.pid) == daemon.executable


def _signal(pid: int, signum: int) -> None:
    # It may have exited between the check and the signal.
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def stop(daemon: Daemon, timeout: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after `timeout`; returns once the process is gone."""
    if not is_running(daemon):
        return
    _signal(daemon.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(daemon):
            return
        time.sleep(0.05)
    if is_running(daemon):
        _signal(daemon.pid, signal.SIGKILL)
    while is_running(daemon):
        time.sleep(0.05)


def log_tail(daemon: Daemon, lines: int = 30) -> str:
    try:
        text = Path(daemon.log).read_text(errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
