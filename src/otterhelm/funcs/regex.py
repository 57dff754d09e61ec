"""Sprig's regex functions (regex.go) with Go regexp semantics on top of RE2.

RE2 and Go's regexp share the syntax and leftmost-first matching; patterns that
`regex_translate` can rewrite for Python's `re` run there instead when the text is short,
which spares a render loading RE2. What Go adds is done here: the `FindAll` loop that drops an empty match right after a previous match,
`ReplaceAllString`'s `$1`/`${name}` expansion (where `$1x` names a group "1x"), `Split`
and Go's compile error texts (`error parsing regexp: missing closing ): `(``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from otterhelm.funcs.gokinds import StringList
from otterhelm.funcs.regex_translate import python_equivalent
from otterhelm.template.fmt import can_backquote, go_quote
from otterhelm.template.gotypes import INT, STRING, Func, FuncError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_META = frozenset("\\.+*?()|[]{}^$")
# Longer texts go to RE2 even when `re` could run the pattern: RE2 matches in linear time,
# and a backtracking search, cheap on the short strings charts match, need not be.
PYTHON_TEXT_LIMIT = 128

# RE2's error texts -> Go regexp/syntax ErrorCode texts.
_ERROR_CODES = {
    "missing )": "missing closing )",
    "missing ]": "missing closing ]",
    "unexpected )": "unexpected )",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid repetition size": "invalid repeat count",
    "missing argument to repetition operator": "missing argument to repetition operator",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid escape sequence": "invalid escape sequence",
    "invalid character class range": "invalid character class range",
    "invalid character class": "invalid character class",
    "invalid named capture group": "invalid named capture",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid UTF-8": "invalid UTF-8",
}


class RegexCompileError(ValueError):
    """A pattern Go's regexp.Compile rejects; str() is Go's message."""


class GoRegexp:
    """A compiled pattern with Go's match-iteration rules."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        translated = python_equivalent(pattern)
        self._python = None if translated is None else re.compile(translated)
        self._re2: Any = None
        compiled = self._python if self._python is not None else self._compiled_re2()
        self.group_names = {index: name for name, index in compiled.groupindex.items()}
        self.groups: int = compiled.groups

    def _compiled_re2(self) -> Any:
        if self._re2 is None:
            import re2

            options = re2.Options()
            options.log_errors = False
            try:
                self._re2 = re2.compile(self.pattern, options=options)
            except re2.error as error:
                raise RegexCompileError(_go_error_text(error)) from None
        return self._re2

    def _execute(self, text: str, pos: int) -> list[int] | None:
        if self._python is not None and len(text) <= PYTHON_TEXT_LIMIT:
            match: Any = self._python.search(text, pos)
        else:
            match = self._compiled_re2().search(text, pos)
        if match is None:
            return None
        spans: list[int] = []
        for group in range(self.groups + 1):
            start, end = match.span(group)
            spans += [start, end]
        return spans

    def all_matches(self, text: str, limit: int) -> list[list[int]]:
        if limit < 0:
            limit = len(text) + 1
        found: list[list[int]] = []
        pos = 0
        prev_end = -1
        while len(found) < limit and pos <= len(text):
            spans = self._execute(text, pos)
            if spans is None:
                break
            accept = True
            if spans[1] == pos:
                if spans[0] == prev_end:
                    accept = False
                pos = pos + 1 if pos < len(text) else len(text) + 1
            else:
                pos = spans[1]
            prev_end = spans[1]
            if accept:
                found.append(spans)
        return found

    def find_all(self, text: str, limit: int) -> StringList:
        if limit == 0:
            return StringList()
        return StringList(text[spans[0] : spans[1]] for spans in self.all_matches(text, limit))

    def find(self, text: str) -> str:
        spans = self._execute(text, 0)
        return "" if spans is None else text[spans[0] : spans[1]]

    def matches(self, text: str) -> bool:
        return self._execute(text, 0) is not None

    def replace_all(self, text: str, replace: Callable[[list[int]], str]) -> str:
        out: list[str] = []
        last_end = 0
        search_pos = 0
        while search_pos <= len(text):
            spans = self._execute(text, search_pos)
            if spans is None:
                break
            out.append(text[last_end : spans[0]])
            if spans[1] > last_end or spans[0] == 0:
                out.append(replace(spans))
            last_end = spans[1]
            if search_pos + 1 > spans[1]:
                search_pos += 1
            else:
                search_pos = spans[1]
        out.append(text[last_end:])
        return "".join(out)

    def expand(self, template: str, text: str, spans: list[int]) -> str:
        out: list[str] = []
        while template:
            before, dollar, after = template.partition("$")
            if not dollar:
                break
            out.append(before)
            template = after
            if template.startswith("$"):
                out.append("$")
                template = template[1:]
                continue
            parsed = _extract(template)
            if parsed is None:
                out.append("$")
                continue
            name, number, template = parsed
            if number >= 0:
                if 2 * number + 1 < len(spans) and spans[2 * number] >= 0:
                    out.append(text[spans[2 * number] : spans[2 * number + 1]])
            else:
                for index, group_name in sorted(self.group_names.items()):
                    if group_name == name and spans[2 * index] >= 0:
                        out.append(text[spans[2 * index] : spans[2 * index + 1]])
                        break
        out.append(template)
        return "".join(out)

    def split(self, text: str, limit: int) -> StringList:
        if limit == 0:
            return StringList()
        if self.pattern and not text:
            return StringList([""])
        parts = StringList()
        begin = end = 0
        for spans in self.all_matches(text, limit):
            if limit > 0 and len(parts) == limit - 1:
                break
            end = spans[0]
            if spans[1] != 0:
                parts.append(text[begin:end])
            begin = spans[1]
        if end != len(text):
            parts.append(text[begin:])
        return parts


def _extract(template: str) -> tuple[str, int, str] | None:
    brace = template.startswith("{")
    body = template[1:] if brace else template
    length = 0
    while length < len(body) and (body[length].isalnum() or body[length] == "_"):
        if body[length].isnumeric() and not body[length].isdecimal():
            break
        length += 1
    if length == 0:
        return None
    name = body[:length]
    if brace:
        if length >= len(body) or body[length] != "}":
            return None
        length += 1
    number = 0
    for char in name:
        if not ("0" <= char <= "9") or number >= 100_000_000:
            number = -1
            break
        number = number * 10 + ord(char) - ord("0")
    if len(name) > 1 and name[0] == "0":
        number = -1
    return name, number, body[length:]


def _go_error_text(error: Exception) -> str:
    raw = error.args[0] if error.args else str(error)
    message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if message.startswith("trailing \\"):
        return "error parsing regexp: trailing backslash at end of expression: ``"
    code, _, fragment = message.partition(": ")
    if code == "pattern too large - compile failed":
        return "error parsing regexp: expression too large"
    return f"error parsing regexp: {_ERROR_CODES.get(code, code)}: `{fragment}`"


def _must_compile(pattern: str) -> GoRegexp:
    """regexp.MustCompile: the panic text names the pattern."""
    try:
        return GoRegexp(pattern)
    except RegexCompileError as error:
        raise FuncError(f"regexp: Compile({_backquote(pattern)}): {error}") from None


def _compile_or_error(pattern: str) -> GoRegexp:
    try:
        return GoRegexp(pattern)
    except RegexCompileError as error:
        raise FuncError(str(error)) from None


def _backquote(text: str) -> str:
    # regexp.quote: strconv.CanBackquote decides between `...` and "...".
    return "`" + text + "`" if can_backquote(text) else go_quote(text)


def quote_meta(text: str) -> str:
    return "".join("\\" + char if char in _META else char for char in text)


def regex_match(pattern: str, text: str) -> bool:
    try:
        return GoRegexp(pattern).matches(text)
    except RegexCompileError:
        return False


def must_regex_match(pattern: str, text: str) -> bool:
    return _compile_or_error(pattern).matches(text)


def regex_find_all(pattern: str, text: str, limit: int) -> StringList:
    return _must_compile(pattern).find_all(text, limit)


def must_regex_find_all(pattern: str, text: str, limit: int) -> StringList:
    return _compile_or_error(pattern).find_all(text, limit)


def regex_find(pattern: str, text: str) -> str:
    return _must_compile(pattern).find(text)


def must_regex_find(pattern: str, text: str) -> str:
    return _compile_or_error(pattern).find(text)


def _replace_all(compiled: GoRegexp, text: str, replacement: str) -> str:
    return compiled.replace_all(text, lambda spans: compiled.expand(replacement, text, spans))


def regex_replace_all(pattern: str, text: str, replacement: str) -> str:
    return _replace_all(_must_compile(pattern), text, replacement)


def must_regex_replace_all(pattern: str, text: str, replacement: str) -> str:
    return _replace_all(_compile_or_error(pattern), text, replacement)


def regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return _must_compile(pattern).replace_all(text, lambda _spans: replacement)


def must_regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return _compile_or_error(pattern).replace_all(text, lambda _spans: replacement)


def regex_split(pattern: str, text: str, limit: int) -> StringList:
    return _must_compile(pattern).split(text, limit)


def must_regex_split(pattern: str, text: str, limit: int) -> StringList:
    return _compile_or_error(pattern).split(text, limit)


FUNCS: dict[str, Func] = {
    "regexMatch": Func(regex_match, (STRING, STRING)),
    "mustRegexMatch": Func(must_regex_match, (STRING, STRING)),
    "regexFindAll": Func(regex_find_all, (STRING, STRING, INT)),
    "mustRegexFindAll": Func(must_regex_find_all, (STRING, STRING, INT)),
    "regexFind": Func(regex_find, (STRING, STRING)),
    "mustRegexFind": Func(must_regex_find, (STRING, STRING)),
    "regexReplaceAll": Func(regex_replace_all, (STRING, STRING, STRING)),
    "mustRegexReplaceAll": Func(must_regex_replace_all, (STRING, STRING, STRING)),
    "regexReplaceAllLiteral": Func(regex_replace_all_literal, (STRING, STRING, STRING)),
    "mustRegexReplaceAllLiteral": Func(must_regex_replace_all_literal, (STRING, STRING, STRING)),
    "regexSplit": Func(regex_split, (STRING, STRING, INT)),
    "mustRegexSplit": Func(must_regex_split, (STRING, STRING, INT)),
    "regexQuoteMeta": Func(quote_meta, (STRING,)),
}
