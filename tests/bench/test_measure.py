"""The statistics and process measurement the benchmark's figures rest on."""

from __future__ import annotations

import os
import sys

import pytest

from bench.measure import (
    CommandFailed,
    Comparison,
    Spread,
    checked,
    peak_memory,
    peak_rss_kib,
    percentile,
    run_process,
)


def test_spread_of_odd_samples() -> None:
    spread = Spread.of([3.0, 1.0, 2.0, 10.0, 4.0])
    assert (spread.median, spread.low, spread.high, spread.count) == (3.0, 1.0, 10.0, 5)
    assert (spread.q1, spread.q3) == (2.0, 4.0)


def test_spread_of_one_sample_is_that_sample() -> None:
    assert Spread.of([0.5]) == Spread(0.5, 0.5, 0.5, 0.5, 0.5, 1)


def test_spread_needs_samples() -> None:
    with pytest.raises(ValueError):
        Spread.of([])


def test_comparison_pairs_rounds() -> None:
    # Round 2 ran on a slower machine for both tools: the paired ratio stays 0.5.
    comparison = Comparison.of([1.0, 2.0, 1.0], [2.0, 4.0, 2.0])
    assert comparison.ratio == Spread(0.5, 0.5, 0.5, 0.5, 0.5, 3)
    assert comparison.ours.median == 1.0 and comparison.helm.median == 2.0


def test_comparison_refuses_unpaired_rounds() -> None:
    with pytest.raises(ValueError):
        Comparison.of([1.0], [1.0, 2.0])


def test_percentile_is_nearest_rank() -> None:
    samples = [float(i) for i in range(1, 101)]
    assert percentile(samples, 0.5) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0


TOUCH_64_MIB = "b = bytearray(64 << 20); b[::4096] = b'x' * len(b[::4096])"


def test_peak_memory_is_the_commands_own_not_the_parents() -> None:
    # This process holds 256 MiB while it measures a child that touches 64 MiB: the figure must
    # be the child's (a plain fork-and-wait4 would report the parent's 256 MiB).
    ballast = bytearray(256 << 20)
    ballast[::4096] = b"x" * len(ballast[::4096])
    sample = peak_memory([sys.executable, "-c", TOUCH_64_MIB])
    assert sample.returncode == 0
    assert 64 * 1024 <= sample.peak_rss_kib < 128 * 1024
    del ballast


def test_peak_memory_reports_the_exit_code_and_hides_output() -> None:
    sample = peak_memory([sys.executable, "-c", "print('x' * 100000); raise SystemExit(4)"])
    assert sample.returncode == 4


def test_run_process_times_the_whole_process() -> None:
    sample = run_process([sys.executable, "-c", "import time; time.sleep(0.2)"])
    assert sample.returncode == 0
    assert 0.2 <= sample.seconds < 5


def test_checked_raises_with_stderr() -> None:
    command = [sys.executable, "-c", "import sys; sys.stderr.write('broken'); sys.exit(3)"]
    sample = run_process(command)
    assert sample.returncode == 3
    with pytest.raises(CommandFailed, match="exited 3:\nbroken"):
        checked(sample, command)


def test_peak_rss_of_a_running_process() -> None:
    assert peak_rss_kib(os.getpid()) > 1024
