"""Discovery documents kept between actions, in memory and on disk."""

from __future__ import annotations

from pathlib import Path

from otterhelm.release.actions.discoverycache import DiskDocumentCache, MemoryDocumentCache


def test_memory_cache_keeps_documents_for_its_time_to_live() -> None:
    now = [100.0]
    cache = MemoryDocumentCache(ttl_seconds=10, clock=lambda: now[0])
    assert cache.get("/api") is None
    cache.put("/api", {"versions": ["v1"]})
    now[0] += 10
    assert cache.get("/api") == {"versions": ["v1"]}
    now[0] += 0.5
    assert cache.get("/api") is None
    cache.put("/api", {"versions": ["v1", "v2"]})
    assert cache.get("/api") == {"versions": ["v1", "v2"]}


def test_disk_cache_round_trips_and_ignores_broken_files(tmp_path: Path) -> None:
    cache = DiskDocumentCache(tmp_path / "discovery")
    assert cache.get("/apis") is None
    cache.put("/apis", {"groups": []})
    assert DiskDocumentCache(tmp_path / "discovery").get("/apis") == {"groups": []}
    for file in (tmp_path / "discovery").iterdir():
        file.write_text("{not json")
    assert cache.get("/apis") is None
    assert DiskDocumentCache(tmp_path / "discovery", ttl_seconds=-1).get("/apis") is None
