"""The private cache directory: trust, entries, and how it is kept within bounds."""

from __future__ import annotations

import os
from pathlib import Path

from otterhelm.cachedir import PrivateDirectory, prune_if_due, stable_digest

DAY = 24 * 3600.0
NOW = 2_000_000_000.0


def _entry(directory: Path, key: str, size: int, used: float) -> Path:
    PrivateDirectory(directory).write(key, b"x" * size)
    path = Path(PrivateDirectory(directory).path(key))
    os.utime(path, (used, used))
    return path


def test_entries_round_trip_and_an_open_directory_is_not_trusted(tmp_path: Path) -> None:
    cache = PrivateDirectory(tmp_path / "c")
    cache.write("abcdef", b"data")
    assert cache.read("abcdef") == b"data" and cache.read("abzzzz") is None
    (tmp_path / "open").mkdir()
    os.chmod(tmp_path / "open", 0o777)
    shared = PrivateDirectory(tmp_path / "open")
    shared.write("abcdef", b"data")
    assert shared.read("abcdef") is None and not (tmp_path / "open" / "ab").exists()


def test_a_write_replaces_what_an_interrupted_write_left(tmp_path: Path) -> None:
    from _thread import get_ident

    cache = PrivateDirectory(tmp_path / "c")
    cache.write("abcdef", b"old")
    left = f"{cache.path('abcdef')}.{os.getpid()}.{get_ident()}"
    Path(left).write_bytes(b"half")  # as if this process's name had been used by one that died
    cache.write("abcdef", b"new")
    assert cache.read("abcdef") == b"new" and not os.path.exists(left)
    cache.write("zz0001", b"fresh directory")
    assert cache.read("zz0001") == b"fresh directory"
    assert oct(os.stat(tmp_path / "c" / "zz").st_mode & 0o777) == oct(0o700)


def test_stable_digest_is_the_same_in_every_process() -> None:
    # FNV-1a 64 test vectors (the empty string, "a").
    assert stable_digest("") == "cbf29ce484222325"
    assert stable_digest("a") == "af63dc4c8601ec8c"
    assert len({stable_digest(str(n)) for n in range(1000)}) == 1000


def test_prune_drops_entries_unused_for_a_month_and_the_least_recent_beyond_the_size(tmp_path: Path) -> None:
    old = _entry(tmp_path, "aa01", 10, NOW - 31 * DAY)
    recent = [_entry(tmp_path, f"bb{i:02d}", 100, NOW - i * DAY) for i in range(5)]
    removed = prune_if_due(tmp_path, now=NOW, max_bytes=300)
    assert removed == 3
    assert not old.exists()
    assert [p.exists() for p in recent] == [True, True, True, False, False]


def test_prune_runs_at_most_once_a_day(tmp_path: Path) -> None:
    assert prune_if_due(tmp_path, now=NOW) == 0
    stale = _entry(tmp_path, "cc01", 10, NOW - 40 * DAY)
    assert prune_if_due(tmp_path, now=NOW + DAY / 2) == 0 and stale.exists()
    assert prune_if_due(tmp_path, now=NOW + DAY + 1) == 1 and not stale.exists()
