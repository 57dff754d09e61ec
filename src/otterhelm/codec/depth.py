"""Nesting depth: go-yaml's limit and room on the Python stack to honour it.

go-yaml refuses nesting beyond 10000 levels; anything up to that must decode, encode and
emit. Composing is iterative; decoding and encoding recurse in Python under a raised
recursion limit (Python 3.11 calls between Python functions do not grow the C stack).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

GO_YAML_MAX_DEPTH = 10000
_DEEP_RECURSION_LIMIT = 12 * GO_YAML_MAX_DEPTH


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Room for recursion over GO_YAML_MAX_DEPTH levels of nesting."""
    previous = sys.getrecursionlimit()
    if previous < _DEEP_RECURSION_LIMIT:
        sys.setrecursionlimit(_DEEP_RECURSION_LIMIT)
    try:
        yield
    finally:
        if previous < _DEEP_RECURSION_LIMIT:
            sys.setrecursionlimit(previous)
