"""A YAML emitter that lays out JSON-like values exactly as go-yaml's emitter does.

go-yaml (v2 behind sigs.k8s.io/yaml, v3 behind Helm's toYamlPretty) descends from libyaml. Its
output depends on a handful of emitter variables (column, indent, whether the last thing
written was whitespace or indentation) and on a per-scalar analysis that picks plain, single
quoted, double quoted or literal style. This module keeps the same variables and decisions for
the value space templates produce: None, bool, int, float, str, list and dict. Collections are
block style except empty ones (`[]`, `{}`); plain and quoted scalars fold at spaces once the
column passes the best width (80 for v2, unlimited for v3).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from functools import cmp_to_key

from otterhelm.codec.gofloat import format_g
from otterhelm.template.records import FrozenRecord, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_ASCII_DIGIT = re.compile("[0-9]")
_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_SIMPLE_KEY_MAX_BYTES = 128

_PLAIN, _SINGLE, _DOUBLE, _LITERAL = "plain", "single", "double", "literal"
_BREAKS = frozenset("\r\n\x85\u2028\u2029")
_SHORT_ESCAPES = {
    "\x00": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}


class EmitterStyle(FrozenRecord):
    """What differs between the go-yaml versions Helm uses. `tab_blocks_literal`: v3 lets a
    tab into a literal block; v2 counts it as a special character."""

    __slots__ = ("best_width", "indentless_sequences", "needs_quotes", "tab_blocks_literal", "v3_key_order")

    def __init__(
        self,
        best_width: int,
        indentless_sequences: bool,
        needs_quotes: Callable[[str], bool],
        tab_blocks_literal: bool = True,
        v3_key_order: bool = False,
    ) -> None:
        self.best_width = best_width
        self.indentless_sequences = indentless_sequences
        self.needs_quotes = needs_quotes
        self.tab_blocks_literal = tab_blocks_literal
        self.v3_key_order = v3_key_order


def _is_printable(character: str) -> bool:
    code = ord(character)
    return (
        code == 0x0A
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
    )


def _is_letter(character: str) -> bool:
    return character.isalpha()


def _is_digit(character: str) -> bool:
    return unicodedata.category(character) == "Nd"


def _wrap_int64(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value > _INT64_MAX else value


def _digit_value(character: str) -> int:
    # Go subtracts '0' from the rune even for non-ASCII digits.
    return ord(character) - ord("0")


def go_key_less(a: str, b: str, v3: bool = False) -> bool:
    """go-yaml's keyList.Less for two string keys: letters before other characters, and runs
    of digits compared by numeric value, so `a2` sorts before `a10`. v3 puts a letter after
    a digit when the common prefix ends in a digit."""
    length = min(len(a), len(b))
    after_digit = False
    for index in range(length):
        ca, cb = a[index], b[index]
        if ca == cb:
            after_digit = _is_digit(ca)
            continue
        a_letter, b_letter = _is_letter(ca), _is_letter(cb)
        if a_letter and b_letter:
            return ca < cb
        if a_letter or b_letter:
            return a_letter if v3 and after_digit else b_letter
        an = bn = 0
        if ca == "0" or cb == "0":
            back = index - 1
            while back >= 0 and _is_digit(a[back]):
                if a[back] != "0":
                    an = bn = 1
                    break
                back -= 1
        ai = index
        while ai < len(a) and _is_digit(a[ai]):
            an = _wrap_int64(an * 10 + _digit_value(a[ai]))
            ai += 1
        bi = index
        while bi < len(b) and _is_digit(b[bi]):
            bn = _wrap_int64(bn * 10 + _digit_value(b[bi]))
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _key_compare_v2(a: str, b: str) -> int:
    return -1 if go_key_less(a, b) else (1 if go_key_less(b, a) else 0)


def _key_compare_v3(a: str, b: str) -> int:
    return -1 if go_key_less(a, b, True) else (1 if go_key_less(b, a, True) else 0)


def _digit_free_order(key: str) -> list[tuple[bool, int]]:
    # Without digits, go-yaml's comparison is: other characters before letters, then by rune,
    # then shorter first; which is exactly this key's list order.
    return [(character.isalpha(), ord(character)) for character in key]


def sorted_keys(keys: Any, v3: bool = False) -> list[str]:
    """Keys in go-yaml's order. For the rare key sets on which go-yaml's comparison is not
    transitive ("1", "01", "0o17"), Go's result follows its random map iteration order and
    varies between helm runs; any consistent order is as right as another there."""
    keys = list(keys)
    if not any(_has_digit(key) for key in keys):
        return sorted(keys, key=_digit_free_order)
    return sorted(keys, key=cmp_to_key(_key_compare_v3 if v3 else _key_compare_v2))


def _has_digit(key: str) -> bool:
    return (
        any(_is_digit(character) for character in key)
        if not key.isascii()
        else _ASCII_DIGIT.search(key) is not None
    )


class _Analysis(Record):
    __slots__ = ("block_allowed", "block_plain_allowed", "multiline", "single_quoted_allowed")

    def __init__(
        self, multiline: bool, block_plain_allowed: bool, single_quoted_allowed: bool, block_allowed: bool
    ) -> None:
        self.multiline = multiline
        self.block_plain_allowed = block_plain_allowed
        self.single_quoted_allowed = single_quoted_allowed
        self.block_allowed = block_allowed


# Printable ASCII text that no analysis rule touches: no indicator at the start, no `: `,
# ` #` or trailing `:`, no leading or trailing space, no document marker.
_PLAIN_SAFE = re.compile(r"(?![- ?:#,\[\]{}&*!|>'\"%@`]|\.\.\.)[ -~]*(?<![ :])")
_PLAIN_SAFE_ANALYSIS = _Analysis(False, True, True, True)


# What yaml_emitter_analyze_scalar looks for, one search each rather than a loop over every
# character (long multi-line values are common: embedded configuration files).
_BREAK_CLASS = "\r\n\x85\u2028\u2029"
_NOT_PRINTABLE = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_NOT_PRINTABLE_BUT_TAB = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_ANY_BREAK = re.compile(f"[{_BREAK_CLASS}]")
# A literal block's text as runs: each line break alone, and the text between them.
_LINES_AND_BREAKS = re.compile(f"[{_BREAK_CLASS}]|[^{_BREAK_CLASS}]+")
_BREAK_THEN_SPACE = re.compile(f"[{_BREAK_CLASS}] ")
_SPACE_THEN_BREAK = re.compile(f" [{_BREAK_CLASS}]")
# After the first character: `:` followed by whitespace or the end, or `#` after whitespace.
_INNER_INDICATOR = re.compile(f"(?<=.):(?=[ \t]|\\Z)|(?<=[ \t\x00{_BREAK_CLASS}])#", re.DOTALL)


def _analyze(value: str, tab_blocks_literal: bool = True) -> _Analysis:
    """yaml_emitter_analyze_scalar for block context (flow context never holds scalars here)."""
    if not value:
        return _Analysis(False, True, True, False)
    if _PLAIN_SAFE.fullmatch(value) and ": " not in value and " #" not in value:
        return _PLAIN_SAFE_ANALYSIS
    first, last = value[0], value[-1]
    block_indicators = (
        value.startswith("---")
        or value.startswith("...")
        or first in "#,[]{}&*!|>'\"%@`"
        or (first in "?:-" and (len(value) == 1 or value[1] in " \t"))
        or _INNER_INDICATOR.search(value) is not None
    )
    if tab_blocks_literal:
        special, tabs = _NOT_PRINTABLE.search(value) is not None, False
    else:
        special, tabs = _NOT_PRINTABLE_BUT_TAB.search(value) is not None, "\t" in value
    line_breaks = _ANY_BREAK.search(value) is not None
    leading_space, trailing_space = first == " ", last == " "
    leading_break, trailing_break = first in _BREAKS, last in _BREAKS
    break_space = line_breaks and _BREAK_THEN_SPACE.search(value) is not None
    space_break = line_breaks and _SPACE_THEN_BREAK.search(value) is not None
    return analysis_of(
        block_indicators=block_indicators,
        line_breaks=line_breaks,
        special=special,
        tabs=tabs,
        leading_space=leading_space,
        leading_break=leading_break,
        trailing_space=trailing_space,
        trailing_break=trailing_break,
        break_space=break_space,
        space_break=space_break,
    )


def analysis_of(
    *,
    block_indicators: bool,
    line_breaks: bool,
    special: bool,
    tabs: bool,
    leading_space: bool,
    leading_break: bool,
    trailing_space: bool,
    trailing_break: bool,
    break_space: bool,
    space_break: bool,
) -> _Analysis:
    """The styles a scalar with these traits may take (the end of yaml_emitter_analyze_scalar,
    after it has walked the scalar)."""
    block_plain = single = block = True
    if leading_space or leading_break or trailing_space or trailing_break:
        block_plain = False
    if trailing_space:
        block = False
    if break_space:
        block_plain = single = False
    if space_break or special:
        block_plain = single = block = False
    if tabs:
        block_plain = single = False
    if line_breaks or block_indicators:
        block_plain = False
    return _Analysis(line_breaks, block_plain, single, block)


class _Emitter:
    def __init__(self, style: EmitterStyle) -> None:
        self.style = style
        self.out: list[str] = []
        self.column = 0
        self.indent = -1
        self.indents: list[int] = []
        self.whitespace = True
        self.indention = True

    # Low-level writers: the column counts characters, as go-yaml's does.
    def put(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        if self.column < indent:
            self.put(" " * (indent - self.column))
        self.whitespace = True
        self.indention = True

    def write_indicator(
        self, indicator: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool
    ) -> None:
        if need_whitespace and not self.whitespace:
            self.put(" ")
        self.put(indicator)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = 2 if flow else 0
        elif not indentless:
            self.indent += 2

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # Nodes.
    def node(self, value: Any, *, mapping: bool, simple_key: bool) -> None:
        if isinstance(value, dict):
            if not value:
                self.empty_collection("{", "}")
            else:
                self.block_mapping(value)
        elif isinstance(value, list):
            if not value:
                self.empty_collection("[", "]")
            else:
                self.block_sequence(value, mapping)
        else:
            text, style = self.scalar_text(value)
            self.scalar(text, style, simple_key)

    def empty_collection(self, opener: str, closer: str) -> None:
        self.write_indicator(opener, True, True, False)
        self.increase_indent(True, False)
        self.pop_indent()
        self.write_indicator(closer, False, False, False)

    def block_sequence(self, items: list[Any], mapping: bool) -> None:
        indentless = self.style.indentless_sequences and mapping and not self.indention
        self.increase_indent(False, indentless)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item, mapping=False, simple_key=False)
        self.pop_indent()

    def block_mapping(self, mapping: dict[str, Any]) -> None:
        self.increase_indent(False, False)
        for key in sorted_keys(mapping, self.style.v3_key_order):
            item = mapping[key]
            self.write_indent()
            key_text, key_style = self.scalar_text(key)
            if self.is_simple_key(key_text):
                self.scalar(key_text, key_style, True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.scalar(key_text, key_style, False)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(item, mapping=True, simple_key=False)
        self.pop_indent()

    @staticmethod
    def is_simple_key(text: str) -> bool:
        if _analyze(text).multiline:
            return False
        return len(text.encode("utf-8", "surrogatepass")) <= _SIMPLE_KEY_MAX_BYTES

    def scalar_text(self, value: Any) -> tuple[str, str]:
        """The encoder's choice (encode.go): text and requested style."""
        if value is None:
            return "null", _PLAIN
        if value is True:
            return "true", _PLAIN
        if value is False:
            return "false", _PLAIN
        if isinstance(value, int):
            return str(int(value)), _PLAIN
        if isinstance(value, float):
            if math.isnan(value):
                return ".nan", _PLAIN
            if math.isinf(value):
                return (".inf" if value > 0 else "-.inf"), _PLAIN
            return format_g(value), _PLAIN
        text = str(value)
        if "\n" in text:
            return text, _LITERAL
        if self.style.needs_quotes(text):
            return text, _DOUBLE
        return text, _PLAIN

    def scalar(self, text: str, requested: str, simple_key: bool) -> None:
        analysis = _analyze(text, self.style.tab_blocks_literal)
        style = requested
        if simple_key and analysis.multiline:
            style = _DOUBLE
        if style == _PLAIN and (not analysis.block_plain_allowed or (not text and simple_key)):
            style = _SINGLE
        if style == _SINGLE and not analysis.single_quoted_allowed:
            style = _DOUBLE
        if style == _LITERAL and (not analysis.block_allowed or simple_key):
            style = _DOUBLE
        self.increase_indent(True, False)
        allow_breaks = not simple_key
        if style == _PLAIN:
            self.write_plain(text, allow_breaks)
        elif style == _SINGLE:
            self.write_single_quoted(text, allow_breaks)
        elif style == _DOUBLE:
            self.write_double_quoted(text, allow_breaks)
        else:
            self.write_literal(text)
        self.pop_indent()

    def write_plain(self, text: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        width = self.style.best_width
        if not allow_breaks or " " not in text or self.column + len(text) - 1 <= width:
            # No space can fall past the best width, so nothing folds.
            self.put(text)
            self.whitespace = False
            self.indention = False
            return
        spaces = False
        last = len(text) - 1
        for index, character in enumerate(text):
            if character == " ":
                next_is_space = index < last and text[index + 1] == " "
                if allow_breaks and not spaces and self.column > width and not next_is_space:
                    self.write_indent()
                else:
                    self.put(character)
                spaces = True
            else:
                self.put(character)
                self.indention = False
                spaces = False
        self.whitespace = False
        self.indention = False

    def write_single_quoted(self, text: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        width = self.style.best_width
        last = len(text) - 1
        for index, character in enumerate(text):
            if character == " ":
                next_is_space = index < last and text[index + 1] == " "
                if (
                    allow_breaks
                    and not spaces
                    and self.column > width
                    and 0 < index < last
                    and not next_is_space
                ):
                    self.write_indent()
                else:
                    self.put(character)
                spaces = True
            elif character in _BREAKS:
                if not breaks and character == "\n":
                    self.put_break()
                self.write_break(character)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if character == "'":
                    self.put("'")
                self.put(character)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_break(self, character: str) -> None:
        if character == "\n":
            self.put_break()
        else:
            self.out.append(character)
            self.column = 0

    def write_double_quoted(self, text: str, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        width = self.style.best_width
        starts_with_bom = text.startswith("\ufeff")
        last = len(text) - 1
        for index, character in enumerate(text):
            if (
                starts_with_bom
                or not _is_printable(character)
                or character in _BREAKS
                or character == '"'
                or character == "\\"
            ):
                self.put("\\" + _escape(character))
                spaces = False
            elif character == " ":
                if allow_breaks and not spaces and self.column > width and 0 < index < last:
                    self.write_indent()
                    if text[index + 1] == " ":
                        self.put("\\")
                else:
                    self.put(character)
                spaces = True
            else:
                self.put(character)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, text: str) -> None:
        self.write_indicator("|", True, False, False)
        if text[:1] == " " or text[:1] in _BREAKS:
            self.write_indicator("2", False, False, False)
        chomp = ""
        if not text or text[-1] not in _BREAKS:
            chomp = "-"
        elif len(text) == 1 or text[-2] in _BREAKS:
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for run in _LINES_AND_BREAKS.findall(text):
            if run in _BREAKS:
                self.write_break(run)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(run)
                self.indention = False
                breaks = False

    def document(self, value: Any) -> str:
        self.node(value, mapping=False, simple_key=False)
        self.indent = -1
        self.write_indent()
        return "".join(self.out)


def _escape(character: str) -> str:
    short = _SHORT_ESCAPES.get(character)
    if short is not None:
        return short
    code = ord(character)
    if code <= 0xFF:
        return f"x{code:02X}"
    if code <= 0xFFFF:
        return f"u{code:04X}"
    return f"U{code:08X}"


def emit(value: Any, style: EmitterStyle) -> str:
    """One YAML document for `value`, ending in a newline, as go-yaml's Marshal writes it."""
    return _Emitter(style).document(value)
