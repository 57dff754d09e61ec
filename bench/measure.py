"""Timing primitives shared by every figure: whole processes with their peak memory, medians
and spread, and ratios of two tools measured in the same interleaved rounds."""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class CommandFailed(RuntimeError):
    """A benchmarked command exited non-zero: its timing would measure an error path."""


@dataclass(frozen=True)
class ProcessSample:
    seconds: float
    returncode: int
    stderr: str


def run_process(
    command: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> ProcessSample:
    """Wall time of a whole process, from spawn to exit."""
    started = time.perf_counter()
    done = subprocess.run(
        list(command),
        cwd=cwd,
        env=None if env is None else dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    return ProcessSample(
        seconds=time.perf_counter() - started,
        returncode=done.returncode,
        stderr=done.stderr.decode("utf-8", "replace"),
    )


# Linux carries the resident high-water mark of the memory a process had before exec into its
# ru_maxrss, and a child forked (or vforked) from this process starts with this process's
# memory: a large benchmark process would be measured instead of the command. A fresh, small
# interpreter starts the command instead and reports the command's own peak.
_PEAK_LAUNCHER = """
import os, sys
quiet = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, status, usage = os.wait4(pid, 0)
sys.stdout.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


@dataclass(frozen=True)
class MemorySample:
    peak_rss_kib: int
    returncode: int


def peak_memory(
    command: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> MemorySample:
    """The command's own peak resident set (its ru_maxrss, from wait4 in a small launcher whose
    own size stays below any command worth measuring)."""
    launcher = [sys.executable, "-I", "-S", "-c", _PEAK_LAUNCHER, *command]
    done = subprocess.run(
        launcher,
        cwd=cwd,
        env=None if env is None else dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    fields = done.stdout.decode("utf-8", "replace").split()
    if done.returncode != 0 or len(fields) != 2:
        raise CommandFailed(f"{' '.join(command)}: launcher failed:\n{done.stderr.decode()[-2000:]}")
    return MemorySample(peak_rss_kib=int(fields[1]), returncode=int(fields[0]))


def checked(sample: ProcessSample, command: Sequence[str]) -> ProcessSample:
    if sample.returncode != 0:
        raise CommandFailed(f"{' '.join(command)} exited {sample.returncode}:\n{sample.stderr[-2000:]}")
    return sample


@dataclass(frozen=True)
class Spread:
    """Median with the minimum, maximum and quartiles of a set of samples."""

    median: float
    low: float
    high: float
    q1: float
    q3: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        if not samples:
            raise ValueError("no samples")
        ordered = sorted(samples)
        if len(ordered) >= 2:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
        else:
            q1 = q3 = ordered[0]
        return cls(statistics.median(ordered), ordered[0], ordered[-1], q1, q3, len(ordered))

    def scaled(self, factor: float) -> Spread:
        return Spread(
            self.median * factor,
            self.low * factor,
            self.high * factor,
            self.q1 * factor,
            self.q3 * factor,
            self.count,
        )


@dataclass(frozen=True)
class Comparison:
    """otterhelm against helm over the same interleaved rounds. `ratios` pairs round i of one
    with round i of the other, so drift within the run falls on both sides of each ratio."""

    ours: Spread
    helm: Spread
    ratio: Spread

    @classmethod
    def of(cls, ours: Sequence[float], helm: Sequence[float]) -> Comparison:
        if len(ours) != len(helm):
            raise ValueError("paired samples need the same number of rounds")
        return cls(
            Spread.of(ours), Spread.of(helm), Spread.of([o / h for o, h in zip(ours, helm, strict=True)])
        )


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 100 samples is the 99th smallest)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def peak_rss_kib(pid: int) -> int:
    """A running process's peak resident set so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")
