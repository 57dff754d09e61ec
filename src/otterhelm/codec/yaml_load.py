"""Reading YAML the way Helm does: sigs.k8s.io/yaml.Unmarshal over go-yaml v2.

libyaml (PyYAML's C parser) scans, parses and composes the node graph; this module then
decodes the nodes with go-yaml v2's rules (YAML 1.1 resolution, merge keys, last duplicate
key wins) and applies the JSON round trip sigs.k8s.io/yaml adds: map keys become strings the
way it formats them, and every number becomes a float64.
"""

from __future__ import annotations

import base64
import binascii
import json as _pyjson
import math
import re
from typing import Any

import yaml as pyyaml

from otterhelm.codec.errors import YamlError
from otterhelm.codec.gofloat import format_g
from otterhelm.codec.yaml_resolve import Tag, resolve

_PLAIN_TAG = "!otterhelm/plain"
# Text libyaml would read differently from go-yaml v2 (see _PythonNodeLoader).
_LIBYAML_DIFFERS = re.compile(r"\\/|(?:^|[\s\[{,])!(?:\s|$)")
_YAML_TAG = "tag:yaml.org,2002:"
_INT64_MAX = (1 << 63) - 1
_ALIAS_RATIO_LOW = 400_000
_ALIAS_RATIO_HIGH = 4_000_000
_MERGE_NEEDS_MAP = "map merge requires map or sequence of maps as the value"


def _node_tag(kind: Any, implicit: Any) -> str:
    """Resolution is left to the decoder: plain scalars are marked, quoted ones are strings."""
    if kind is pyyaml.ScalarNode:
        return _PLAIN_TAG if implicit[0] else _YAML_TAG + "str"
    if kind is pyyaml.SequenceNode:
        return _YAML_TAG + "seq"
    return _YAML_TAG + "map"


class _NodeLoader(pyyaml.CSafeLoader):
    """libyaml's scanner, parser and composer: the fast path."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _node_tag(kind, implicit)


class _PythonNodeLoader(
    pyyaml.reader.Reader, pyyaml.scanner.Scanner, pyyaml.parser.Parser, pyyaml.composer.Composer
):
    """PyYAML's pure-Python loader, for what libyaml does differently from go-yaml v2: an anchor
    defined twice (go-yaml lets the later one win), an undefined alias (libyaml's composer
    fails without a message), the YAML 1.2 escape `\\/` (unknown to go-yaml) and the
    non-specific tag `!` (go-yaml reads `! 12` as a string)."""

    def __init__(self, text: str) -> None:
        self.ESCAPE_REPLACEMENTS = {  # type: ignore[misc]
            key: value for key, value in pyyaml.scanner.Scanner.ESCAPE_REPLACEMENTS.items() if key != "/"
        }
        pyyaml.reader.Reader.__init__(self, text)
        pyyaml.scanner.Scanner.__init__(self)
        pyyaml.parser.Parser.__init__(self)
        pyyaml.composer.Composer.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _node_tag(kind, implicit)

    def compose_scalar_node(self, anchor: Any) -> Any:
        if self.peek_event().tag == "!":  # type: ignore[no-untyped-call]
            event = self.get_event()  # type: ignore[no-untyped-call]
            node = pyyaml.ScalarNode(
                _YAML_TAG + "str", event.value, event.start_mark, event.end_mark, event.style
            )
            if anchor is not None:
                self.anchors[anchor] = node
            return node
        return super().compose_scalar_node(anchor)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(pyyaml.events.AliasEvent):
            anchor = self.peek_event().anchor  # type: ignore[no-untyped-call]
            if anchor is not None:
                self.anchors.pop(anchor, None)
        return super().compose_node(parent, index)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def dispose(self) -> None:
        self.anchors = {}


class _GoValueError(Exception):
    """A decoding error inside go-yaml (message without the `yaml: ` prefix)."""


class _JsonConversionError(Exception):
    """An error sigs.k8s.io/yaml reports while turning the YAML value into JSON."""


def _yaml_error_message(error: pyyaml.MarkedYAMLError) -> str:
    """go-yaml's `parser.fail` wording: `yaml: line N: problem`, where N is the 0-based line
    of a parser error's problem mark and the 1-based line of a scanner error's."""
    problem = error.problem or "unknown problem parsing YAML content"
    if problem.startswith("found unknown escape character"):
        problem = "found unknown escape character"
    if isinstance(error, pyyaml.composer.ComposerError) and "undefined alias" in problem:
        anchor = problem.split("found undefined alias", 1)[1].strip().strip("'\"")
        return f"yaml: unknown anchor '{anchor}' referenced"
    line = 0
    if error.problem_mark is not None and error.problem_mark.line != 0:
        line = error.problem_mark.line
        if isinstance(error, pyyaml.scanner.ScannerError):
            line += 1
    elif error.context_mark is not None and error.context_mark.line != 0:
        line = error.context_mark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def compose_first_document(text: str) -> pyyaml.Node | None:
    """The node graph of the first document (go-yaml's Unmarshal reads only that one)."""
    if not _LIBYAML_DIFFERS.search(text):
        try:
            return _compose_with(_NodeLoader(text))
        except (pyyaml.composer.ComposerError, UnboundLocalError):
            pass
    try:
        return _compose_with(_PythonNodeLoader(text))
    except pyyaml.MarkedYAMLError as error:
        python_error = YamlError(_yaml_error_message(error))
    except YamlError as error:
        python_error = error
    # Where both reject the text, libyaml's wording is go-yaml's.
    try:
        _compose_with(_NodeLoader(text))
    except YamlError as libyaml_error:
        raise libyaml_error from None
    except (pyyaml.composer.ComposerError, UnboundLocalError):
        pass
    raise python_error


def _compose_with(loader: _NodeLoader | _PythonNodeLoader) -> pyyaml.Node | None:
    try:
        if not loader.check_node():
            return None
        node: pyyaml.Node | None = loader.get_node()
        return node
    except pyyaml.composer.ComposerError:
        raise
    except pyyaml.MarkedYAMLError as error:
        raise YamlError(_yaml_error_message(error)) from None
    except pyyaml.reader.ReaderError as error:
        raise YamlError(f"yaml: {error.reason}") from None
    except pyyaml.YAMLError as error:
        raise YamlError(f"yaml: {error}") from None
    finally:
        loader.dispose()


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
        if isinstance(node, pyyaml.SequenceNode):
            return [self.value(child) for child in node.value]
        assert isinstance(node, pyyaml.MappingNode)
        return self.mapping(node)

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
        if tag is Tag.TIMESTAMP or tag is Tag.STR or tag is Tag.MERGE:
            return text if tag is not Tag.STR else resolved
        if tag is Tag.NULL or tag is Tag.BOOL or self.keep_numbers:
            return resolved
        number = float(resolved)
        if math.isnan(number) or math.isinf(number):
            raise _JsonConversionError(f"json: unsupported value: {format_g(number)}")
        return number

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
        return _pyjson.dumps(value, ensure_ascii=False)
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
        return _Decoder().value(node)
    except _GoValueError as error:
        raise YamlError(f"error converting YAML to JSON: yaml: {error}") from None
    except _JsonConversionError as error:
        raise YamlError(f"error converting YAML to JSON: {error}") from None
    except RecursionError:
        raise YamlError("error converting YAML to JSON: yaml: exceeded max depth") from None


def decode_json_as_yaml(text: str) -> Any:
    """go-yaml v2 reading JSON text into interface{} (sigs.k8s.io/yaml's JSONToYAML step):
    numbers keep go-yaml's int or float type."""
    node = compose_first_document(text)
    return None if node is None else _Decoder(keep_numbers=True).value(node)
