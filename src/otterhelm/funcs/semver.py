"""Sprig's `semver` and `semverCompare` (semver.go) on Masterminds/semver v3 as Helm links it.

Parsing and constraint checking live in otterhelm.chart.semver (Helm uses the same
library for Chart.yaml dependencies); this module exposes a parsed version to templates
as Go's *semver.Version: it prints as its String(), and `.Major`, `.Prerelease`,
`.Original`, `.Compare` etc. are callable methods.
"""

from __future__ import annotations

from collections.abc import Mapping

from otterhelm.chart.semver import SemverError, Version, parse_constraints, parse_version
from otterhelm.template.gotypes import STRING, Func, FuncError, GoObject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar


class TemplateVersion(GoObject):
    """A *semver.Version value inside a template."""

    go_type: ClassVar[str] = "*semver.Version"

    def __init__(self, version: Version, original: str) -> None:
        self.version = version
        self.original = original

    def go_string(self) -> str | None:
        return str(self.version)

    def go_json(self) -> str:
        """Version.MarshalJSON: the version string."""
        return str(self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TemplateVersion) and self.version == other.version

    def __hash__(self) -> int:
        return hash(self.version)


def _other(value: Any) -> Version:
    if not isinstance(value, TemplateVersion):
        raise FuncError("wrong type for value; expected *semver.Version")
    return value.version


def _bump(version: Version, part: str) -> TemplateVersion:
    v = version
    if part == "major":
        bumped = Version(v.major + 1, 0, 0)
    elif part == "minor":
        bumped = Version(v.major, v.minor + 1, 0)
    elif v.pre:
        # IncPatch on a prerelease drops the prerelease and keeps the patch number.
        bumped = Version(v.major, v.minor, v.patch)
    else:
        bumped = Version(v.major, v.minor, v.patch + 1)
    return TemplateVersion(bumped, str(bumped))


_METHODS: Mapping[str, Func] = {
    "Major": Func(lambda self: self.version.major, ()),
    "Minor": Func(lambda self: self.version.minor, ()),
    "Patch": Func(lambda self: self.version.patch, ()),
    "Prerelease": Func(lambda self: self.version.pre, ()),
    "Metadata": Func(lambda self: self.version.metadata, ()),
    "Original": Func(lambda self: self.original, ()),
    "String": Func(lambda self: str(self.version), ()),
    "IncMajor": Func(lambda self: _bump(self.version, "major"), ()),
    "IncMinor": Func(lambda self: _bump(self.version, "minor"), ()),
    "IncPatch": Func(lambda self: _bump(self.version, "patch"), ()),
    "Compare": Func(lambda self, other: self.version.compare(_other(other)), ("*semver.Version",)),
    "LessThan": Func(lambda self, other: self.version.compare(_other(other)) < 0, ("*semver.Version",)),
    "GreaterThan": Func(lambda self, other: self.version.compare(_other(other)) > 0, ("*semver.Version",)),
    "Equal": Func(lambda self, other: self.version.compare(_other(other)) == 0, ("*semver.Version",)),
}
TemplateVersion.go_methods = _METHODS


def semver(text: str) -> TemplateVersion:
    try:
        return TemplateVersion(parse_version(text), text)
    except SemverError as error:
        raise FuncError(str(error)) from None


def semver_compare(constraint: str, text: str) -> bool:
    try:
        constraints = parse_constraints(constraint)
        version = parse_version(text)
    except SemverError as error:
        raise FuncError(str(error)) from None
    return constraints.check(version)


FUNCS: dict[str, Func] = {
    "semver": Func(semver, (STRING,)),
    "semverCompare": Func(semver_compare, (STRING, STRING)),
}
