"""Choosing chart versions the way Helm does, on the project's Masterminds semver v3
(otterhelm.chart.semver, which the template functions use too).

Adds what the sources need on top: StrictNewVersion for registry tags, newest-first
ordering, Helm's exact-string-first selection (pkg/repo/v1 index.go Get, pkg/registry
tag.go GetTagMatchingVersionOrConstraint) and isVersionRange.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from otterhelm.chart.semver import SemverError, Version, parse_constraints
from otterhelm.chart.semver import parse_version as _parse_version
from otterhelm.errors import InvalidArgument

# Masterminds StrictNewVersion: exactly MAJOR.MINOR.PATCH, no leading zeros, no `v`.
_STRICT = re.compile(
    r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)


def parse_version(text: str, *, strict: bool = False) -> Version | None:
    """A semver version, or None when `text` is not one (NewVersion, or StrictNewVersion
    when `strict`)."""
    if strict and not _STRICT.match(text):
        return None
    try:
        return _parse_version(text)
    except SemverError:
        return None


def newest_first(versions: Iterable[str], *, strict: bool = False) -> list[str]:
    """The strings that parse as versions, highest first (equal versions keep their order)."""
    parsed = [(text, v) for text in versions if (v := parse_version(text, strict=strict)) is not None]

    def by_version(a: tuple[str, Version], b: tuple[str, Version]) -> int:
        return a[1].compare(b[1])

    ordered = sorted(parsed, key=functools.cmp_to_key(by_version), reverse=True)
    return [text for text, _ in ordered]


def parse_constraint(constraint: str) -> Callable[[Version], bool]:
    """A predicate for `constraint`; InvalidArgument (`improper constraint: …`) when malformed."""
    try:
        return parse_constraints(constraint).check
    except SemverError as err:
        raise InvalidArgument(str(err)) from None


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
    first that satisfies the constraint (`*` when none is given, which leaves out prereleases)."""
    ordered = list(candidates)
    if constraint and constraint in ordered:
        return constraint
    check = parse_constraint(constraint or "*")
    for text in ordered:
        parsed = parse_version(text, strict=strict)
        if parsed is not None and check(parsed):
            return text
    return None
