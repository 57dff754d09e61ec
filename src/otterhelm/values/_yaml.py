"""Private YAML/JSON decoding for values until the codec package provides
`otterhelm.codec.yaml.load_values` and `otterhelm.codec.json.load`.

Semantics follow sigs.k8s.io/yaml as Helm uses it: YAML 1.1 scalars, every number a
float64, keys as strings, timestamps left as strings."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

from otterhelm.errors import InvalidArgument

_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _GoYamlLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    pass


def _construct_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    if node.tag.endswith(":int"):
        return float(yaml.SafeLoader.construct_yaml_int(loader, node))
    return float(yaml.SafeLoader.construct_yaml_float(loader, node))


def _construct_plain(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return _format_float_key(key)
    if key is None:
        return "null"
    return str(key)


def _format_float_key(value: float) -> str:
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if math.isnan(value):
        return ".nan"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[_json_key(key)] = loader.construct_object(value_node, deep=True)
    return out


_GoYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_number)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_number)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:binary", _construct_plain)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_GoYamlLoader.add_constructor("tag:yaml.org,2002:omap", _construct_mapping)


class YamlError(InvalidArgument):
    """A YAML document that does not decode."""


def _problem_text(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    if mark is not None:
        return f"yaml: line {mark.line + 1}: {problem}"
    return f"yaml: {problem}"


def load(text: str | bytes) -> Any:
    try:
        return yaml.load(text, Loader=_GoYamlLoader)
    except yaml.YAMLError as err:
        raise YamlError(f"error converting YAML to JSON: {_problem_text(err)}") from None


_DOC_SEPARATOR = re.compile(r"^---")


def split_documents(text: str) -> list[str]:
    """k8s.io/apimachinery YAMLReader: documents split on lines starting with `---`;
    only spaces or a comment may follow the separator."""
    docs: list[str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise YamlError(f"error reading yaml document: invalid Yaml document separator: {rest}")
            if current:
                docs.append("".join(current))
                current = []
            continue
        current.append(line)
    if current:
        docs.append("".join(current))
    return docs


def load_values(text: str | bytes) -> dict[str, Any]:
    """Helm v4 LoadValues: every document must be a map (or empty); they are merged in order."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if text and not text.endswith("\n"):
        text += "\n"
    values: dict[str, Any] = {}
    for doc in split_documents(text):
        try:
            current = load(doc)
        except YamlError as err:
            raise YamlError(f"cannot unmarshal yaml document: {err}") from None
        if current is None:
            continue
        if not isinstance(current, dict):
            raise YamlError(
                "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: "
                f"json: cannot unmarshal {_json_kind(current)} into Go value of type map[string]interface {{}}"
            )
        values = merge_maps(values, current)
    return values


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm loader.MergeMaps: b wins; nested maps merge; `a` is not modified."""
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, dict):
            existing = out.get(key)
            if isinstance(existing, dict):
                out[key] = merge_maps(existing, value)
                continue
        out[key] = value
    return out


def _json_number(text: str) -> float:
    return float(text)


def load_json(text: str) -> Any:
    """encoding/json into interface{}: numbers are float64."""
    return json.loads(text, parse_int=_json_number, parse_float=_json_number)
