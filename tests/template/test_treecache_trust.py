"""The disk tree cache holds code that is run, so it must refuse a directory others can write to."""

import os
from pathlib import Path

from otterhelm.template.nodes import Source
from otterhelm.template.tree import Tree
from otterhelm.template.treecache import DiskTreeCache


def _roundtrip(directory: Path) -> dict[str, Tree] | None:
    from otterhelm.template import TemplateSet

    ts = TemplateSet()
    ts.parse("t", "hello {{ . }}")
    tree = ts.template("t")
    cache = DiskTreeCache(directory)
    cache.put("ab" + "0" * 62, {"t": tree})
    cache.flush()
    return DiskTreeCache(directory).get("ab" + "0" * 62, Source("t", "hello {{ . }}"), lambda: {"t": tree})


def test_private_directory_is_used(tmp_path: Path) -> None:
    directory = tmp_path / "private"
    got = _roundtrip(directory)
    assert got is not None and set(got) == {"t"}
    assert directory.stat().st_mode & 0o777 == 0o700


def test_group_writable_directory_is_ignored(tmp_path: Path) -> None:
    directory = tmp_path / "shared"
    directory.mkdir()
    os.chmod(directory, 0o777)
    assert _roundtrip(directory) is None
    assert not any(directory.iterdir())
