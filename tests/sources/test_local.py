"""Local charts: only under allowed directories (symlinks resolved first), archives and
chart directories."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm.errors import NotFound, PermissionDenied, ResourceExhausted
from otterhelm.sources import ChartSources, Limits, SourcesConfig
from otterhelm.sources.archive import load_archive


def resolve(config: SourcesConfig, ref: str) -> Any:
    async def go() -> Any:
        async with ChartSources(config) as sources:
            return await sources.resolve(ref)

    return asyncio.run(go())


def test_archive_under_allowed_root(tmp_path: Path, make_chart: Callable[..., bytes]) -> None:
    root = tmp_path / "charts"
    root.mkdir()
    archive = make_chart("local", "1.0.0")
    (root / "local-1.0.0.tgz").write_bytes(archive)
    config = SourcesConfig(local_roots=(root,))
    resolved = resolve(config, str(root / "local-1.0.0.tgz"))
    assert (resolved.archive, resolved.ref) == (archive, str(root / "local-1.0.0.tgz"))
    assert resolve(config, f"file://{root}/local-1.0.0.tgz").archive == archive
    with pytest.raises(NotFound):
        resolve(config, str(root / "absent.tgz"))
    with pytest.raises(ResourceExhausted):
        resolve(
            SourcesConfig(local_roots=(root,), limits=Limits(max_archive_bytes=10)),
            str(root / "local-1.0.0.tgz"),
        )


def test_escapes_are_refused(tmp_path: Path, make_chart: Callable[..., bytes]) -> None:
    root = tmp_path / "charts"
    root.mkdir()
    outside = tmp_path / "secret-1.0.0.tgz"
    outside.write_bytes(make_chart("secret", "1.0.0"))
    (root / "link.tgz").symlink_to(outside)
    config = SourcesConfig(local_roots=(root,))
    for ref in (str(outside), str(root / "link.tgz"), f"{root}/../secret-1.0.0.tgz", "/etc/passwd"):
        with pytest.raises(PermissionDenied):
            resolve(config, ref)
    sibling = tmp_path / "charts-other"
    sibling.mkdir()
    (sibling / "x.tgz").write_bytes(make_chart("x", "1.0.0"))
    with pytest.raises(PermissionDenied):
        resolve(config, str(sibling / "x.tgz"))


def test_chart_directory_is_packaged(tmp_path: Path) -> None:
    chart_dir = tmp_path / "charts" / "mychart"
    (chart_dir / "templates").mkdir(parents=True)
    (chart_dir / "Chart.yaml").write_text("apiVersion: v2\nname: mychart\nversion: 0.5.0\n")
    (chart_dir / "values.yaml").write_text("a: 1\n")
    (chart_dir / "templates" / "cm.yaml").write_text("kind: ConfigMap\n")
    (chart_dir / "notes.bak").write_text("ignored\n")
    (chart_dir / ".helmignore").write_text("*.bak\n")
    resolved = resolve(SourcesConfig(local_roots=(tmp_path / "charts",)), str(chart_dir))
    assert resolved.version == "0.5.0"
    repacked = load_archive(resolved.archive, "repacked")
    assert sorted(f.name for f in repacked.raw) == [
        ".helmignore",
        "Chart.yaml",
        "templates/cm.yaml",
        "values.yaml",
    ]
    assert repacked.values == {"a": 1}
