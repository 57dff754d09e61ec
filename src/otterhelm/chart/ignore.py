"""`.helmignore` rules with Helm's matching (pkg/ignore/rules.go) over Go's
`filepath.Match` (path/filepath/match.go)."""

from __future__ import annotations

import re

from otterhelm.errors import InvalidArgument
from otterhelm.template.records import FrozenRecord, Record

HELM_IGNORE = ".helmignore"
_UTF8_BOM = "\ufeff"


class IgnoreRuleError(InvalidArgument):
    """A .helmignore line Helm refuses."""


class BadPattern(Exception):
    """Go's filepath.ErrBadPattern."""

    def __str__(self) -> str:
        return "syntax error in pattern"


def _scan_chunk(pattern: str) -> tuple[bool, str, str]:
    star = False
    while pattern and pattern[0] == "*":
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if i + 1 < len(pattern):
                i += 1
        elif ch == "[":
            in_range = True
        elif ch == "]":
            in_range = False
        elif ch == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _get_esc(chunk: str) -> tuple[str, str]:
    if not chunk or chunk[0] in "-]":
        raise BadPattern
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise BadPattern
    ch, rest = chunk[0], chunk[1:]
    if not rest:
        raise BadPattern
    return ch, rest


def _match_chunk(chunk: str, s: str) -> tuple[str, bool]:
    """Go's matchChunk: the rest of s after chunk matched at its start, or ok=False."""
    failed = False
    while chunk:
        if not failed and not s:
            failed = True
        head = chunk[0]
        if head == "[":
            r = ""
            if not failed:
                r, s = s[0], s[1:]
            chunk = chunk[1:]
            negated = False
            if chunk and chunk[0] == "^":
                negated = True
                chunk = chunk[1:]
            matched = False
            nrange = 0
            while True:
                if chunk and chunk[0] == "]" and nrange > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _get_esc(chunk)
                hi = lo
                if chunk[0] == "-":
                    hi, chunk = _get_esc(chunk[1:])
                if lo <= r <= hi and r != "":
                    matched = True
                nrange += 1
            if matched == negated:
                failed = True
        elif head == "?":
            if not failed:
                if s[0] == "/":
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
        elif head == "\\":
            chunk = chunk[1:]
            if not chunk:
                raise BadPattern
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
        else:
            if not failed:
                if head != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    if failed:
        return "", False
    return s, True


def go_path_match(pattern: str, name: str) -> bool:
    """filepath.Match on a Unix system; raises BadPattern like Go's ErrBadPattern."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return "/" not in name
        rest, ok = _match_chunk(chunk, name)
        if ok and (not rest or pattern):
            name = rest
            continue
        if star:
            matched = False
            i = 0
            while i < len(name) and name[i] != "/":
                rest, ok = _match_chunk(chunk, name[i + 1 :])
                if ok:
                    if not pattern and rest:
                        i += 1
                        continue
                    name = rest
                    matched = True
                    break
                i += 1
            if matched:
                continue
        # Go checks the remaining pattern for syntax errors before reporting no match.
        while pattern:
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name


def _class_char(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def translate(pattern: str) -> re.Pattern[str]:
    """A regular expression equivalent to a syntactically valid filepath.Match pattern."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            i += 1
            out.append(re.escape(pattern[i]))
        elif ch == "[":
            i += 1
            negated = pattern[i] == "^"
            if negated:
                i += 1
            items: list[str] = []
            while pattern[i] != "]" or not items:
                lo = pattern[i + 1] if pattern[i] == "\\" else pattern[i]
                i += 2 if pattern[i] == "\\" else 1
                if pattern[i] == "-":
                    i += 1
                    hi = pattern[i + 1] if pattern[i] == "\\" else pattern[i]
                    i += 2 if pattern[i] == "\\" else 1
                    items.append(f"{_class_char(lo)}-{_class_char(hi)}" if lo <= hi else "(?!)")
                else:
                    items.append(_class_char(lo))
            body = "".join(i for i in items if i != "(?!)")
            if negated:
                out.append(f"[^{body}]" if body else "[\\s\\S]")
            else:
                out.append(f"[{body}]" if body else "(?!)")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _base(path: str) -> str:
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path else "."
    return stripped.rsplit("/", 1)[-1]


class _Pattern(FrozenRecord):
    __slots__ = ("basename_only", "must_dir", "negate", "raw", "regex", "rule")

    def __init__(
        self,
        raw: str,
        rule: str,
        negate: bool,
        must_dir: bool,
        basename_only: bool,
        regex: re.Pattern[str] | None,
    ) -> None:
        self.raw = raw
        self.rule = rule
        self.negate = negate
        self.must_dir = must_dir
        self.basename_only = basename_only
        self.regex = regex

    def matches(self, path: str, base: str) -> bool:
        name = base if self.basename_only else path
        if self.regex is not None:
            return self.regex.fullmatch(name) is not None
        try:
            return go_path_match(self.rule, name)
        except BadPattern:
            return False


class Rules(Record):
    __slots__ = ("patterns",)

    def __init__(self, patterns: list[_Pattern] | None = None) -> None:
        self.patterns: list[_Pattern] = [] if patterns is None else patterns

    @classmethod
    def parse(cls, text: str) -> Rules:
        rules = cls()
        for number, line in enumerate(text.split("\n")):
            if number == 0:
                line = line.removeprefix(_UTF8_BOM)
            rules.add(line.removesuffix("\r"))
        return rules

    def add_defaults(self) -> None:
        # Dotfiles under templates/ are never rendered.
        self.add("templates/.?*")

    def add(self, rule: str) -> None:
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            return
        if "**" in rule:
            raise IgnoreRuleError("double-star (**) syntax is not supported")
        try:
            go_path_match(rule, "abc")
        except BadPattern as err:
            raise IgnoreRuleError(str(err)) from None
        raw = rule
        negate = rule.startswith("!")
        if negate:
            rule = rule[1:]
        must_dir = rule.endswith("/")
        if must_dir:
            rule = rule[:-1]
        anchored = rule.startswith("/")
        if anchored:
            rule = rule[1:]
        try:
            regex: re.Pattern[str] | None = translate(rule)
        except (IndexError, re.error):
            regex = None
        self.patterns.append(_Pattern(raw, rule, negate, must_dir, not anchored and "/" not in rule, regex))

    def compiled(self) -> IgnoreMatcher:
        """The rules as one matcher for many paths (a chart directory's walk)."""
        return IgnoreMatcher(self.patterns)

    def ignore(self, path: str, is_dir: bool) -> bool:
        """Whether Helm skips `path` (relative, slash-separated)."""
        if path in ("", ".", "./"):
            return False
        base = _base(path)
        for p in self.patterns:
            if p.negate:
                # Helm's quirk: a negated rule that does not match ignores the path.
                if p.must_dir and not is_dir:
                    return True
                if not p.matches(path, base):
                    return True
                continue
            if p.must_dir and not is_dir:
                continue
            if p.matches(path, base):
                return True
        return False


class IgnoreMatcher:
    """Rules.ignore with the plain rules folded into a few regular expressions. A path is
    skipped when any rule fires (a plain rule that matches, or a negated one that does not,
    by Helm's quirk), so the order of the rules does not matter and the plain ones can be
    tried together: one alternation for those matching the base name, one for those
    matching the whole path, and two more for the directory-only rules."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        groups: dict[tuple[bool, bool], list[str]] = {}
        self.others: list[_Pattern] = []
        for pattern in patterns:
            if pattern.negate or pattern.regex is None:
                self.others.append(pattern)
            else:
                groups.setdefault((pattern.must_dir, pattern.basename_only), []).append(pattern.regex.pattern)

        def combined(must_dir: bool, basename_only: bool) -> re.Pattern[str] | None:
            sources = groups.get((must_dir, basename_only))
            if not sources:
                return None
            return re.compile("|".join(f"(?:{source})" for source in sources), re.DOTALL)

        self.base = combined(False, True)
        self.path = combined(False, False)
        self.dir_base = combined(True, True)
        self.dir_path = combined(True, False)

    def ignore(self, path: str, is_dir: bool) -> bool:
        if path in ("", ".", "./"):
            return False
        base = _base(path)
        if self.base is not None and self.base.fullmatch(base) is not None:
            return True
        if self.path is not None and self.path.fullmatch(path) is not None:
            return True
        if is_dir:
            if self.dir_base is not None and self.dir_base.fullmatch(base) is not None:
                return True
            if self.dir_path is not None and self.dir_path.fullmatch(path) is not None:
                return True
        for pattern in self.others:
            if pattern.negate:
                if (pattern.must_dir and not is_dir) or not pattern.matches(path, base):
                    return True
            elif (not pattern.must_dir or is_dir) and pattern.matches(path, base):
                return True
        return False
