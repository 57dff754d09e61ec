"""Turning YAML text into a node graph the way go-yaml v2's parser does, on libyaml's events.

libyaml (PyYAML's C parser) supplies the events: it scans and parses like go-yaml, which
was ported from it, and does so without recursion. The nodes are built here, iteratively,
with go-yaml's rules where libyaml's own composer differs: an anchor defined twice takes
its latest value, an unknown alias is `unknown anchor 'x' referenced`, an alias inside its
own anchor's value is refused, the non-specific tag `!` makes a string, the escape `\\/`
(YAML 1.2 only) is unknown, and nesting stops at go-yaml's 10000 levels.
"""

from __future__ import annotations

import re

import yaml as pyyaml

from otterhelm.codec.depth import GO_YAML_MAX_DEPTH
from otterhelm.codec.errors import YamlError
from otterhelm.codec.yaml_nodes import MAP_TAG, PLAIN_TAG, SEQ_TAG, STR_TAG

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PLAIN_TAG", "compose_first_document", "compose_with_events", "yaml_error_message"]

# A backslash-slash escape: an odd run of backslashes before `/`.
_SLASH_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\/")


class _EventSource(pyyaml.CSafeLoader):
    """libyaml's event stream; its composer and constructor are not used."""


class _LibyamlComposer(pyyaml.CSafeLoader):
    """libyaml's own composer, the fast path for documents where it cannot differ from
    go-yaml: shallow (it recurses in C), no `!` tag, no `\\/`, and, caught when it fails,
    no redefined anchor or unknown alias."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is pyyaml.ScalarNode:
            return PLAIN_TAG if implicit[0] else STR_TAG
        return SEQ_TAG if kind is pyyaml.SequenceNode else MAP_TAG


# Documents whose brackets and line leads each stay under this nest less than twice as deep.
_LIBYAML_COMPOSER_HALF_DEPTH = 75
_DEEP_LINE_LEAD = re.compile(rf"^[ \-?:]{{{_LIBYAML_COMPOSER_HALF_DEPTH}}}", re.MULTILINE)
_NON_SPECIFIC_TAG = re.compile(r"(?:^|[\s\[{,])!(?:\s|$)")


def _libyaml_composer_fits(text: str) -> bool:
    if "\\/" in text or ("!" in text and _NON_SPECIFIC_TAG.search(text)):
        return False
    # Each level of nesting needs an opening bracket or more leading indentation or
    # indicators on some line, so these bound the depth.
    if text.count("[") + text.count("{") >= _LIBYAML_COMPOSER_HALF_DEPTH:
        return False
    return _DEEP_LINE_LEAD.search(text) is None


def yaml_error_message(error: pyyaml.MarkedYAMLError) -> str:
    """go-yaml's `parser.fail` wording: `yaml: line N: problem`, where N is the 0-based line
    of a parser error's problem mark and the 1-based line of a scanner error's."""
    problem = error.problem or "unknown problem parsing YAML content"
    line = 0
    if error.problem_mark is not None and error.problem_mark.line != 0:
        line = error.problem_mark.line
        if isinstance(error, pyyaml.scanner.ScannerError):
            line += 1
    elif error.context_mark is not None and error.context_mark.line != 0:
        line = error.context_mark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def _line_prefix(mark: Any) -> str:
    return f"line {mark.line + 1}: " if mark is not None and mark.line else ""


class _Frame:
    __slots__ = ("node", "pending_key")

    def __init__(self, node: pyyaml.Node) -> None:
        self.node = node
        self.pending_key: pyyaml.Node | None = None


class _Composer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.anchors: dict[str, pyyaml.Node] = {}
        self.stack: list[_Frame] = []
        self.root: pyyaml.Node | None = None

    def attach(self, node: pyyaml.Node) -> None:
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        if isinstance(frame.node, pyyaml.SequenceNode):
            frame.node.value.append(node)
        elif frame.pending_key is None:
            frame.pending_key = node
        else:
            frame.node.value.append((frame.pending_key, node))
            frame.pending_key = None

    def scalar(self, event: Any) -> pyyaml.ScalarNode:
        tag = event.tag
        if tag is None:
            tag = PLAIN_TAG if event.implicit[0] else STR_TAG
        elif tag == "!":
            tag = STR_TAG
        if event.style == '"' and "\\/" in self.raw(event):
            self.refuse_slash_escape(event)
        return pyyaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)

    def raw(self, event: Any) -> str:
        return self.text[event.start_mark.index : event.end_mark.index]

    def refuse_slash_escape(self, event: Any) -> None:
        raw = self.raw(event)
        match = _SLASH_ESCAPE.search(raw)
        if match is None:
            return
        offset = event.start_mark.index + match.end() - 1
        line = self.text.count("\n", 0, offset)
        where = f"line {line + 1}: " if line else ""
        raise YamlError(f"yaml: {where}found unknown escape character")

    def open(self, node: pyyaml.Node, event: Any) -> None:
        self.attach(node)
        if len(self.stack) >= GO_YAML_MAX_DEPTH:
            raise YamlError(
                f"yaml: {_line_prefix(event.start_mark)}exceeded max depth of {GO_YAML_MAX_DEPTH}"
            )
        self.stack.append(_Frame(node))

    def alias(self, event: Any) -> pyyaml.Node:
        node = self.anchors.get(event.anchor)
        if node is None:
            raise YamlError(f"yaml: unknown anchor '{event.anchor}' referenced")
        if any(frame.node is node for frame in self.stack):
            raise YamlError(f"yaml: anchor '{event.anchor}' value contains itself")
        return node

    def run(self, events: _EventSource) -> pyyaml.Node | None:
        events.get_event()  # stream start
        if events.check_event(pyyaml.StreamEndEvent):
            return None
        events.get_event()  # document start
        while True:
            event: Any = events.get_event()
            kind = type(event)
            if kind is pyyaml.ScalarEvent:
                node: pyyaml.Node = self.scalar(event)
                self.attach(node)
            elif kind is pyyaml.MappingStartEvent:
                node = pyyaml.MappingNode(event.tag or MAP_TAG, [], event.start_mark, None, event.flow_style)
                self.open(node, event)
            elif kind is pyyaml.SequenceStartEvent:
                node = pyyaml.SequenceNode(event.tag or SEQ_TAG, [], event.start_mark, None, event.flow_style)
                self.open(node, event)
            elif kind is pyyaml.MappingEndEvent or kind is pyyaml.SequenceEndEvent:
                self.stack.pop()
                continue
            elif kind is pyyaml.AliasEvent:
                self.attach(self.alias(event))
                continue
            else:
                return self.root  # document end
            if event.anchor is not None:
                self.anchors[event.anchor] = node


def compose_first_document(text: str) -> pyyaml.Node | None:
    """The node graph of the first document (go-yaml's Unmarshal reads only that one), or
    None for an empty stream. Raises YamlError with go-yaml's message."""
    if _libyaml_composer_fits(text):
        composer = _LibyamlComposer(text)
        try:
            node: pyyaml.Node | None = composer.get_node() if composer.check_node() else None
            return node
        except (pyyaml.composer.ComposerError, UnboundLocalError):
            pass  # a redefined anchor or an unknown alias: go-yaml's rules below
        except pyyaml.MarkedYAMLError as error:
            raise YamlError(yaml_error_message(error)) from None
        except pyyaml.reader.ReaderError as error:
            raise YamlError(f"yaml: {error.reason}") from None
        finally:
            composer.dispose()
    return compose_with_events(text)


def compose_with_events(text: str) -> pyyaml.Node | None:
    """compose_first_document on libyaml's events only, applying every go-yaml rule."""
    events = _EventSource(text)
    try:
        return _Composer(text).run(events)
    except pyyaml.MarkedYAMLError as error:
        raise YamlError(yaml_error_message(error)) from None
    except pyyaml.reader.ReaderError as error:
        raise YamlError(f"yaml: {error.reason}") from None
    finally:
        events.dispose()
