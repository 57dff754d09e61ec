"""Go regexp patterns that Python's `re` runs with the same results, rewritten for it.

Loading RE2 costs a render a few milliseconds, more than compiling the short patterns charts
pass to the regex functions costs with `re`. On a subset of Go's syntax the two engines
agree on every match and submatch: RE2's leftmost-first matching is defined as what a
backtracking engine such as `re` finds, and the loop rules in which backtracking engines
differ only come into play when a repeated group can match in more than one way. Within
the subset Go's meanings are spelled out for `re`: `\\d`, `\\w`, `\\s` and their negations
are ASCII classes, `^` and `$` are the start and end of the text, a `{` that opens no
repeat count is a literal.

The subset also bounds `re`'s backtracking: a repeated group holds only single-character
items, each optional one unable to match what follows it (so every text splits into the
group's repetitions one way only); a pattern has at most two unbounded repetitions and
four bounded choices (`?`, `{n,m}`) that can trade characters with what follows them. A
repetition followed by a required character it cannot match (`[0-9]+` by `\\.`) ends in
one place only, unless an earlier costly repetition moves where it starts. Anything else (flags, named groups, `\\b`, `\\pL`, POSIX classes,
nested repetition, patterns Go rejects) gives None, and the caller uses RE2.
"""

from __future__ import annotations

import functools
import re

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Go's Perl classes (ASCII-only), as ranges.
_PERL_CLASSES: dict[str, tuple[tuple[str, str], ...]] = {
    "d": (("0", "9"),),
    "w": (("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")),
    "s": (("\t", "\n"), ("\f", "\r"), (" ", " ")),
}
_MAX_REPEAT = 1000  # Go rejects larger repeat counts
_MAX_UNBOUNDED = 2
_MAX_BOUNDED_CHOICES = 4


class _Unsupported(Exception):
    """The pattern is outside the subset."""


class _CharSet:
    """The characters one item matches: `ranges`, or all others when `negated`."""

    __slots__ = ("negated", "ranges")

    def __init__(self, ranges: tuple[tuple[str, str], ...], negated: bool = False) -> None:
        self.ranges = ranges
        self.negated = negated

    def contains(self, char: str) -> bool:
        inside = any(low <= char <= high for low, high in self.ranges)
        return inside != self.negated

    def disjoint(self, other: _CharSet) -> bool:
        if self.negated and other.negated:
            return False
        if self.negated:
            return other.disjoint(self)
        # Each range of a positive set must avoid `other`; checked at every range boundary
        # of both sets that falls inside it, where membership can change.
        for low, high in self.ranges:
            points = {low, high}
            for other_low, other_high in other.ranges:
                points.update(p for p in (other_low, other_high) if low <= p <= high)
                for p in (chr(ord(other_low) - 1) if other_low > "\0" else "", chr(ord(other_high) + 1)):
                    if p and low <= p <= high:
                        points.add(p)
            if any(other.contains(p) for p in points):
                return False
        return True


_ANY_BUT_NEWLINE = _CharSet((("\n", "\n"),), negated=True)


class _Item:
    """One item of a sequence: a single character (with its set) or a group (set None)."""

    __slots__ = ("chars", "following", "minimum", "optional", "repeated", "unbounded")

    def __init__(self, chars: _CharSet | None) -> None:
        self.chars = chars
        self.optional = False
        self.repeated = False
        self.unbounded = False
        self.minimum = 1
        # The next item of the same alternative, if any.
        self.following: _Item | None = None

    def gives_back_cheaply(self) -> bool:
        """Whether what follows this repetition is a character it can never match, so that
        backtracking into it fails at once instead of trying each split again."""
        following = self.following
        if self.chars is None or following is None or following.chars is None:
            return False
        return following.minimum >= 1 and self.chars.disjoint(following.chars)


class _Group:
    """A group being read (or the whole pattern)."""

    __slots__ = ("alternatives", "items", "previous")

    def __init__(self) -> None:
        self.alternatives = 1
        self.items: list[_Item] = []
        # The last item of the current alternative.
        self.previous: _Item | None = None

    def append(self, item: _Item) -> None:
        if self.previous is not None:
            self.previous.following = item
        self.previous = item
        self.items.append(item)

    def simple_body(self) -> bool:
        """Whether repeating this group keeps the subset's promises: one alternative of
        single characters, the last required, each optional one disjoint from the next."""
        if self.alternatives != 1 or not self.items or self.items[-1].optional:
            return False
        for item, following in zip(self.items, self.items[1:], strict=False):
            if item.chars is None or item.repeated or following.chars is None:
                return False
            if item.optional and not item.chars.disjoint(following.chars):
                return False
        last = self.items[-1]
        return last.chars is not None and not last.repeated


# Templates call the regex functions with the same few patterns over and over.
@functools.lru_cache(maxsize=512)
def python_equivalent(pattern: str) -> str | None:
    """A pattern for Python's `re` that matches exactly as Go's regexp.Compile(pattern)
    does, or None when `pattern` is outside the subset this module rewrites."""
    try:
        return _Translator(pattern).translate()
    except _Unsupported:
        return None


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.index = 0
        self.out: list[str] = []
        self.groups = [_Group()]
        # The repetitions that leave the matcher a choice, in pattern order.
        self.choices: list[_Item] = []
        # The last item while a repetition operator may still apply to it.
        self.last: _Item | None = None
        self.last_group: _Group | None = None

    def translate(self) -> str:
        pattern = self.pattern
        while self.index < len(pattern):
            char = pattern[self.index]
            if char == "(":
                self.open_group()
            elif char == ")":
                self.close_group()
            elif char == "|":
                self.groups[-1].alternatives += 1
                self.groups[-1].previous = None
                self.out.append("|")
                self.last = None
                self.index += 1
            elif not self.repeat():
                self.single_item(char)
        if len(self.groups) != 1:
            raise _Unsupported
        if not self.backtracking_is_bounded():
            raise _Unsupported
        return "".join(self.out)

    def backtracking_is_bounded(self) -> bool:
        unbounded = bounded = 0
        for item in self.choices:
            if not unbounded and item.gives_back_cheaply():
                continue
            if item.unbounded:
                unbounded += 1
            else:
                bounded += 1
        return unbounded <= _MAX_UNBOUNDED and bounded <= _MAX_BOUNDED_CHOICES

    def open_group(self) -> None:
        if self.pattern.startswith("(?:", self.index):
            self.out.append("(?:")
            self.index += 3
        elif self.pattern.startswith("(?", self.index):
            raise _Unsupported
        else:
            self.out.append("(")
            self.index += 1
        self.groups.append(_Group())
        self.last = None

    def close_group(self) -> None:
        if len(self.groups) == 1:
            raise _Unsupported
        group = self.groups.pop()
        self.out.append(")")
        self.index += 1
        item = _Item(None)
        self.groups[-1].append(item)
        self.last = item
        self.last_group = group

    def repeat(self) -> bool:
        """Read a repetition operator at the index, if there is one."""
        parsed = _repeat_operator(self.pattern, self.index)
        if parsed is None:
            return False
        text, minimum, maximum, self.index = parsed
        item = self.last
        if item is None or item.repeated:
            raise _Unsupported  # Go: missing argument or nested repetition
        if item.chars is None and (self.last_group is None or not self.last_group.simple_body()):
            raise _Unsupported
        if self.pattern.startswith("?", self.index):
            text += "?"
            self.index += 1
        if _repeat_operator(self.pattern, self.index) is not None:
            raise _Unsupported
        item.minimum = minimum
        item.unbounded = maximum is None
        if maximum != minimum:
            self.choices.append(item)
        self.out.append(text)
        item.optional = text.startswith("?")
        item.repeated = not item.optional
        self.last = None
        return True

    def single_item(self, char: str) -> None:
        if char == "[":
            text, chars, self.index = _character_class(self.pattern, self.index)
        elif char == "\\":
            text, chars = _escape(self.pattern, self.index)
            self.index += 2
        elif char in "^$":
            # Zero-width: nothing may repeat it, and a group holding it is not simple.
            self.out.append("\\A" if char == "^" else "\\Z")
            self.groups[-1].append(_Item(None))
            self.last = None
            self.index += 1
            return
        elif char == ".":
            text, chars = ".", _ANY_BUT_NEWLINE
            self.index += 1
        else:
            text, chars = re.escape(char), _CharSet(((char, char),))
            self.index += 1
        self.out.append(text)
        item = _Item(chars)
        self.groups[-1].append(item)
        self.last = item


def _repeat_operator(pattern: str, index: int) -> tuple[str, int, int | None, int] | None:
    """The repetition operator at `index`: its text, minimum, maximum (None: unbounded) and
    the index after it; None if there is none (a `{` opening no count is a literal in Go)."""
    char = pattern[index] if index < len(pattern) else ""
    if char == "?":
        return "?", 0, 1, index + 1
    if char in ("*", "+"):
        return char, 0 if char == "*" else 1, None, index + 1
    if char != "{":
        return None
    close = pattern.find("}", index)
    if close < 0:
        return None
    low, comma, high = pattern[index + 1 : close].partition(",")
    if not _is_count(low) or (high and not _is_count(high)):
        return None
    if int(low) > _MAX_REPEAT or (high and not int(low) <= int(high) <= _MAX_REPEAT):
        raise _Unsupported  # Go: invalid repeat count
    maximum = int(high) if high else None if comma else int(low)
    return pattern[index : close + 1], int(low), maximum, close + 1


def _is_count(text: str) -> bool:
    if text.startswith("0") and text[1:2].isdigit():
        raise _Unsupported  # Go reads no leading zero here; left to RE2
    return text.isascii() and text.isdigit()


def _escape(pattern: str, index: int) -> tuple[str, _CharSet]:
    """`\\x` at `index` outside a class: a Perl class or an escaped punctuation character."""
    char = pattern[index + 1 : index + 2]
    if char and char.lower() in _PERL_CLASSES:
        ranges = _PERL_CLASSES[char.lower()]
        negated = char.isupper()
        body = "".join(_range_text(low, high) for low, high in ranges)
        return ("[^" if negated else "[") + body + "]", _CharSet(ranges, negated)
    if char and char in _PUNCTUATION:
        return re.escape(char), _CharSet(((char, char),))
    raise _Unsupported


def _character_class(pattern: str, index: int) -> tuple[str, _CharSet, int]:
    """The class `[...]` opening at `index`: its text for `re`, its set, the index after it."""
    position = index + 1
    negated = pattern.startswith("^", position)
    if negated:
        position += 1
    if pattern.startswith("]", position):
        raise _Unsupported  # a leading ] is a literal in Go
    ranges: list[tuple[str, str]] = []
    while True:
        if position >= len(pattern):
            raise _Unsupported
        char = pattern[position]
        if char == "]":
            break
        if pattern.startswith("[:", position):
            raise _Unsupported
        perl = pattern[position + 1 : position + 2] if char == "\\" else ""
        if perl in _PERL_CLASSES:
            ranges.extend(_PERL_CLASSES[perl])
            position += 2
            continue
        low, position = _class_character(pattern, position)
        high = low
        if pattern.startswith("-", position) and not pattern.startswith("-]", position):
            high, position = _class_character(pattern, position + 1)
            if high < low:
                raise _Unsupported  # Go: invalid character class range
        ranges.append((low, high))
    body = "".join(_range_text(low, high) for low, high in ranges)
    return ("[^" if negated else "[") + body + "]", _CharSet(tuple(ranges), negated), position + 1


def _class_character(pattern: str, position: int) -> tuple[str, int]:
    if position >= len(pattern):
        raise _Unsupported
    char = pattern[position]
    if char != "\\":
        return char, position + 1
    escaped = pattern[position + 1 : position + 2]
    if escaped and escaped in _PUNCTUATION:
        return escaped, position + 2
    raise _Unsupported


def _range_text(low: str, high: str) -> str:
    return _in_class(low) if low == high else _in_class(low) + "-" + _in_class(high)


def _in_class(char: str) -> str:
    # Escaped so that `re` reads each as itself (and sees no possible set operation).
    if char in "\\]^-[&~|":
        return "\\" + char
    return {"\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\v": "\\v"}.get(char, char)
