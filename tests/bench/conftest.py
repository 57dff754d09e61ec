"""The benchmark lives in the checkout's top-level `bench` package, which is not installed:
make it importable the way `python -m bench` finds it from the repository root."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = str(Path(__file__).resolve().parents[2])
if REPO not in sys.path:
    sys.path.insert(0, REPO)
