"""Tokenizer for Go template text, following text/template/parse/lex.go.

The lexer produces the same item kinds at the same positions as Go's, including trim
markers (`{{- ` / ` -}}`), comments, newlines inside actions and the break/continue
keywords (which are plain identifiers when a function of that name exists). Positions
are character offsets into the text; the lexer stops after the first error item.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from otterhelm.template.fmt import go_quote


class Item(enum.IntEnum):
    ERROR = 0
    BOOL = 1
    CHAR = 2
    CHAR_CONSTANT = 3
    COMMENT = 4
    COMPLEX = 5
    ASSIGN = 6
    DECLARE = 7
    EOF = 8
    FIELD = 9
    IDENTIFIER = 10
    LEFT_DELIM = 11
    LEFT_PAREN = 12
    NUMBER = 13
    PIPE = 14
    RAW_STRING = 15
    RIGHT_DELIM = 16
    RIGHT_PAREN = 17
    SPACE = 18
    STRING = 19
    TEXT = 20
    VARIABLE = 21
    KEYWORD = 22  # keywords sort after this marker
    BLOCK = 23
    BREAK = 24
    CONTINUE = 25
    DOT = 26
    DEFINE = 27
    ELSE = 28
    END = 29
    IF = 30
    NIL = 31
    RANGE = 32
    TEMPLATE = 33
    WITH = 34


KEYWORDS = {
    ".": Item.DOT,
    "block": Item.BLOCK,
    "break": Item.BREAK,
    "continue": Item.CONTINUE,
    "define": Item.DEFINE,
    "else": Item.ELSE,
    "end": Item.END,
    "if": Item.IF,
    "range": Item.RANGE,
    "nil": Item.NIL,
    "template": Item.TEMPLATE,
    "with": Item.WITH,
}

SPACE_CHARS = " \t\r\n"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"


# A lexer state returns the next state, or None when scanning is over.
_Next = Callable[[], Any] | None


class Token(NamedTuple):
    typ: Item
    pos: int
    val: str
    line: int
    # In compact mode (no SPACE items), whether a run of spaces came right before.
    space: bool = False

    def describe(self) -> str:
        """Go's item.String(), used in `unexpected X in Y` errors."""
        if self.typ == Item.EOF:
            return "EOF"
        if self.typ == Item.ERROR:
            return self.val
        if self.typ > Item.KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote(self.val[:10]) + "..."
        return go_quote(self.val)


def is_space(char: str) -> bool:
    return char in SPACE_CHARS and char != ""


def is_alnum(char: str) -> bool:
    return char == "_" or char.isalpha() or char.isdecimal()


def _has_left_trim(text: str, pos: int) -> bool:
    return text[pos : pos + 1] == "-" and is_space(text[pos + 1 : pos + 2])


def _has_right_trim(text: str, pos: int) -> bool:
    return is_space(text[pos : pos + 1]) and text[pos + 1 : pos + 2] == "-"


class Lexer:
    """Scans the whole input into a token list (Go's lexer runs as a coroutine; the
    parser sees the same sequence)."""

    def __init__(
        self,
        text: str,
        left: str = "{{",
        right: str = "}}",
        emit_comment: bool = False,
        break_ok: bool = True,
        continue_ok: bool = True,
        keep_spaces: bool = True,
    ) -> None:
        """`keep_spaces=False` is the parser's compact mode: instead of SPACE items, the
        item after a run of spaces has `space` set (the parser needs nothing more)."""
        self.input = text
        self.keep_spaces = keep_spaces
        self.space_before = False
        self.left = left or "{{"
        self.right = right or "}}"
        self.emit_comment = emit_comment
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.pos = 0
        self.start = 0
        self.paren_depth = 0
        self.tokens: list[Token] = []
        self._line = 1
        self._line_pos = 0

    # -- helpers -------------------------------------------------------------------

    def _line_at(self, pos: int) -> int:
        # Items arrive in position order, so count newlines only since the last item.
        if pos >= self._line_pos:
            self._line += self.input.count("\n", self._line_pos, pos)
            self._line_pos = pos
            return self._line
        return 1 + self.input.count("\n", 0, pos)

    def _emit(self, typ: Item) -> None:
        start = self.start
        self.tokens.append(
            Token(typ, start, self.input[start : self.pos], self._line_at(start), self.space_before)
        )
        self.space_before = False
        self.start = self.pos

    def _error(self, message: str) -> None:
        start = self.start
        self.tokens.append(Token(Item.ERROR, start, message, self._line_at(start), self.space_before))

    def _peek(self) -> str:
        return self.input[self.pos : self.pos + 1]

    def _next(self) -> str:
        char = self.input[self.pos : self.pos + 1]
        if char:
            self.pos += 1
        return char

    def _accept(self, valid: str) -> bool:
        char = self._peek()
        if char and char in valid:
            self.pos += 1
            return True
        return False

    def _accept_run(self, valid: str) -> None:
        while self._accept(valid):
            pass

    def _at_right_delim(self) -> tuple[bool, bool]:
        text, pos = self.input, self.pos
        if _has_right_trim(text, pos) and text.startswith(self.right, pos + 2):
            return True, True
        if text.startswith(self.right, pos):
            return True, False
        return False, False

    def _at_terminator(self) -> bool:
        char = self._peek()
        if char == "" or is_space(char) or char in ".,|:()":
            return True
        return self.input.startswith(self.right, self.pos)

    # -- states ----------------------------------------------------------------------

    def run(self) -> list[Token]:
        state: _Next = self._lex_text
        while state is not None:
            state = state()
        return self.tokens

    def _lex_text(self) -> _Next:
        text = self.input
        x = text.find(self.left, self.pos)
        if x >= 0:
            if x > self.pos:
                self.pos = x
                trim = 0
                if _has_left_trim(text, x + len(self.left)):
                    segment = text[self.start : self.pos]
                    trim = len(segment) - len(segment.rstrip(SPACE_CHARS))
                self.pos -= trim
                if self.pos > self.start:
                    self._emit(Item.TEXT)
                self.pos += trim
                self.start = self.pos
            return self._lex_left_delim
        self.pos = len(text)
        if self.pos > self.start:
            self._emit(Item.TEXT)
        self._emit(Item.EOF)
        return None

    def _lex_left_delim(self) -> _Next:
        self.pos += len(self.left)
        trim = _has_left_trim(self.input, self.pos)
        after = 2 if trim else 0
        if self.input.startswith(LEFT_COMMENT, self.pos + after):
            self.pos += after
            self.start = self.pos
            return self._lex_comment
        self._emit(Item.LEFT_DELIM)
        self.pos += after
        self.start = self.pos
        self.paren_depth = 0
        return self._lex_inside_action

    def _lex_comment(self) -> _Next:
        self.pos += len(LEFT_COMMENT)
        x = self.input.find(RIGHT_COMMENT, self.pos)
        if x < 0:
            self._error("unclosed comment")
            return None
        self.pos = x + len(RIGHT_COMMENT)
        delim, trim = self._at_right_delim()
        if not delim:
            self._error("comment ends before closing delimiter")
            return None
        comment = Token(
            Item.COMMENT, self.start, self.input[self.start : self.pos], self._line_at(self.start)
        )
        if trim:
            self.pos += 2
        self.pos += len(self.right)
        if trim:
            self.pos = _skip_spaces(self.input, self.pos)
        self.start = self.pos
        if self.emit_comment:
            self.tokens.append(comment)
        return self._lex_text

    def _lex_right_delim(self) -> _Next:
        _, trim = self._at_right_delim()
        if trim:
            self.pos += 2
            self.start = self.pos
        self.pos += len(self.right)
        self._emit(Item.RIGHT_DELIM)
        if trim:
            self.pos = _skip_spaces(self.input, self.pos)
            self.start = self.pos
        return self._lex_text

    def _lex_inside_action(self) -> _Next:
        """Scan the common tokens of an action in one loop; anything unusual (numbers,
        characters, raw strings, errors, trim markers) goes through the step-by-step
        states below, which follow Go's lexer exactly."""
        text = self.input
        right = self.right
        tokens = self.tokens
        line_at = self._line_at
        keep_spaces = self.keep_spaces
        left = self.left
        while True:
            pos = self.pos
            if text.startswith(right, pos):
                if self.paren_depth:
                    return self._lex_inside_action_step
                # The action ends; scan the text after it and the next left delimiter
                # here too, unless a trim marker, a comment or the end of input needs
                # the full states.
                end = pos + len(right)
                tokens.append(Token(Item.RIGHT_DELIM, pos, right, line_at(pos), self.space_before))
                self.space_before = False
                self.pos = self.start = end
                x = text.find(left, end)
                if x < 0:
                    return self._lex_text
                after = x + len(left)
                if _has_left_trim(text, after) or text.startswith(LEFT_COMMENT, after):
                    return self._lex_text
                if x > end:
                    tokens.append(Token(Item.TEXT, end, text[end:x], line_at(end)))
                tokens.append(Token(Item.LEFT_DELIM, x, left, line_at(x)))
                self.paren_depth = 0
                self.pos = self.start = after
                continue
            match = _FAST_TOKEN.match(text, pos)
            if match is None:
                return self._lex_inside_action_step
            kind = match.lastgroup
            end = match.end()
            value = match.group()
            if kind == "word":
                if not value.isascii():
                    return self._lex_inside_action_step
                following = text[end : end + 1]
                if following and following not in _TERMINATORS and not text.startswith(right, end):
                    return self._lex_inside_action_step
                first = value[0]
                if first == ".":
                    typ = Item.FIELD if len(value) > 1 else Item.DOT
                elif first == "$":
                    typ = Item.VARIABLE
                else:
                    keyword = KEYWORDS.get(value)
                    if keyword is not None:
                        if (keyword == Item.BREAK and not self.break_ok) or (
                            keyword == Item.CONTINUE and not self.continue_ok
                        ):
                            typ = Item.IDENTIFIER
                        else:
                            typ = keyword
                    elif value == "true" or value == "false":
                        typ = Item.BOOL
                    else:
                        typ = Item.IDENTIFIER
            elif kind == "space":
                # A space may begin a trim-marked right delimiter (" -}}"): Go's lexSpace.
                if text[end : end + 1] == "-" and text.startswith(right, end + 1):
                    return self._lex_inside_action_step
                if not keep_spaces:
                    self.space_before = True
                    self.pos = self.start = end
                    continue
                typ = Item.SPACE
            elif kind == "string":
                typ = Item.STRING
            elif kind == "raw":
                typ = Item.RAW_STRING
            elif kind == "number":
                # Only a plain decimal followed by space, `|`, `)` or the delimiter; every
                # other spelling (1.5, 0x1F, 1e3, 2i, 089) takes Go's full number scan.
                following = text[end : end + 1]
                if following and following not in _NUMBER_ENDS and not text.startswith(right, end):
                    return self._lex_inside_action_step
                typ = Item.NUMBER
            elif kind == "pipe":
                typ = Item.PIPE
            elif kind == "lparen":
                typ = Item.LEFT_PAREN
                self.paren_depth += 1
            elif kind == "declare":
                typ = Item.DECLARE
            else:
                typ = Item.ASSIGN
            tokens.append(Token(typ, pos, value, line_at(pos), self.space_before))
            self.space_before = False
            self.pos = self.start = end

    def _lex_inside_action_step(self) -> _Next:
        delim, _ = self._at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self._lex_right_delim
            self._error("unclosed left paren")
            return None
        char = self._next()
        if char == "":
            self._error("unclosed action")
            return None
        if is_space(char):
            self.pos -= 1
            return self._lex_space
        if char == "=":
            self._emit(Item.ASSIGN)
        elif char == ":":
            if self._next() != "=":
                self._error("expected :=")
                return None
            self._emit(Item.DECLARE)
        elif char == "|":
            self._emit(Item.PIPE)
        elif char == '"':
            return self._lex_quote
        elif char == "`":
            return self._lex_raw_quote
        elif char == "$":
            return self._lex_variable
        elif char == "'":
            return self._lex_char
        elif char == "." and not ("0" <= self._peek() <= "9" and self._peek() != ""):
            return self._lex_field
        elif char in "+-." or "0" <= char <= "9":
            self.pos -= 1
            return self._lex_number
        elif is_alnum(char):
            self.pos -= 1
            return self._lex_identifier
        elif char == "(":
            self._emit(Item.LEFT_PAREN)
            self.paren_depth += 1
        elif char == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self._error("unexpected right paren")
                return None
            self._emit(Item.RIGHT_PAREN)
        elif char <= "\x7f" and char.isprintable():
            self._emit(Item.CHAR)
        else:
            self._error(f"unrecognized character in action: {_rune_desc(char)}")
            return None
        return self._lex_inside_action

    def _lex_space(self) -> _Next:
        end = _skip_spaces(self.input, self.pos)
        spaces = end - self.pos
        self.pos = end
        # A trim-marked right delimiter starts with a space: leave that space to it.
        if _has_right_trim(self.input, self.pos - 1) and self.input.startswith(self.right, self.pos + 1):
            self.pos -= 1
            if spaces == 1:
                return self._lex_right_delim
        if self.keep_spaces:
            self._emit(Item.SPACE)
        else:
            self.space_before = True
            self.start = self.pos
        return self._lex_inside_action

    def _lex_identifier(self) -> _Next:
        self.pos = _skip_alnum(self.input, self.pos)
        word = self.input[self.start : self.pos]
        if not self._at_terminator():
            self._error(f"bad character {_rune_desc(self._peek())}")
            return None
        keyword = KEYWORDS.get(word)
        if keyword is not None and keyword > Item.KEYWORD:
            if (keyword == Item.BREAK and not self.break_ok) or (
                keyword == Item.CONTINUE and not self.continue_ok
            ):
                self._emit(Item.IDENTIFIER)
            else:
                self._emit(keyword)
        elif word[0] == ".":
            self._emit(Item.FIELD)
        elif word in ("true", "false"):
            self._emit(Item.BOOL)
        else:
            self._emit(Item.IDENTIFIER)
        return self._lex_inside_action

    def _lex_field(self) -> _Next:
        return self._lex_field_or_variable(Item.FIELD)

    def _lex_variable(self) -> _Next:
        if self._at_terminator():
            self._emit(Item.VARIABLE)
            return self._lex_inside_action
        return self._lex_field_or_variable(Item.VARIABLE)

    def _lex_field_or_variable(self, typ: Item) -> _Next:
        if self._at_terminator():
            self._emit(Item.VARIABLE if typ == Item.VARIABLE else Item.DOT)
            return self._lex_inside_action
        self.pos = _skip_alnum(self.input, self.pos)
        if not self._at_terminator():
            self._error(f"bad character {_rune_desc(self._peek())}")
            return None
        self._emit(typ)
        return self._lex_inside_action

    def _lex_char(self) -> _Next:
        return self._lex_escaped_until("'", Item.CHAR_CONSTANT, "unterminated character constant")

    def _lex_number(self) -> _Next:
        if not self._scan_number():
            self._error(f"bad number syntax: {go_quote(self.input[self.start : self.pos])}")
            return None
        sign = self._peek()
        if sign in ("+", "-") and sign != "":
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                self._error(f"bad number syntax: {go_quote(self.input[self.start : self.pos])}")
                return None
            self._emit(Item.COMPLEX)
        else:
            self._emit(Item.NUMBER)
        return self._lex_inside_action

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        if is_alnum(self._peek()) and self._peek() != "":
            self.pos += 1
            return False
        return True

    def _lex_quote(self) -> _Next:
        return self._lex_escaped_until('"', Item.STRING, "unterminated quoted string")

    def _lex_escaped_until(self, closing: str, item: Item, unterminated: str) -> _Next:
        """A character constant or an interpreted string: backslash escapes, no newline."""
        while True:
            char = self._next()
            if char == "\\":
                nxt = self._next()
                if nxt not in ("", "\n"):
                    continue
                self._error(unterminated)
                return None
            if char in ("", "\n"):
                self._error(unterminated)
                return None
            if char == closing:
                break
        self._emit(item)
        return self._lex_inside_action

    def _lex_raw_quote(self) -> _Next:
        end = self.input.find("`", self.pos)
        if end < 0:
            self._error("unterminated raw quoted string")
            return None
        self.pos = end + 1
        self._emit(Item.RAW_STRING)
        return self._lex_inside_action


_SPACE_RUN = re.compile(r"[ \t\r\n]*")


_WORD_RUN = re.compile(r"\w*")
# The tokens _lex_inside_action scans in its fast loop. "word" is a field (.x or a lone
# dot), a variable ($x or $) or an identifier; it must end at a terminator, as in Go.
_FAST_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<word>\.(?![0-9])\w*|\$\w*|[^\W\d]\w*)"
    r'|(?P<string>"(?:[^"\\\n]|\\[^\n])*")'
    r"|(?P<raw>`[^`]*`)"
    r"|(?P<number>[0-9]+)"
    r"|(?P<pipe>\|)"
    r"|(?P<lparen>\()"
    r"|(?P<declare>:=)"
    r"|(?P<assign>=)"
)
_NUMBER_ENDS = frozenset(" \t\r\n|)")
_TERMINATORS = frozenset(" \t\r\n.,|:()")


def _skip_alnum(text: str, pos: int) -> int:
    """The position after the run of Go identifier characters (letters, digits, `_`)."""
    match = _WORD_RUN.match(text, pos)
    assert match is not None
    end = match.end()
    word = text[pos:end]
    if not word.isascii():
        # Python's \w is wider than Go's letters and decimal digits; stop where Go would.
        for index, char in enumerate(word):
            if not is_alnum(char):
                return pos + index
    return end


def _skip_spaces(text: str, pos: int) -> int:
    """The position after the run of Go space characters starting at pos."""
    match = _SPACE_RUN.match(text, pos)
    assert match is not None
    return match.end()


def _rune_desc(char: str) -> str:
    """Go's `%#U`: U+0041 'A'."""
    if char == "":
        return "U+FFFFFFFFFFFFFFFF"
    code = ord(char)
    text = f"U+{code:04X}"
    if char.isprintable():
        text += f" '{char}'"
    return text
