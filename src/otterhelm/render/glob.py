"""gobwas/glob patterns with `/` as the separator, as Helm's `.Files.Glob` compiles them.

`*` matches within one path segment, `**` across segments, `?` one non-separator character,
`[abc]`/`[a-z]`/`[!abc]` one character from (or not from) a class, `{a,b}` any alternative
(alternatives may hold patterns and nest), and `\\` makes the next character literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

SEPARATOR = "/"


class GlobSyntaxError(ValueError):
    """The pattern does not compile (gobwas reports an error; Helm then uses `**`)."""


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.pos = 0

    def parse(self) -> str:
        regex = self._sequence(in_braces=False)
        if self.pos != len(self.pattern):
            raise GlobSyntaxError(f"unexpected {self.pattern[self.pos]!r} at {self.pos}")
        return regex

    def _sequence(self, *, in_braces: bool) -> str:
        out: list[str] = []
        text = self.pattern
        while self.pos < len(text):
            char = text[self.pos]
            if in_braces and char in ",}":
                return "".join(out)
            if char == "\\":
                if self.pos + 1 >= len(text):
                    raise GlobSyntaxError("unexpected end of pattern after escape")
                out.append(re.escape(text[self.pos + 1]))
                self.pos += 2
            elif char == "*":
                if text.startswith("**", self.pos):
                    out.append(".*")
                    self.pos += 2
                else:
                    out.append(f"[^{SEPARATOR}]*")
                    self.pos += 1
            elif char == "?":
                out.append(f"[^{SEPARATOR}]")
                self.pos += 1
            elif char == "[":
                out.append(self._char_class())
            elif char == "{":
                out.append(self._alternatives())
            elif char in "]}" or (char == "," and in_braces):
                raise GlobSyntaxError(f"unexpected {char!r}")
            else:
                out.append(re.escape(char))
                self.pos += 1
        if in_braces:
            raise GlobSyntaxError("unclosed alternatives")
        return "".join(out)

    def _char_class(self) -> str:
        text = self.pattern
        self.pos += 1
        negate = self.pos < len(text) and text[self.pos] == "!"
        if negate:
            self.pos += 1
        items: list[str] = []
        while True:
            if self.pos >= len(text):
                raise GlobSyntaxError("unclosed character class")
            char = text[self.pos]
            if char == "]":
                self.pos += 1
                break
            if char == "\\" and self.pos + 1 < len(text):
                char = text[self.pos + 1]
                self.pos += 1
            if self.pos + 2 < len(text) and text[self.pos + 1] == "-" and text[self.pos + 2] != "]":
                high = text[self.pos + 2]
                if high < char:
                    raise GlobSyntaxError("invalid range")
                items.append(f"{re.escape(char)}-{re.escape(high)}")
                self.pos += 3
            else:
                items.append(re.escape(char))
                self.pos += 1
        if not items:
            raise GlobSyntaxError("empty character class")
        return f"[{'^' if negate else ''}{''.join(items)}]"

    def _alternatives(self) -> str:
        self.pos += 1
        options = [self._sequence(in_braces=True)]
        while self.pattern[self.pos] == ",":
            self.pos += 1
            options.append(self._sequence(in_braces=True))
        self.pos += 1  # the closing brace
        return "(?:" + "|".join(options) + ")"


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> Callable[[str], bool]:
    """A matcher for `pattern`; raises GlobSyntaxError when gobwas would refuse it."""
    regex = re.compile(_Parser(pattern).parse(), re.DOTALL)
    return lambda name: regex.fullmatch(name) is not None


def helm_glob_matcher(pattern: str) -> Callable[[str], bool]:
    """What `.Files.Glob` uses: an invalid pattern matches everything (Helm falls back to `**`)."""
    try:
        return compile_glob(pattern)
    except GlobSyntaxError:
        return compile_glob("**")
