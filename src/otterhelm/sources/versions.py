"""Choosing chart versions the way Helm does: Masterminds semver v3 versions and constraints.

Everything the sources need from semver goes through `parse_version`, `newest_first` and
`matches`; they are the one place to switch to the template functions' semver module.
Behaviour follows Masterminds/semver v3 (version.go, constraints.go): lenient versions
(`v1.2`), wildcards, `~ ^ - || ,`, and prereleases matched only by constraints that name one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from otterhelm.errors import InvalidArgument

_LENIENT = re.compile(
    r"^v?(?P<major>[0-9]+)(?:\.(?P<minor>[0-9]+))?(?:\.(?P<patch>[0-9]+))?"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+(?P<meta>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_STRICT = re.compile(
    r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str = ""
    original: str = ""

    def key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


def parse_version(text: str, *, strict: bool = False) -> Version | None:
    """A semver version, or None when `text` is not one. `strict` is StrictNewVersion
    (exactly MAJOR.MINOR.PATCH, used for registry tags)."""
    if strict and not _STRICT.match(text):
        return None
    m = _LENIENT.match(text)
    if m is None:
        return None
    return Version(int(m["major"]), int(m["minor"] or 0), int(m["patch"] or 0), m["pre"] or "", original=text)


def _compare_prerelease(a: str, b: str) -> int:
    if a == b:
        return 0
    if not a:
        return 1
    if not b:
        return -1
    for x, y in zip(a.split("."), b.split("."), strict=False):
        if x == y:
            continue
        xn, yn = x.isdigit(), y.isdigit()
        if xn and yn:
            return -1 if int(x) < int(y) else 1
        if xn != yn:
            return -1 if xn else 1
        return -1 if x < y else 1
    return -1 if len(a.split(".")) < len(b.split(".")) else 1


def compare(a: Version, b: Version) -> int:
    if a.key() != b.key():
        return -1 if a.key() < b.key() else 1
    return _compare_prerelease(a.prerelease, b.prerelease)


def newest_first(versions: Iterable[str], *, strict: bool = False) -> list[str]:
    """The strings that parse as versions, highest first (equal versions keep their order)."""
    parsed = [v for v in (parse_version(s, strict=strict) for s in versions) if v is not None]
    ordered = sorted(parsed, key=functools.cmp_to_key(compare), reverse=True)
    return [v.original for v in ordered]


@dataclass(frozen=True)
class _Term:
    op: str
    version: Version
    minor_dirty: bool
    patch_dirty: bool

    @property
    def dirty(self) -> bool:
        return self.minor_dirty or self.patch_dirty


_TERM = re.compile(r"^(?P<op>=>|=<|>=|<=|!=|~>|[=<>~^])?\s*(?P<ver>\S+)$")
_WILD = {"x", "X", "*"}


def _parse_term(text: str, constraint: str) -> _Term:
    m = _TERM.match(text)
    if m is None:
        raise InvalidArgument(f"improper constraint: {constraint}")
    op = {"=>": ">=", "=<": "<=", "~>": "~", "": "="}.get(m["op"] or "", m["op"] or "=")
    raw = m["ver"].removeprefix("v")
    split_at = re.search(r"[-+]", raw)
    core, rest = (raw[: split_at.start()], raw[split_at.start() :]) if split_at else (raw, "")
    fields = core.split(".")
    if len(fields) > 3 or not fields[0]:
        raise InvalidArgument(f"improper constraint: {constraint}")
    minor_dirty = len(fields) < 2 or fields[1] in _WILD
    patch_dirty = minor_dirty or len(fields) < 3 or fields[2] in _WILD
    if fields[0] in _WILD:
        minor_dirty = patch_dirty = True
    numbers = ["0" if f in _WILD else f for f in fields] + ["0"] * (3 - len(fields))
    text_version = ".".join(numbers) + rest
    version = parse_version(text_version)
    if version is None:
        raise InvalidArgument(f"improper constraint: {constraint}")
    if fields[0] in _WILD and op == "=":
        op = ">="
    return _Term(op, version, minor_dirty, patch_dirty)


def _term_matches(v: Version, t: _Term) -> bool:
    if v.prerelease and not t.version.prerelease:
        return False
    c = t.version
    cmp = compare(v, c)
    if t.op == "=":
        if t.minor_dirty:
            return v.major == c.major
        if t.patch_dirty:
            return v.major == c.major and v.minor == c.minor
        return cmp == 0
    if t.op == "!=":
        if t.minor_dirty:
            return v.major != c.major
        if t.patch_dirty:
            return not (v.major == c.major and v.minor == c.minor)
        return cmp != 0
    if t.op == ">":
        if t.minor_dirty:
            return v.major > c.major
        if t.patch_dirty:
            return v.major > c.major or (v.major == c.major and v.minor > c.minor)
        return cmp > 0
    if t.op == "<":
        return cmp < 0
    if t.op == ">=":
        return cmp >= 0
    if t.op == "<=":
        if t.minor_dirty:
            return v.major <= c.major
        if t.patch_dirty:
            return v.major < c.major or (v.major == c.major and v.minor <= c.minor)
        return cmp <= 0
    if t.op == "~":
        return cmp >= 0 and v.major == c.major and (t.minor_dirty or v.minor == c.minor)
    # "^"
    if cmp < 0:
        return False
    if c.major > 0 or t.minor_dirty:
        return v.major == c.major
    if c.minor > 0 or t.patch_dirty:
        return v.major == 0 and v.minor == c.minor
    return v.major == 0 and v.minor == 0 and v.patch == c.patch


def _parse_group(group: str, constraint: str) -> list[_Term]:
    group = group.strip()
    hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", group)
    if hyphen:
        return [_parse_term(">=" + hyphen[1], constraint), _parse_term("<=" + hyphen[2], constraint)]
    # ">= 1.2" is one term: glue operators to the version that follows them.
    glued = re.sub(r"(=>|=<|>=|<=|!=|~>|[=<>~^])\s+", r"\1", group)
    pieces = [p for p in re.split(r"[\s,]+", glued) if p]
    if not pieces:
        raise InvalidArgument(f"improper constraint: {constraint}")
    return [_parse_term(p, constraint) for p in pieces]


def parse_constraint(constraint: str) -> Callable[[Version], bool]:
    """A predicate for `constraint`; InvalidArgument `improper constraint: …` when malformed."""
    groups = [_parse_group(g, constraint) for g in constraint.split("||")]

    def check(v: Version) -> bool:
        return any(all(_term_matches(v, t) for t in terms) for terms in groups)

    return check


def matches(constraint: str, version: str) -> bool:
    parsed = parse_version(version)
    return parsed is not None and parse_constraint(constraint)(parsed)


def is_version_range(text: str) -> bool:
    """Helm's isVersionRange (pkg/repo/v1/index.go): operators, `||`, ` - ` or x-wildcards."""
    if any(c in text for c in "^~<>=!*") or "||" in text or " - " in text:
        return True
    core = re.split(r"[-+]", text, maxsplit=1)[0]
    return "x" in core or "X" in core


def select(candidates: Iterable[str], constraint: str | None, *, strict: bool = False) -> str | None:
    """Helm's choice among `candidates` (newest first): an exact string match wins, then the
    first that satisfies the constraint (`*` when none is given)."""
    ordered = list(candidates)
    if constraint:
        if constraint in ordered:
            return constraint
        check = parse_constraint(constraint)
    else:
        check = parse_constraint("*")
    for text in ordered:
        parsed = parse_version(text, strict=strict)
        if parsed is not None and check(parsed):
            return text
    return None
