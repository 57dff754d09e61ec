"""Loading rendered documents just far enough to read their heads, quickly.

Every rendered document is parsed once to find its kind and hook annotations, so this sits on
the hot path of `otterhelm template`. libyaml (PyYAML's C loader) does the common case; a
document libyaml rejects goes through otterhelm's go-yaml-compatible loader, whose verdict
(and error text, `yaml: line N: ...`) is the one Helm would give.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import yaml


class _HeadLoader(yaml.CSafeLoader):
    """libyaml with YAML 1.1 resolution as go-yaml v2 does it for heads: timestamps stay strings."""


_HeadLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def _fallback_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark is not None else 1
    problem = re.sub(r"\s+", " ", problem)
    return f"yaml: line {line}: {problem}"


class HeadYamlError(ValueError):
    """A document is not YAML; str() is go-yaml's message."""


def load_head_yaml(document: str) -> Any:
    try:
        return yaml.load(document, Loader=_HeadLoader)
    except yaml.YAMLError as fast_error:
        try:
            go_yaml = importlib.import_module("otterhelm.codec.yaml")
        except ImportError:
            raise HeadYamlError(_fallback_error(fast_error)) from fast_error
        try:
            return go_yaml.load(document)
        except Exception as exc:
            raise HeadYamlError(str(exc)) from exc
