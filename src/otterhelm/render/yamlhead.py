"""Loading rendered documents to read their heads.

Every rendered document is parsed once to find its kind and hook annotations, exactly as
Helm does it (sigs.k8s.io/yaml over go-yaml v2), so that a document Helm rejects is
rejected here with the same message (`yaml: line N: ...`). otterhelm's codec does that, and
measured on large charts it is also faster than PyYAML's constructor.
"""

from __future__ import annotations

from typing import Any

from otterhelm.codec import yaml as go_yaml


def load_head_yaml(document: str) -> Any:
    """sigs.k8s.io/yaml.Unmarshal of one document into interface{}; raises with Go's text."""
    return go_yaml.load(document)
