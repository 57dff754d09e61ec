"""Reading YAML the way Helm does: sigs.k8s.io/yaml.Unmarshal over go-yaml v2.

yaml_compose builds the node graph from libyaml's events; this module then decodes the nodes with go-yaml v2's rules (YAML 1.1 resolution, merge keys, last duplicate
key wins) and applies the JSON round trip sigs.k8s.io/yaml adds: map keys become strings the
way it formats them, and every number becomes a float64.
"""

from __future__ import annotations

import base64
import binascii

import yaml as pyyaml

from otterhelm.codec.depth import deep_recursion
from otterhelm.codec.errors import YamlError
from otterhelm.codec.gofloat import format_g
from otterhelm.codec.yaml_compose import PLAIN_TAG as _PLAIN_TAG
from otterhelm.codec.yaml_compose import compose_first_document, compose_with_events
from otterhelm.codec.yaml_resolve import NonFiniteNumber, Tag, json_scalar, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_YAML_TAG = "tag:yaml.org,2002:"
_INT64_MAX = (1 << 63) - 1
_ALIAS_RATIO_LOW = 400_000
_ALIAS_RATIO_HIGH = 4_000_000
_MERGE_NEEDS_MAP = "map merge requires map or sequence of maps as the value"


class _GoValueError(Exception):
    """A decoding error inside go-yaml (message without the `yaml: ` prefix)."""


class _SelfContaining(Exception):
    """A collection reached again inside itself: an alias within its own anchor's value."""


class _JsonConversionError(Exception):
    """An error sigs.k8s.io/yaml reports while turning the YAML value into JSON."""


class _Decoder:
    """go-yaml v2 decoding into interface{}, then sigs.k8s.io/yaml's JSON conversion
    (skipped with `keep_numbers`, which leaves go-yaml's ints and floats as they are)."""

    def __init__(self, keep_numbers: bool = False) -> None:
        self.keep_numbers = keep_numbers
        # go-yaml's guard against alias bombs: decode operations, those made while expanding
        # an alias, and the nodes met so far (a node met again was reached through an alias).
        self.decode_count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()

    def value(self, node: pyyaml.Node) -> Any:
        self.decode_count += 1
        if self.alias_depth:
            self.alias_count += 1
            self.check_aliasing()
        if self.alias_depth or id(node) in self.seen:
            self.alias_depth += 1
            try:
                return self.node_value(node)
            finally:
                self.alias_depth -= 1
        self.seen.add(id(node))
        return self.node_value(node)

    def check_aliasing(self) -> None:
        count = self.decode_count
        if self.alias_count <= 100 or count <= 1000:
            return
        if count <= _ALIAS_RATIO_LOW:
            allowed = 0.99
        elif count >= _ALIAS_RATIO_HIGH:
            allowed = 0.10
        else:
            allowed = 0.99 - 0.89 * (count - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW)
        if self.alias_count / count > allowed:
            raise _GoValueError("document contains excessive aliasing")

    def node_value(self, node: pyyaml.Node) -> Any:
        if isinstance(node, pyyaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise _SelfContaining
        self.active.add(id(node))
        try:
            if isinstance(node, pyyaml.SequenceNode):
                return [self.value(child) for child in node.value]
            assert isinstance(node, pyyaml.MappingNode)
            return self.mapping(node)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: pyyaml.ScalarNode) -> Any:
        text: str = node.value
        tag: str = node.tag
        if tag == _YAML_TAG + "str":
            return text
        if tag == _PLAIN_TAG:
            resolved_tag, resolved = resolve(text)
        elif tag.startswith(_YAML_TAG) and tag[len(_YAML_TAG) :] in (
            "bool",
            "int",
            "float",
            "null",
            "timestamp",
        ):
            resolved_tag, resolved = self.explicit(tag[len(_YAML_TAG) :], text)
        elif tag == _YAML_TAG + "binary":
            return self.binary(text)
        else:
            return text
        return self.json_scalar(resolved_tag, resolved, text)

    @staticmethod
    def explicit(wanted: str, text: str) -> tuple[Tag, Any]:
        resolved_tag, resolved = resolve(text)
        if resolved_tag.value == wanted:
            return resolved_tag, resolved
        if wanted == "float" and resolved_tag is Tag.INT:
            return Tag.FLOAT, float(resolved)
        raise _GoValueError(f"cannot decode !!{resolved_tag.value} `{text}` as a !!{wanted}")

    @staticmethod
    def binary(text: str) -> str:
        try:
            data = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise _GoValueError("!!binary value contains invalid base64 data") from None
        return data.decode("utf-8", errors="replace")

    def json_scalar(self, tag: Tag, resolved: Any, text: str) -> Any:
        if self.keep_numbers and (tag is Tag.INT or tag is Tag.FLOAT):
            return resolved
        try:
            return json_scalar(tag, resolved, text)
        except NonFiniteNumber as error:
            raise _JsonConversionError(f"json: unsupported value: {format_g(error.number)}") from None

    def mapping(self, node: pyyaml.MappingNode) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.fill_mapping(node, out)
        return out

    def fill_mapping(self, node: pyyaml.MappingNode, out: dict[str, Any]) -> None:
        for key_node, value_node in node.value:
            if self.is_merge(key_node):
                self.merge(value_node, out)
                continue
            key = self.key(key_node, value_node)
            out[key] = self.value(value_node)

    @staticmethod
    def is_merge(node: pyyaml.Node) -> bool:
        return (
            isinstance(node, pyyaml.ScalarNode)
            and node.value == "<<"
            and node.tag in (_PLAIN_TAG, _YAML_TAG + "merge")
        )

    def merge(self, node: pyyaml.Node, out: dict[str, Any]) -> None:
        if isinstance(node, pyyaml.MappingNode):
            self.fill_mapping(node, out)
        elif isinstance(node, pyyaml.SequenceNode):
            # Earlier maps take precedence, so go-yaml applies them last.
            for child in reversed(node.value):
                if not isinstance(child, pyyaml.MappingNode):
                    raise _GoValueError(_MERGE_NEEDS_MAP)
                self.fill_mapping(child, out)
        else:
            raise _GoValueError(_MERGE_NEEDS_MAP)

    def key(self, node: pyyaml.Node, value_node: pyyaml.Node) -> str:
        if not isinstance(node, pyyaml.ScalarNode):
            raw_key = _Decoder(keep_numbers=True).value(node)
            raise _GoValueError(f"invalid map key: {go_syntax(raw_key)}")
        text: str = node.value
        if node.tag == _PLAIN_TAG:
            tag, resolved = resolve(text)
        elif node.tag.startswith(_YAML_TAG) and node.tag[len(_YAML_TAG) :] in (
            "bool",
            "int",
            "float",
            "null",
        ):
            tag, resolved = self.explicit(node.tag[len(_YAML_TAG) :], text)
        elif node.tag == _YAML_TAG + "binary":
            return self.binary(text)
        else:
            return text
        if tag is Tag.STR or tag is Tag.TIMESTAMP or tag is Tag.MERGE:
            return text if tag is not Tag.STR else str(resolved)
        if tag is Tag.BOOL:
            return "true" if resolved else "false"
        if tag is Tag.INT:
            if resolved > _INT64_MAX:
                raw_value = go_syntax(_Decoder(keep_numbers=True).value(value_node))
                raise _JsonConversionError(
                    f"unsupported map key of type: uint64, key: 0x{resolved:x}, value: {raw_value}"
                )
            return str(resolved)
        if tag is Tag.FLOAT:
            special = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}
            formatted = format_g(resolved, single=True)
            return special.get(formatted, formatted)
        raw_value = go_syntax(_Decoder(keep_numbers=True).value(value_node))
        raise _JsonConversionError(f"unsupported map key of type: %!s(<nil>), key: <nil>, value: {raw_value}")


def go_syntax(value: Any) -> str:
    """fmt's %#v for the values go-yaml decodes into interface{} (error messages only)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_g(value)
    if isinstance(value, str):
        import json  # on first use: Go-syntax strings are only printed for error messages

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(item) for item in value) + "}"
    if isinstance(value, dict):
        items = ", ".join(f"{go_syntax(key)}:{go_syntax(item)}" for key, item in value.items())
        return "map[interface {}]interface {}{" + items + "}"
    return str(value)


def decode(text: str) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &interface{}) as a Python value.

    Raises YamlError with the message Go's wrapper gives
    (`error converting YAML to JSON: yaml: line 2: ...`)."""
    try:
        node = compose_first_document(text)
    except YamlError as error:
        raise YamlError(f"error converting YAML to JSON: {error}") from None
    if node is None:
        return None
    try:
        with deep_recursion():
            return _Decoder().value(node)
    except _GoValueError as error:
        raise YamlError(f"error converting YAML to JSON: yaml: {error}") from None
    except _JsonConversionError as error:
        raise YamlError(f"error converting YAML to JSON: {error}") from None
    except _SelfContaining:
        # libyaml's composer built the cycle; the event composer names the anchor as Go does.
        try:
            compose_with_events(text)
        except YamlError as error:
            raise YamlError(f"error converting YAML to JSON: {error}") from None
        raise YamlError("error converting YAML to JSON: yaml: anchor value contains itself") from None


def decode_json_as_yaml(text: str) -> Any:
    """go-yaml v2 reading JSON text into interface{} (sigs.k8s.io/yaml's JSONToYAML step):
    numbers keep go-yaml's int or float type."""
    node = compose_first_document(text)
    if node is None:
        return None
    with deep_recursion():
        return _Decoder(keep_numbers=True).value(node)
