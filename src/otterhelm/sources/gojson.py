"""Compact JSON written byte for byte as Go's encoding/json writes it (field order as given,
`<`, `>`, `&`, U+2028 and U+2029 escaped), so digests of what we push match Helm's."""

from __future__ import annotations

import json
from typing import Any

_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_json(value: Any) -> bytes:
    """`value`'s dicts keep their insertion order: callers pass struct fields in declaration
    order and sort map keys themselves, as Go does."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escape in _GO_ESCAPES.items():
        text = text.replace(char, escape)
    return text.encode()
