"""Loading rendered documents to read their heads.

Helm reads every rendered document whole (sigs.k8s.io/yaml over go-yaml v2) to find its
kind, name and hook annotations, so a document Helm rejects is rejected here with the same
message (`yaml: line N: ...`). Decoding a whole document is most of the cost of sorting the
output of charts that render large CustomResourceDefinitions, so documents in the plain
block style charts write are first read line by line: the reader accepts only a subset of
YAML on which it can tell, without a YAML library, that the whole document decodes without
error, and it returns the head part of what the decoder would return (the top-level keys
matching apiVersion, kind and metadata, and in metadata those matching name and
annotations, with the decoder's values). Any line outside that subset (flow collections
other than `[]` and `{}`, anchors, aliases, tags, escapes it does not check, a value
continued where the subset stops, odd indentation, tabs, control characters) sends the
document to the full decoder.
"""

from __future__ import annotations

import re
from typing import Any

from otterhelm.codec.yaml_resolve import RESERVED_WORDS, NonFiniteNumber, Tag, json_scalar, resolve


def load_head_yaml(document: str) -> Any:
    """The document as sigs.k8s.io/yaml.Unmarshal reads it into interface{}, as far as
    Helm's SimpleHead looks (its head keys); raises with Go's text where it fails."""
    try:
        return read_block_head(document)
    except NotInSubset:
        from otterhelm.codec import yaml as go_yaml

        return go_yaml.load(document)


class NotInSubset(Exception):
    """The document uses YAML the line reader does not check; the full decoder reads it."""


# Characters the reader leaves to the full decoder: those libyaml refuses or reads as line
# breaks (CR, NEL, LS, PS), tabs (where they may stand depends on context), the BOM.
_OUTSIDE_SUBSET = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Lines starting a directive or a document marker.
_MARKERS = ("---", "...", "%")
_LINE_MARKERS = ("\n---", "\n...", "\n%")
# `key:` and the rest of the line: a plain key of common characters, or a quoted key
# without escapes, then the value indicator followed by a space or the line's end.
_KEY = re.compile(
    r"""(?:([A-Za-z0-9_$./][A-Za-z0-9_$./+@~-]{0,255})|"([^"\\]{0,256})"|'((?:[^']|''){0,256})'):(?= |\Z)"""
)
_BLOCK_SCALAR_HEADER = re.compile(r"[|>][+-]?(?: +#.*| *)\Z")
_EMPTY_FLOW = re.compile(r"(?:\[\]|\{\})(?: +#.*| *)\Z")
# A flow sequence on one line of quoted scalars (escapes checked as below) and plain words
# that resolve to strings or finite numbers (`[get, list]`, `["", "apps"]`).
_FLOW_ITEM = r"""(?:"(?:[^"\\]|\\[0abtnvfre "\\N_LP]|\\x[0-9A-Fa-f]{2})*"|'(?:[^']|'')*'|[A-Za-z0-9_][A-Za-z0-9_./-]*)"""
_FLOW_SEQUENCE = re.compile(rf"\[ *{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})* *\](?: +#.*| *)\Z")
_AFTER_QUOTED = re.compile(r"(?: +#.*| *)\Z")
# A character that cannot start a plain value of the subset (indicators, flow and quotes
# are handled or refused before a value is read as plain).
_PLAIN_START_REFUSED = frozenset("?:,[]{}#&*!|>'\"%@`")
_DOUBLE_QUOTED_ESCAPE = re.compile(r"\\(?:[0abtnvfre \"\\N_LP\n]|x[0-9A-Fa-f]{2})")
_NESTING_LIMIT = 1000

# Where a mapping sits in the head: the document's top level, metadata, annotations.
_TOP, _METADATA, _ANNOTATIONS = 1, 2, 3
_HEAD_KEYS = {_TOP: ("apiversion", "kind", "metadata"), _METADATA: ("name", "annotations")}
_CHILD_ROLE = {(_TOP, "metadata"): _METADATA, (_METADATA, "annotations"): _ANNOTATIONS}


class _Open:
    """A block collection still open: its column, and for a mapping of the head the dict
    collecting its head keys."""

    __slots__ = ("indent", "indentless", "is_sequence", "role", "target")

    def __init__(
        self,
        indent: int,
        is_sequence: bool,
        role: int = 0,
        target: dict[str, Any] | None = None,
        indentless: bool = False,
    ) -> None:
        self.indent = indent
        self.is_sequence = is_sequence
        self.role = role
        self.target = target
        self.indentless = indentless


class _Owner:
    """What a value belongs to: the column of its key or `-` (continuation lines must be
    deeper), whether a key owns it, and, for a head key, where it goes."""

    __slots__ = ("child_role", "from_key", "indent", "key", "target")

    def __init__(
        self,
        indent: int,
        from_key: bool,
        target: dict[str, Any] | None = None,
        key: str = "",
        child_role: int = 0,
    ) -> None:
        self.indent = indent
        self.from_key = from_key
        self.target = target
        self.key = key
        self.child_role = child_role

    def store(self, value: Any) -> None:
        if self.target is not None:
            self.target[self.key] = value


def read_block_head(document: str) -> Any:
    """The head of a plain block-style document, as load_head_yaml describes; raises
    NotInSubset for anything else."""
    if document.isascii():
        # For ASCII text, isprintable() is exactly "every character in space..tilde".
        if not document.replace("\n", " ").isprintable():
            raise NotInSubset
    elif _OUTSIDE_SUBSET.search(document):
        raise NotInSubset
    if document.startswith(_MARKERS) or any(marker in document for marker in _LINE_MARKERS):
        raise NotInSubset
    return _LineReader(document.split("\n")).read()


class _LineReader:
    """One pass over the lines with a stack of open collections. A value either ends on its
    line, or leaves `pending` (its content starts on a later line, or it is null), or leaves
    `plain_owner` (a plain scalar that deeper lines continue)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.stack: list[_Open] = []
        self.pending: _Owner | None = None
        self.plain_owner: _Owner | None = None
        self.root: dict[str, Any] | None = None

    def read(self) -> Any:
        lines = self.lines
        stack = self.stack
        count = len(lines)
        index = 0
        while index < count:
            line = lines[index]
            content = line.lstrip(" ")
            if not content:
                index += 1
                continue
            if content[0] == "#":
                self.plain_owner = None  # a comment ends a plain scalar
                index += 1
                continue
            indent = len(line) - len(content)
            plain_owner = self.plain_owner
            if plain_owner is not None:
                if indent > plain_owner.indent:
                    _check_continuation(content, plain_owner)
                    index += 1
                    continue
                self.plain_owner = None
            is_dash = content[0] == "-" and (len(content) == 1 or content[1] == " ")
            pending = self.pending
            if pending is not None:
                self.pending = None
                if indent > pending.indent:
                    if not is_dash and _KEY.match(content) is None:
                        index = self.value(line, indent, content, index, pending)  # on its own line
                        continue
                    self.open_nested(indent, is_dash, pending, False)
                elif indent == pending.indent and is_dash and pending.from_key:
                    self.open_nested(indent, True, pending, True)
                else:
                    pending.store(None)
            elif not stack:
                if self.root is not None or is_dash:
                    raise NotInSubset  # a second top-level node, or a top-level sequence
                self.root = {}
                stack.append(_Open(indent, False, _TOP, self.root))
            top = stack[-1]
            while top.indent > indent:
                stack.pop()
                if not stack:
                    raise NotInSubset
                top = stack[-1]
            if top.indent != indent:
                raise NotInSubset
            if top.is_sequence and not is_dash and top.indentless:
                stack.pop()
                top = stack[-1]
            if top.is_sequence != is_dash:
                raise NotInSubset
            index = self.item(line, indent, index) if is_dash else self.entry(top, line, indent, index)
        if self.pending is not None:
            self.pending.store(None)
        return self.root

    def open_nested(self, indent: int, is_dash: bool, owner: _Owner, indentless: bool) -> None:
        if len(self.stack) >= _NESTING_LIMIT:
            raise NotInSubset
        if is_dash:
            if owner.target is not None:
                raise NotInSubset  # a sequence where the head wants a scalar or a mapping
            self.stack.append(_Open(indent, True, indentless=indentless))
        elif owner.child_role:
            target: dict[str, Any] = {}
            owner.store(target)
            self.stack.append(_Open(indent, False, owner.child_role, target))
        elif owner.target is not None:
            raise NotInSubset  # a mapping where the head wants a scalar
        else:
            self.stack.append(_Open(indent, False))

    def item(self, line: str, indent: int, index: int) -> int:
        """A `- ` line of the sequence open at `indent`."""
        rest = line[indent + 1 :]
        value = rest.lstrip(" ")
        column = indent + 1 + len(rest) - len(value)
        if value.startswith("- ") or value == "-":
            raise NotInSubset  # a sequence nested on the same line
        if _KEY.match(value) is not None:
            if len(self.stack) >= _NESTING_LIMIT:
                raise NotInSubset
            compact = _Open(column, False)
            self.stack.append(compact)
            return self.entry(compact, line, column, index)
        return self.value(line, column, value, index, _Owner(indent, False))

    def entry(self, mapping: _Open, line: str, column: int, index: int) -> int:
        """A `key: ...` at `column` of `mapping`."""
        match = _KEY.match(line, column)
        if match is None:
            raise NotInSubset
        plain, double, single = match.groups()
        if plain is not None:
            key = plain
            starts_with_letter = "a" <= key[0] <= "z" or "A" <= key[0] <= "Z"
            if (not starts_with_letter or key in RESERVED_WORDS) and resolve(key)[0] is not Tag.STR:
                raise NotInSubset  # a key the decoder turns into other text, or refuses
        elif double is not None:
            key = double
        else:
            key = single.replace("''", "'")
        target = mapping.target
        if target is not None:
            folded = key.lower()
            if mapping.role == _ANNOTATIONS or folded in _HEAD_KEYS[mapping.role]:
                owner = _Owner(column, True, target, key, _CHILD_ROLE.get((mapping.role, folded), 0))
            else:
                owner = _Owner(column, True)
        else:
            owner = _Owner(column, True)
        end = match.end()
        value = line[end:].lstrip(" ")
        return self.value(line, len(line) - len(value), value, index, owner)

    def value(self, line: str, column: int, value: str, index: int, owner: _Owner) -> int:
        """The value starting at `column` of line `index`; returns the index of the next
        line to read."""
        if not value or value[0] == "#":
            self.pending = owner
            return index + 1
        first = value[0]
        if first in _PLAIN_START_REFUSED or (first == "-" and (value == "-" or value[1] == " ")):
            if first == "'" or first == '"':
                return self.quoted(line, column, index, owner)
            if first == "|" or first == ">":
                if _BLOCK_SCALAR_HEADER.match(value) is None or owner.target is not None:
                    raise NotInSubset
                return self.block_scalar(owner.indent, index + 1)
            if first == "[" or first == "{":
                if _EMPTY_FLOW.match(value) is not None:
                    owner.store([] if first == "[" else {})
                elif owner.target is not None or _FLOW_SEQUENCE.match(value) is None:
                    raise NotInSubset
                return index + 1
            raise NotInSubset
        if " #" in value:
            text = value[: value.index(" #")].rstrip(" ")
        else:
            text = value.rstrip(" ")
            self.plain_owner = owner
        if ": " in text or text[-1] == ":":
            raise NotInSubset
        if owner.target is not None or first in "+-.":
            try:
                owner.store(json_scalar(*resolve(text), text))
            except NonFiniteNumber:
                raise NotInSubset from None
        return index + 1

    def quoted(self, line: str, column: int, index: int, owner: _Owner) -> int:
        quote = line[column]
        lines = self.lines
        parts: list[str] = []
        position = column + 1
        current = line
        while True:
            end = _closing_quote(current, position, quote)
            if end >= 0:
                parts.append(current[position:end])
                break
            parts.append(current[position:])
            index += 1
            if index >= len(lines):
                raise NotInSubset
            current = lines[index]
            content = current.lstrip(" ")
            if content and len(current) - len(content) <= owner.indent:
                raise NotInSubset  # a continuation line the decoder may read otherwise
            position = 0
        if _AFTER_QUOTED.match(current, end + 1) is None:
            raise NotInSubset
        if owner.target is not None:
            if len(parts) > 1:
                raise NotInSubset
            text = parts[0]
            if quote == "'":
                text = text.replace("''", "'")
            elif "\\" in text:
                raise NotInSubset
            owner.store(text)
        return index + 1

    def block_scalar(self, owner_indent: int, index: int) -> int:
        """Skip a literal or folded block scalar's content lines; returns the index of the
        first line after them."""
        lines = self.lines
        longest_blank = 0
        while index < len(lines):
            line = lines[index]
            content = line.lstrip(" ")
            if content:
                break
            longest_blank = max(longest_blank, len(line))
            index += 1
        else:
            return index
        indent = len(line) - len(content)
        if indent <= owner_indent:
            return index  # empty content; the line belongs to what follows
        if longest_blank > indent:
            raise NotInSubset  # leading blank lines deeper than the content
        margin = " " * indent
        while index < len(lines):
            line = lines[index]
            if line.startswith(margin) or not line.strip(" "):
                index += 1
                continue
            break
        return index


def _check_continuation(content: str, owner: _Owner) -> None:
    """A line continuing a plain scalar: the subset takes only text that cannot end it."""
    if owner.target is not None:
        raise NotInSubset  # a head value spread over lines: left to the decoder
    if ": " in content or " #" in content or content.rstrip(" ")[-1] == ":":
        raise NotInSubset


def _closing_quote(text: str, position: int, quote: str) -> int:
    """The index of the quote closing a quoted scalar in `text` from `position`, or -1 when
    it continues on the next line; raises NotInSubset for escapes not checked."""
    length = len(text)
    while position < length:
        found = text.find(quote, position)
        if quote == "'":
            if found < 0:
                return -1
            if found + 1 < length and text[found + 1] == "'":
                position = found + 2
                continue
            return found
        backslash = text.find("\\", position)
        if backslash < 0 or (0 <= found < backslash):
            return found
        escape = _DOUBLE_QUOTED_ESCAPE.match(text, backslash)
        if escape is None:
            if backslash == length - 1:
                return -1  # an escaped line break
            raise NotInSubset
        position = escape.end()
    return -1
