"""A YAML node graph of our own, for readers that bind nodes to typed fields (Chart.yaml,
Chart.lock): the same shape as libyaml's composed nodes (a tag, and the text, the children
or the key/value pairs), without importing PyYAML, and convertible to and from nested
tuples that `marshal` stores.

Scalar tags are those yaml_compose gives: PLAIN_TAG for a plain scalar (its meaning is
resolved by the reader), STR_TAG for a quoted one, or the explicit tag written.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PLAIN_TAG = "!otterhelm/plain"
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

_SCALAR, _SEQUENCE, _MAPPING = "s", "q", "m"


class Node:
    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


class ScalarNode(Node):
    value: str


class SequenceNode(Node):
    value: list[Node]


class MappingNode(Node):
    value: list[tuple[Node, Node]]


class NotStorable(Exception):
    """A graph that tuples cannot hold: a collection inside itself (an alias within its
    own anchor's value)."""


def from_composed(root: Any) -> Node:
    """Our graph for a graph of PyYAML nodes (shared nodes stay shared, cycles stay cycles)."""
    made: dict[int, Node] = {}
    # Collections are created first and filled after, so a node reached again through an
    # alias (even one inside itself) maps to the same object.
    pending: list[tuple[Any, Node]] = []

    def convert(node: Any) -> Node:
        known = made.get(id(node))
        if known is not None:
            return known
        kind = node.id  # PyYAML's class-level name of the node kind
        ours: Node
        if kind == "scalar":
            ours = ScalarNode(node.tag, node.value)
        elif kind == "mapping":
            ours = MappingNode(node.tag, [])
            pending.append((node, ours))
        else:
            ours = SequenceNode(node.tag, [])
            pending.append((node, ours))
        made[id(node)] = ours
        return ours

    result = convert(root)
    while pending:
        node, ours = pending.pop()
        if isinstance(ours, MappingNode):
            ours.value.extend((convert(key), convert(item)) for key, item in node.value)
        else:
            ours.value.extend(convert(child) for child in node.value)
    return result


def to_tuples(root: Node) -> tuple[Any, ...]:
    """Nested tuples for the graph; a node shared through aliases becomes one shared tuple,
    which marshal writes once. Raises NotStorable for a cyclic graph."""
    done: dict[int, tuple[Any, ...]] = {}
    active: set[int] = set()

    def encode(node: Node) -> tuple[Any, ...]:
        known = done.get(id(node))
        if known is not None:
            return known
        if id(node) in active:
            raise NotStorable
        active.add(id(node))
        encoded: tuple[Any, ...]
        if isinstance(node, ScalarNode):
            encoded = (_SCALAR, node.tag, node.value)
        elif isinstance(node, MappingNode):
            encoded = (_MAPPING, node.tag, tuple((encode(key), encode(item)) for key, item in node.value))
        else:
            encoded = (_SEQUENCE, node.tag, tuple(encode(child) for child in node.value))
        active.discard(id(node))
        done[id(node)] = encoded
        return encoded

    return encode(root)


def from_tuples(root: tuple[Any, ...]) -> Node:
    """The graph to_tuples encoded (shared tuples become shared nodes). Raises ValueError
    for anything else."""
    made: dict[int, Node] = {}

    def decode(encoded: Any) -> Node:
        known = made.get(id(encoded))
        if known is not None:
            return known
        if not (isinstance(encoded, tuple) and len(encoded) == 3 and isinstance(encoded[1], str)):
            raise ValueError("not an encoded YAML node")
        kind, tag, value = encoded
        node: Node
        if kind == _SCALAR and isinstance(value, str):
            node = ScalarNode(tag, value)
        elif kind == _MAPPING and isinstance(value, tuple):
            node = MappingNode(tag, [(decode(key), decode(item)) for key, item in value])
        elif kind == _SEQUENCE and isinstance(value, tuple):
            node = SequenceNode(tag, [decode(child) for child in value])
        else:
            raise ValueError("not an encoded YAML node")
        made[id(encoded)] = node
        return node

    return decode(root)
