"""Charts from the server's file system, only under the directories the configuration allows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from otterhelm.errors import NotFound, PermissionDenied, ResourceExhausted


def allowed_path(path: PurePosixPath, roots: Sequence[Path]) -> Path:
    """`path` with symlinks resolved, when it lies under one of `roots` (also resolved);
    PermissionDenied otherwise, so a symlink cannot lead out of an allowed directory."""
    if not roots:
        raise PermissionDenied("local chart paths are not allowed by the configuration")
    real = Path(os.path.realpath(path))
    for root in roots:
        real_root = Path(os.path.realpath(root))
        if real == real_root or real.is_relative_to(real_root):
            return real
    raise PermissionDenied(f"{path} is not under a directory allowed for local charts")


def read_local_archive(
    path: PurePosixPath, roots: Sequence[Path], max_bytes: int
) -> tuple[Path, bytes | None]:
    """The resolved path and, for a file, its bytes (None for a chart directory)."""
    real = allowed_path(path, roots)
    if real.is_dir():
        return real, None
    if not real.is_file():
        raise NotFound(f"local chart {path} does not exist")
    size = real.stat().st_size
    if size > max_bytes:
        raise ResourceExhausted(f"local chart {path} is {size} bytes, more than the limit of {max_bytes}")
    return real, real.read_bytes()
