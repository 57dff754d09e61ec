"""Reading plain block-style YAML line by line, without a YAML library.

Most YAML that charts read and write is block style: `key: value` lines, `- ` items,
quoted strings on one line, `|` blocks, `[]` and `{}`. For that subset a reader of lines
can tell for certain that go-yaml v2 (through sigs.k8s.io/yaml) decodes the whole document
without error, and what it decodes to: `read_block_document` gives the same value as
yaml_load.decode, or raises NotInSubset, and the caller then runs the full decoder. It
refuses anything it does not check: flow collections other than `[]`, `{}` and one-line
sequences of simple scalars, anchors, aliases, tags, merge keys, keys that resolve to
anything but a string, escapes other than the common ones, folded blocks, multi-line
plain or quoted values it would have to fold, odd indentation, tabs, directives and
document markers, control characters and the line breaks other than LF.

A selection limits what is built: a mapping of lower-cased keys to what to keep below
each (True for everything), applied to mappings; the rest of the document is still read
and checked, but not built. Keys are matched by str.lower(), as callers that match JSON
field names case-insensitively need.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

from otterhelm.codec.yaml_nodes import (
    MAP_TAG,
    PLAIN_TAG,
    SEQ_TAG,
    STR_TAG,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
)
from otterhelm.codec.yaml_resolve import RESERVED_WORDS, NonFiniteNumber, Tag, json_scalar, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

Selection: TypeAlias = "bool | Mapping[str, Selection]"


class NotInSubset(Exception):
    """The document uses YAML the line reader does not check; the full decoder reads it."""


# Characters left to the full decoder: those libyaml refuses or reads as line breaks (CR,
# NEL, LS, PS), tabs (where they may stand depends on context), the BOM.
_OUTSIDE_SUBSET = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
# Lines starting a directive or a document marker.
_MARKERS = ("---", "...", "%")
_LINE_MARKERS = ("\n---", "\n...", "\n%")
# `key:` and the rest of the line: a plain key of common characters, or a quoted key
# without escapes, then the value indicator followed by a space or the line's end.
_KEY = (
    r"""(?:([A-Za-z0-9_$./][A-Za-z0-9_$./+@~-]{0,255})|"([^"\\]{0,256})"|'((?:[^']|''){0,256})'):(?= |\Z)"""
)
_BLOCK_SCALAR_HEADER = r"([|>])([+-]?)(?: +#.*| *)\Z"
_EMPTY_FLOW = r"(?:\[\]|\{\})(?: +#.*| *)\Z"
# A flow sequence on one line of quoted scalars (escapes checked as below) and plain words.
_FLOW_ITEM = r"""(?:"(?:[^"\\]|\\[0abtnvfre "\\N_LP]|\\x[0-9A-Fa-f]{2})*"|'(?:[^']|'')*'|[A-Za-z0-9_][A-Za-z0-9_./-]*)"""
_FLOW_SEQUENCE = rf"\[ *({_FLOW_ITEM}(?: *, *{_FLOW_ITEM})*) *\](?: +#.*| *)\Z"
# A flow mapping on one line whose keys are plain words and whose values are as above.
# (libyaml refuses a key of more than 1024 characters; these stay far below that)
_FLOW_KEY = r"[A-Za-z_][A-Za-z0-9_./-]{0,255}"
_FLOW_MAPPING = rf"\{{ *({_FLOW_KEY}: +{_FLOW_ITEM}(?: *, *{_FLOW_KEY}: +{_FLOW_ITEM})*) *\}}(?: +#.*| *)\Z"
_FLOW_PAIRS = rf"({_FLOW_KEY}): +({_FLOW_ITEM})"
_AFTER_QUOTED = r"(?: +#.*| *)\Z"
# A character that cannot start a plain value of the subset (indicators, flow and quotes
# are handled or refused before a value is read as plain).
_PLAIN_START_REFUSED = frozenset("?:,[]{}#&*!|>'\"%@`")
_DOUBLE_QUOTED_ESCAPE = r"\\(?:[0abtnvfre \"\\N_LP]|x[0-9A-Fa-f]{2})"
_ESCAPED = {
    "0": "\x00",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_NESTING_LIMIT = 1000


@functools.cache
def _pattern(source: str) -> re.Pattern[str]:
    """The patterns above, compiled when first used (this module loads on every run)."""
    return re.compile(source)


def read_block_document(text: str, selection: Selection = True) -> Any:
    """What yaml_load.decode(text) returns (as far as `selection` keeps), for a document in
    the subset; raises NotInSubset for anything else."""
    _check_characters(text)
    return _LineReader(text.split("\n"), selection, _Values()).read()


def read_block_nodes(text: str) -> Node | None:
    """What yaml_compose.compose_first_document(text) composes, as our node graph (scalars
    tagged PLAIN_TAG or STR_TAG, collections SEQ_TAG or MAP_TAG), for a document in the
    subset; raises NotInSubset for anything else."""
    _check_characters(text)
    root = _LineReader(text.split("\n"), True, _Nodes()).read()
    assert root is None or isinstance(root, Node)
    return root


def _check_characters(text: str) -> None:
    if text.isascii():
        # For ASCII text, isprintable() is exactly "every character in space..tilde".
        if not text.replace("\n", " ").isprintable():
            raise NotInSubset
    elif _pattern(_OUTSIDE_SUBSET).search(text):
        raise NotInSubset
    if text.startswith(_MARKERS) or any(marker in text for marker in _LINE_MARKERS):
        raise NotInSubset


class _Values:
    """Building decoded values: maps, lists and sigs.k8s.io/yaml's scalars."""

    @staticmethod
    def null() -> Any:
        return None

    @staticmethod
    def mapping() -> tuple[Any, Any]:
        built: dict[str, Any] = {}
        return built, built

    @staticmethod
    def sequence() -> tuple[Any, Any]:
        built: list[Any] = []
        return built, built

    @staticmethod
    def key(text: str, quoted: bool) -> Any:
        return text

    @staticmethod
    def put(target: Any, key: Any, value: Any) -> None:
        target[key] = value

    @staticmethod
    def plain(text: str) -> Any:
        first = text[0]
        if ("a" <= first <= "z" or "A" <= first <= "Z") and text not in RESERVED_WORDS:
            return text  # resolve's answer for text starting with a letter: a string
        try:
            return json_scalar(*resolve(text), text)
        except NonFiniteNumber:
            raise NotInSubset from None

    @staticmethod
    def string(text: str) -> Any:
        return text

    @staticmethod
    def flow(items: list[Any]) -> Any:
        return items


class _Nodes(_Values):
    """Building the composed node graph: scalars keep their text and whether they were plain."""

    @staticmethod
    def null() -> Any:
        return ScalarNode(PLAIN_TAG, "")

    @staticmethod
    def mapping() -> tuple[Any, Any]:
        built = MappingNode(MAP_TAG, [])
        return built, built.value

    @staticmethod
    def sequence() -> tuple[Any, Any]:
        built = SequenceNode(SEQ_TAG, [])
        return built, built.value

    @staticmethod
    def key(text: str, quoted: bool) -> Any:
        return ScalarNode(STR_TAG if quoted else PLAIN_TAG, text)

    @staticmethod
    def put(target: Any, key: Any, value: Any) -> None:
        target.append((key, value))

    @staticmethod
    def plain(text: str) -> Any:
        _Values.plain(text)  # the same subset as decoding: no NaN or infinities
        return ScalarNode(PLAIN_TAG, text)

    @staticmethod
    def string(text: str) -> Any:
        return ScalarNode(STR_TAG, text)

    @staticmethod
    def flow(items: list[Any]) -> Any:
        return SequenceNode(SEQ_TAG, items)


class _Open:
    """A block collection still open: its column, and what it is built into (None when
    the selection leaves it out)."""

    __slots__ = ("indent", "indentless", "is_sequence", "keep", "target")

    def __init__(
        self,
        indent: int,
        is_sequence: bool,
        target: Any,
        keep: Selection = True,
        indentless: bool = False,
    ) -> None:
        self.indent = indent
        self.is_sequence = is_sequence
        self.target = target
        self.keep = keep
        self.indentless = indentless


class _Owner:
    """What a value belongs to: the column of its key or `-` (continuation lines must be
    deeper), whether a key owns it, and where it is built (target None: nowhere; `put`
    stores under a key, items are appended)."""

    __slots__ = ("from_key", "indent", "keep", "key", "put", "target")

    def __init__(
        self,
        indent: int,
        from_key: bool,
        target: Any = None,
        key: Any = None,
        keep: Selection = True,
        put: Callable[[Any, Any, Any], None] | None = None,
    ) -> None:
        self.indent = indent
        self.from_key = from_key
        self.target = target
        self.key = key
        self.keep = keep
        self.put = put

    def store(self, value: Any) -> None:
        target = self.target
        if target is None:
            return
        if self.put is None:
            target.append(value)
        else:
            self.put(target, self.key, value)


class _LineReader:
    """One pass over the lines with a stack of open collections. A value either ends on its
    line, or leaves `pending` (its content starts on a later line, or it is null), or leaves
    `plain_owner` (a plain scalar that deeper lines may continue)."""

    def __init__(self, lines: list[str], selection: Selection, build: _Values) -> None:
        self.key_match = _pattern(_KEY).match
        self.lines = lines
        self.selection = selection
        self.build = build
        self.stack: list[_Open] = []
        self.pending: _Owner | None = None
        self.plain_owner: _Owner | None = None
        self.root: Any = None
        self.started = False

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
                    _check_continuation(content)
                    index += 1
                    continue
                self.plain_owner = None
            is_dash = content[0] == "-" and (len(content) == 1 or content[1] == " ")
            pending = self.pending
            if pending is not None:
                self.pending = None
                if indent > pending.indent:
                    if not is_dash and self.key_match(content) is None:
                        index = self.value(line, indent, content, index, pending)  # on its own line
                        continue
                    self.open_nested(indent, is_dash, pending, False)
                elif indent == pending.indent and is_dash and pending.from_key:
                    self.open_nested(indent, True, pending, True)
                else:
                    pending.store(self.build.null())
            elif not stack:
                if self.started or is_dash:
                    raise NotInSubset  # a second top-level node, or a top-level sequence
                self.started = True
                if self.key_match(content) is None:
                    # A top-level scalar or flow collection ("{}" from fromYaml); whatever
                    # follows must continue it.
                    holder: list[Any] = []
                    index = self.value(line, indent, content, index, _Owner(-1, False, holder))
                    self.root = holder[0]
                    continue
                self.root, target = self.build.mapping()
                stack.append(_Open(indent, False, target, self.selection))
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
            index = self.item(top, line, indent, index) if is_dash else self.entry(top, line, indent, index)
        if self.pending is not None:
            self.pending.store(self.build.null())
        return self.root

    def open_nested(self, indent: int, is_dash: bool, owner: _Owner, indentless: bool) -> None:
        if len(self.stack) >= _NESTING_LIMIT:
            raise NotInSubset
        target = None
        if owner.target is not None:
            built, target = self.build.sequence() if is_dash else self.build.mapping()
            owner.store(built)
        self.stack.append(_Open(indent, is_dash, target, owner.keep, indentless))

    def item(self, sequence: _Open, line: str, indent: int, index: int) -> int:
        """A `- ` line of the sequence open at `indent`."""
        rest = line[indent + 1 :]
        value = rest.lstrip(" ")
        column = indent + 1 + len(rest) - len(value)
        if value.startswith("- ") or value == "-":
            raise NotInSubset  # a sequence nested on the same line
        target = sequence.target
        if self.key_match(value) is not None:
            if len(self.stack) >= _NESTING_LIMIT:
                raise NotInSubset
            mapping = None
            if target is not None:
                built, mapping = self.build.mapping()
                target.append(built)
            compact = _Open(column, False, mapping)
            self.stack.append(compact)
            return self.entry(compact, line, column, index)
        return self.value(line, column, value, index, _Owner(indent, False, target))

    def entry(self, mapping: _Open, line: str, column: int, index: int) -> int:
        """A `key: ...` at `column` of `mapping`."""
        match = self.key_match(line, column)
        if match is None:
            raise NotInSubset
        plain, double, single = match.groups()
        quoted = plain is None
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
        keep = mapping.keep
        build = self.build
        if target is None:
            owner = _Owner(column, True)
        elif keep is True:
            owner = _Owner(column, True, target, build.key(key, quoted), True, build.put)
        else:
            assert not isinstance(keep, bool)
            below = keep.get(key.lower())
            if below is None:
                owner = _Owner(column, True)
            else:
                owner = _Owner(column, True, target, build.key(key, quoted), below, build.put)
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
        if (first in _PLAIN_START_REFUSED and not (first in "?:" and len(value) > 1 and value[1] != " ")) or (
            first == "-" and (value == "-" or value[1] == " ")
        ):
            if first == "'" or first == '"':
                return self.quoted(line, column, index, owner)
            if first == "|" or first == ">":
                return self.block_scalar(value, owner, index + 1)
            if first == "[" or first == "{":
                if _pattern(_EMPTY_FLOW).match(value) is not None:
                    owner.store((self.build.sequence() if first == "[" else self.build.mapping())[0])
                    return index + 1
                build = self.build
                if first == "[":
                    sequence = _pattern(_FLOW_SEQUENCE).match(value)
                    if sequence is None:
                        raise NotInSubset
                    if owner.target is not None:
                        items = [
                            _flow_item(item, build)
                            for item in _pattern(_FLOW_ITEM).findall(sequence.group(1))
                        ]
                        owner.store(build.flow(items))
                    return index + 1
                mapping = _pattern(_FLOW_MAPPING).match(value)
                if mapping is None:
                    raise NotInSubset
                pairs = _pattern(_FLOW_PAIRS).findall(mapping.group(1))
                if any(key in RESERVED_WORDS for key, _ in pairs):
                    raise NotInSubset  # a key the decoder turns into other text, or refuses
                built, target = build.mapping()
                for key, item in pairs:
                    build.put(target, build.key(key, False), _flow_item(item, build))
                owner.store(built)
                return index + 1
            raise NotInSubset
        commented = " #" in value
        text = (value[: value.index(" #")] if commented else value).rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise NotInSubset
        index += 1
        if owner.target is not None:
            if not commented:
                text, index = self.plain_continued(text, owner.indent, index)
            owner.store(self.build.plain(text))
        else:
            if not commented:
                self.plain_owner = owner  # continuation lines are checked as they come
            if first in "+-.":
                _Values.plain(text)  # refuses NaN and infinities
        return index

    def plain_continued(self, text: str, owner_indent: int, index: int) -> tuple[str, int]:
        """A plain scalar's text folded with the lines that continue it (deeper than its
        owner, up to a comment or a shallower line): one line break joins with a space,
        empty lines each give a line break. Returns the text and the next line's index."""
        lines = self.lines
        if index < len(lines):
            following_line = lines[index]
            content = following_line.lstrip(" ")
            if content and len(following_line) - len(content) <= owner_indent:
                return text, index  # the next line is no deeper than the owner: nothing continues
        parts = [text]
        following = index
        empty = 0
        while index < len(lines):
            content = lines[index].strip(" ")
            if not content:
                empty += 1
                index += 1
                continue
            line = lines[index]
            if content[0] == "#" or len(line) - len(line.lstrip(" ")) <= owner_indent:
                break
            _check_continuation(content)
            parts.append("\n" * empty if empty else " ")
            parts.append(content)
            empty = 0
            index += 1
            following = index
        return "".join(parts), following

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
        if _pattern(_AFTER_QUOTED).match(current, end + 1) is None:
            raise NotInSubset
        if owner.target is not None:
            if len(parts) > 1:
                raise NotInSubset  # folding quoted lines is left to the decoder
            owner.store(self.build.string(_unquote(parts[0], quote)))
        return index + 1

    def block_scalar(self, header: str, owner: _Owner, index: int) -> int:
        """A literal or folded block scalar whose header is `header`; returns the index of
        the first line after its content."""
        match = _pattern(_BLOCK_SCALAR_HEADER).match(header)
        if match is None or owner.indent < 0:
            raise NotInSubset  # at the top level the content indentation rules differ
        building = owner.target is not None
        lines = self.lines
        last = len(lines) - 1  # the text after the last line break
        if index > last:
            owner.store(self.build.string(""))  # the header ends the text
            return index
        start = index
        longest_blank = 0
        while index < last and not lines[index].strip(" "):
            longest_blank = max(longest_blank, len(lines[index]))
            index += 1
        if index == last and lines[index].strip(" ") == "" and lines[index]:
            raise NotInSubset  # spaces without a final line break
        leading_breaks = index - start
        first = lines[index]
        content = first.lstrip(" ")
        indent = len(first) - len(content)
        if not content or indent <= owner.indent:
            # No content: the line (if any) belongs to what follows.
            if building:
                owner.store(self.build.string("\n" * leading_breaks if match.group(2) == "+" else ""))
            return index
        if longest_blank > indent:
            raise NotInSubset  # leading blank lines deeper than the content
        margin = " " * indent
        texts: list[str] = []
        end = index
        while index <= last:
            line = lines[index]
            if line.startswith(margin):
                texts.append(line[indent:])
            elif not line.strip(" "):
                texts.append("")
            else:
                break
            index += 1
        end = index
        if building:
            if end > last and texts[-1] != "":
                raise NotInSubset  # content without a final line break
            folded = match.group(1) == ">"
            owner.store(
                self.build.string(_block_text(texts, leading_breaks, match.group(2), end > last, folded))
            )
        return end


def _block_text(texts: list[str], leading_breaks: int, chomping: str, at_end: bool, folded: bool) -> str:
    """A block scalar's value: its lines (the indentation removed; "" for an empty line),
    the empty lines before them, its chomping indicator and style. `at_end`: the lines run
    to the end of the text, whose last element is the empty text after the final break.
    Folding joins two lines with a space when neither starts with a space and no empty line
    lies between; otherwise line breaks stay, as in a literal block."""
    if at_end:
        texts = texts[:-1]
    last_content = len(texts) - 1
    while last_content >= 0 and texts[last_content] == "":
        last_content -= 1
    trailing = len(texts) - 1 - last_content
    if not folded:
        body = "\n" * leading_breaks + "\n".join(texts[: last_content + 1])
    else:
        parts = ["\n" * leading_breaks]
        previous = ""
        empty = 0
        for position, line in enumerate(texts[: last_content + 1]):
            if not line:
                empty += 1
                continue
            if position:
                if previous[0] != " " and line[0] != " ":
                    parts.append("\n" * empty if empty else " ")
                else:
                    parts.append("\n" + "\n" * empty)
            parts.append(line)
            previous = line
            empty = 0
        body = "".join(parts)
    if chomping == "-":
        return body
    if chomping == "+":
        return body + "\n" + "\n" * trailing
    return body + "\n"


def _check_continuation(content: str) -> None:
    """A line continuing a plain scalar: the subset takes only text that cannot end it."""
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
        escape = _pattern(_DOUBLE_QUOTED_ESCAPE).match(text, backslash)
        if escape is None:
            if backslash == length - 1:
                return -1  # an escaped line break
            raise NotInSubset
        position = escape.end()
    return -1


def _unquote(text: str, quote: str) -> str:
    """The value of a one-line quoted scalar's text (between its quotes)."""
    if quote == "'":
        return text.replace("''", "'")
    if "\\" not in text:
        return text
    out: list[str] = []
    position = 0
    while True:
        backslash = text.find("\\", position)
        if backslash < 0:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:backslash])
        code = text[backslash + 1]
        if code == "x":
            out.append(chr(int(text[backslash + 2 : backslash + 4], 16)))
            position = backslash + 4
        else:
            out.append(_ESCAPED[code])
            position = backslash + 2


def _flow_item(item: str, build: _Values) -> Any:
    first = item[0]
    if first == "'" or first == '"':
        return build.string(_unquote(item[1:-1], first))
    return build.plain(item)
