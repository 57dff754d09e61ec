"""The on-disk archive cache: keyed by sha256, verified on read, capped in size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from otterhelm.errors import InvalidArgument
from otterhelm.sources.cache import (
    ArchiveCache,
    DigestMismatch,
    normalize_digest,
    sha256_digest,
    verify_digest,
)


def test_put_get_round_trip(tmp_path: Path) -> None:
    cache = ArchiveCache(tmp_path, max_bytes=1000)
    digest = cache.put(b"chart bytes")
    assert digest == sha256_digest(b"chart bytes")
    assert cache.get(digest) == b"chart bytes"
    assert cache.get(digest.removeprefix("sha256:")) == b"chart bytes"
    assert cache.get(sha256_digest(b"other")) is None


def test_corrupted_entry_is_dropped(tmp_path: Path) -> None:
    cache = ArchiveCache(tmp_path, max_bytes=1000)
    digest = cache.put(b"original")
    path = tmp_path / (digest.replace(":", "-") + ".tgz")
    path.write_bytes(b"tampered")
    assert cache.get(digest) is None
    assert not path.exists()


def test_size_cap_evicts_least_recently_used(tmp_path: Path) -> None:
    cache = ArchiveCache(tmp_path, max_bytes=250)
    digests = []
    for i in range(3):
        digests.append(cache.put(bytes([i]) * 100))
        path = tmp_path / (digests[-1].replace(":", "-") + ".tgz")
        os.utime(path, (1000 + i, 1000 + i))
    assert cache.size() <= 250
    assert cache.get(digests[0]) is None
    assert cache.get(digests[2]) is not None
    # an archive larger than the whole cache is not stored
    big = cache.put(b"x" * 300)
    assert cache.get(big) is None


def test_digest_checks() -> None:
    data = b"abc"
    hexdigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert verify_digest(data, hexdigest, "x") == "sha256:" + hexdigest
    assert verify_digest(data, "sha256:" + hexdigest.upper(), "x") == "sha256:" + hexdigest
    assert verify_digest(data, None, "x") == "sha256:" + hexdigest
    with pytest.raises(DigestMismatch, match="expected sha256:0000"):
        verify_digest(data, "0" * 64, "x")
    with pytest.raises(InvalidArgument):
        normalize_digest("md5:abc")
