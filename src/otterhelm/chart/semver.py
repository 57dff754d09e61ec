"""Masterminds/semver v3 versions and constraints, as Helm uses them for Chart.yaml
`version` validation and for matching `dependencies[].version` ranges (version.go,
constraints.go). `NewVersion` coerces (CoerceNewVersion is on by default)."""

from __future__ import annotations

import functools
import re

from otterhelm.template.records import FrozenRecord

_NUM = frozenset("0123456789")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")

_LOOSE_VERSION = re.compile(
    r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?\Z"
)
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"


# Masterminds' constraint expressions. `valid` is a `single` followed by more of them.
_CONSTRAINT_PATTERNS = {
    "single": rf"^\s*({_OPS})\s*({_CV})\s*\Z",
    "range": rf"\s*({_CV})\s+-\s+({_CV})\s*",
    "find": rf"({_OPS})\s*({_CV})",
    "valid": rf"^(\s*({_OPS})\s*({_CV})\s*)((?:\s+|,\s*)({_OPS})\s*({_CV})\s*)*\Z",
}


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    # Each compiled on first use: most runs never parse a constraint, and `valid` alone
    # takes about 5 ms to compile.
    return re.compile(_CONSTRAINT_PATTERNS[name])


_UINT64_MAX = 2**64 - 1


class SemverError(ValueError):
    """An invalid version or constraint, with Masterminds' message."""


class Version(FrozenRecord):
    __slots__ = ("major", "metadata", "minor", "patch", "pre")

    def __init__(self, major: int, minor: int, patch: int, pre: str = "", metadata: str = "") -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.metadata = metadata

    def compare(self, other: Version) -> int:
        for a, b in ((self.major, other.major), (self.minor, other.minor), (self.patch, other.patch)):
            if a != b:
                return -1 if a < b else 1
        if self.pre == other.pre == "":
            return 0
        if self.pre == "":
            return 1
        if other.pre == "":
            return -1
        return _compare_prerelease(self.pre, other.pre)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += f"-{self.pre}"
        if self.metadata:
            text += f"+{self.metadata}"
        return text


def _parse_uint(text: str) -> int:
    value = int(text)
    if value > _UINT64_MAX:
        raise SemverError(
            f'error parsing version segment: strconv.ParseUint: parsing "{text}": value out of range'
        )
    return value


def _validate_prerelease(pre: str) -> None:
    for part in pre.split("."):
        if part == "":
            raise SemverError("invalid prerelease string")
        if set(part) <= _NUM:
            if len(part) > 1 and part[0] == "0":
                raise SemverError("version segment starts with 0")
        elif not set(part) <= _ALLOWED:
            raise SemverError("invalid prerelease string")


def _validate_metadata(meta: str) -> None:
    for part in meta.split("."):
        if part == "" or not set(part) <= _ALLOWED:
            raise SemverError("invalid metadata string")


def parse_version(text: str) -> Version:
    """Masterminds `NewVersion` (coercing: `1`, `1.2`, `v1.2.3` are accepted)."""
    m = _LOOSE_VERSION.match(text)
    if m is None or m.end() != len(text):
        raise SemverError("invalid semantic version")
    major = _parse_uint(m.group(1))
    minor = _parse_uint(m.group(2)[1:]) if m.group(2) else 0
    patch = _parse_uint(m.group(3)[1:]) if m.group(3) else 0
    pre = m.group(5) or ""
    meta = m.group(8) or ""
    if pre:
        _validate_prerelease(pre)
    if meta:
        _validate_metadata(meta)
    return Version(major, minor, patch, pre, meta)


def is_valid_version(text: str) -> bool:
    try:
        parse_version(text)
    except SemverError:
        return False
    return True


def _compare_prerelease(a: str, b: str) -> int:
    aparts = a.split(".")
    bparts = b.split(".")
    for i in range(max(len(aparts), len(bparts))):
        d = _compare_pre_part(aparts[i] if i < len(aparts) else "", bparts[i] if i < len(bparts) else "")
        if d:
            return d
    return 0


def _as_uint(text: str) -> int | None:
    if text and set(text) <= _NUM:
        value = int(text)
        return value if value <= _UINT64_MAX else None
    return None


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    oi = _as_uint(o)
    si = _as_uint(s)
    if oi is None and si is None:
        return 1 if s > o else -1
    if oi is None:
        return -1
    if si is None:
        return 1
    return 1 if si > oi else -1


class _Constraint(FrozenRecord):
    __slots__ = ("con", "dirty", "minor_dirty", "op", "patch_dirty")

    def __init__(self, op: str, con: Version, dirty: bool, minor_dirty: bool, patch_dirty: bool) -> None:
        self.op = op
        self.con = con
        self.dirty = dirty
        self.minor_dirty = minor_dirty
        self.patch_dirty = patch_dirty

    def check(self, v: Version, include_pre: bool) -> bool:
        if v.pre and not include_pre:
            return False
        return _CHECKS[self.op](v, self)


def _is_x(text: str) -> bool:
    return text in ("x", "*", "X")


def _parse_constraint(text: str) -> _Constraint:
    if not text:
        return _Constraint("", Version(0, 0, 0), True, False, False)
    m = _pattern("single").match(text)
    if m is None:
        raise SemverError(f"improper constraint: {_go_quote(text)}")
    ver = m.group(2)
    major, minor, patch, pre = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
    dirty = minor_dirty = patch_dirty = False
    if _is_x(major) or major == "":
        ver, dirty = f"0.0.0{pre}", True
    elif _is_x(minor[1:]) or minor == "":
        ver, dirty, minor_dirty = f"{major}.0.0{pre}", True, True
    elif _is_x(patch[1:]) or patch == "":
        ver, dirty, patch_dirty = f"{major}{minor}.0{pre}", True, True
    try:
        con = parse_version(ver)
    except SemverError:
        raise SemverError("constraint parser error") from None
    return _Constraint(m.group(1), con, dirty, minor_dirty, patch_dirty)


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _not_equal(v: Version, c: _Constraint) -> bool:
    if c.dirty:
        if c.con.major != v.major:
            return True
        if c.con.minor != v.minor and not c.minor_dirty:
            return True
        if c.minor_dirty:
            return False
        if c.con.patch != v.patch and not c.patch_dirty:
            return True
        if c.patch_dirty:
            if v.pre or c.con.pre:
                return _compare_prerelease(v.pre, c.con.pre) != 0
            return False
    return v.compare(c.con) != 0


def _greater(v: Version, c: _Constraint) -> bool:
    if not c.dirty:
        return v.compare(c.con) == 1
    if v.major != c.con.major:
        return v.major > c.con.major
    if c.minor_dirty:
        return False
    if c.patch_dirty:
        return v.minor > c.con.minor
    return v.compare(c.con) == 1


def _less(v: Version, c: _Constraint) -> bool:
    return v.compare(c.con) < 0


def _greater_equal(v: Version, c: _Constraint) -> bool:
    return v.compare(c.con) >= 0


def _less_equal(v: Version, c: _Constraint) -> bool:
    if not c.dirty:
        return v.compare(c.con) <= 0
    if v.major > c.con.major:
        return False
    return not (v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty)


def _tilde(v: Version, c: _Constraint) -> bool:
    if v.compare(c.con) < 0:
        return False
    if c.con.major == 0 and c.con.minor == 0 and c.con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.major != c.con.major:
        return False
    return not (v.minor != c.con.minor and not c.minor_dirty)


def _tilde_or_equal(v: Version, c: _Constraint) -> bool:
    if c.dirty:
        return _tilde(v, c)
    return v.compare(c.con) == 0


def _caret(v: Version, c: _Constraint) -> bool:
    if v.compare(c.con) < 0:
        return False
    if c.con.major > 0 or c.minor_dirty:
        return v.major == c.con.major
    if v.major > 0:
        return False
    if c.con.minor > 0 or c.patch_dirty:
        return v.minor == c.con.minor
    if v.minor > 0:
        return False
    return c.con.patch == v.patch


_CHECKS = {
    "": _tilde_or_equal,
    "=": _tilde_or_equal,
    "!=": _not_equal,
    ">": _greater,
    "<": _less,
    ">=": _greater_equal,
    "=>": _greater_equal,
    "<=": _less_equal,
    "=<": _less_equal,
    "~": _tilde,
    "~>": _tilde,
    "^": _caret,
}


class Constraints(FrozenRecord):
    __slots__ = ("alternatives", "contains_pre")

    def __init__(
        self, alternatives: tuple[tuple[_Constraint, ...], ...], contains_pre: tuple[bool, ...]
    ) -> None:
        self.alternatives = alternatives
        self.contains_pre = contains_pre

    def check(self, v: Version) -> bool:
        return any(
            all(c.check(v, has_pre) for c in group)
            for group, has_pre in zip(self.alternatives, self.contains_pre, strict=True)
        )


def _rewrite_range(text: str) -> str:
    if "-" not in text:
        return text
    out = text
    for m in _pattern("range").finditer(text):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return out


def parse_constraints(text: str) -> Constraints:
    """Masterminds `NewConstraint`."""
    text = _rewrite_range(text)
    groups: list[tuple[_Constraint, ...]] = []
    has_pre: list[bool] = []
    for alternative in text.split("||"):
        # Whatever `single` matches, `valid` matches too; `single` compiles far faster.
        if not _pattern("single").match(alternative) and not _pattern("valid").match(alternative):
            raise SemverError(f"improper constraint: {_go_quote(alternative)}")
        found = [m.group(0) for m in _pattern("find").finditer(alternative)] or [alternative]
        parsed = tuple(_parse_constraint(s) for s in found)
        groups.append(parsed)
        has_pre.append(any(c.con.pre for c in parsed))
    return Constraints(tuple(groups), tuple(has_pre))


def is_compatible_range(constraint: str, version: str) -> bool:
    """Helm's chartutil IsCompatibleRange: false when either side does not parse."""
    try:
        return parse_constraints(constraint).check(parse_version(version))
    except SemverError:
        return False
