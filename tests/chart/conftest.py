"""Fixtures for chart tests: helm's testdata charts (pkg/chart/v2/loader/testdata,
pkg/chart/v2/util/testdata, pkg/ignore/testdata) copied to a temporary directory, where
every directory named `*.tgz` (an archive's contents) is packed into a real gzip tarball,
innermost first, as `helm package` would have made it."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest

TESTDATA = Path(__file__).parent / "testdata"


def pack_directory(source: Path) -> bytes:
    """A deterministic .tgz of `source`'s contents (paths relative to `source`)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        for path in sorted(source.rglob("*")):
            if path.is_dir():
                continue
            data = path.read_bytes()
            info = tarfile.TarInfo(path.relative_to(source).as_posix())
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def pack_archives(root: Path) -> None:
    """Replace each `*.tgz` directory under root (deepest first) with the archive it holds."""
    archive_dirs = sorted(
        (p for p in root.rglob("*.tgz") if p.is_dir()), key=lambda p: len(p.parts), reverse=True
    )
    for directory in archive_dirs:
        data = pack_directory(directory)
        shutil.rmtree(directory)
        directory.write_bytes(data)


@pytest.fixture(scope="session")
def testdata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("testdata")
    shutil.copytree(TESTDATA, root, dirs_exist_ok=True)
    pack_archives(root)
    return root
