"""What the benchmark ran on, written at the top of the document so figures from different
machines are never compared by accident."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Machine:
    cpu_model: str
    cores: int
    memory_gib: float
    load_average: tuple[float, float, float]
    kernel: str
    python: str
    helm: str
    otterhelm_commit: str
    kube_apiserver: str
    started_utc: str


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    except OSError:
        pass
    return 0.0


def command_output(command: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=30)
    except OSError:
        return "unavailable"
    return done.stdout.strip() or "unavailable"


def describe(helm: Path, repo: Path, kube_apiserver: str = "not started") -> Machine:
    load = os.getloadavg()
    return Machine(
        cpu_model=cpu_model(),
        cores=os.cpu_count() or 0,
        memory_gib=memory_gib(),
        load_average=(load[0], load[1], load[2]),
        kernel=platform.release(),
        python=platform.python_version(),
        helm=command_output([str(helm), "version", "--template", "{{.Version}}"]),
        otterhelm_commit=command_output(["git", "rev-parse", "--short", "HEAD"], cwd=repo),
        kube_apiserver=kube_apiserver,
        started_utc=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
