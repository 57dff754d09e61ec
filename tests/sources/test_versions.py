"""Version selection as Helm does it (Masterminds/semver v3 constraints_test.go and
version_test.go vectors; helm pkg/repo/v1 index_test.go and pkg/registry tag_test.go)."""

from __future__ import annotations

import pytest

from otterhelm.errors import InvalidArgument
from otterhelm.sources import versions


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        # constraints_test.go TestConstraintCheck
        ("=2.0.0", "1.2.3", False),
        ("=2.0.0", "2.0.0", True),
        ("=2.0", "2.0.0", True),
        ("4.1", "4.1.0", True),
        ("!=4.1.0", "4.1.0", False),
        ("!=4.1.0", "4.1.1", True),
        ("!=4.x", "5.1.0", True),
        ("!=4.x", "4.1.0", False),
        (">1.1", "1.1.0", False),
        (">1.1", "4.1.0", True),
        ("<1.1", "0.1.0", True),
        ("<1.1", "1.1.0", False),
        ("<1.x", "1.1.1", False),
        ("<1.x", "0.1.1", True),
        (">=1.1", "1.1.0", True),
        ("<=1.1", "0.1.0", True),
        ("<=1.1", "1.1.0", True),
        ("<=1.1", "1.1.1", True),
        ("<=1.x", "1.5.0", True),
        ("<=1.x", "2.0.0", False),
        (">1.1, <3", "4.3.2", False),
        (">1.1 <3", "2.0.0", True),
        ("1.1 - 3", "4.3.2", False),
        ("1.1 - 3", "2.3.4", True),
        ("1.1 - 3", "3.9.9", True),
        ("~1.2.3", "1.2.4", True),
        ("~1.2.3", "1.3.4", False),
        ("~1.2", "1.2.4", True),
        ("~1.2", "1.3.4", False),
        ("~1", "1.2.4", True),
        ("~1", "2.3.4", False),
        ("~0.2.3", "0.2.5", True),
        ("~0.2.3", "0.3.5", False),
        ("~1.2.3-beta.2", "1.2.3-beta.4", True),
        ("^1.2.3", "1.8.9", True),
        ("^1.2.3", "2.8.9", False),
        ("^1.2.3", "1.2.1", False),
        ("^2.0", "2.2.1", True),
        ("^1.x", "1.1.1", True),
        ("^0.2.3", "0.2.4", True),
        ("^0.2.3", "0.3.0", False),
        ("^0.0.3", "0.0.3", True),
        ("^0.0.3", "0.0.4", False),
        ("^0.2", "0.2.9", True),
        ("^0", "0.9.9", True),
        ("^0", "1.0.0", False),
        ("*", "1.2.3", True),
        ("x", "0.0.1", True),
        ("1.x || >=5", "5.1.0", True),
        ("1.x || >=5", "3.0.0", False),
        # prereleases only for constraints that name one
        (">=1.20", "1.25.4-gke.100", False),
        (">=1.20-0", "1.25.4-gke.100", True),
        # v3.3+: a prerelease anywhere in an AND group admits prereleases for the group
        (">=1.2.0-0 <2", "1.2.0-beta.1", True),
        (">=1.2.0-0 <2 || >=3", "3.0.0-rc.1", False),
        ("*", "1.0.0-rc.1", False),
        ("v1.2.x", "1.2.7", True),
        (">= 1.2, < 1.3", "1.2.5", True),
    ],
)
def test_constraint_matches(constraint: str, version: str, expected: bool) -> None:
    assert versions.matches(constraint, version) is expected


@pytest.mark.parametrize("constraint", ["foo", ">>1", "1.2.3.4", "~", "1.2 -"])
def test_improper_constraint(constraint: str) -> None:
    with pytest.raises(InvalidArgument, match="improper constraint"):
        versions.parse_constraint(constraint)


def test_newest_first_orders_semver_and_drops_others() -> None:
    assert versions.newest_first(
        ["0.9.0", "1.10.0", "1.2.0", "2.0.0-alpha", "2.0.0-alpha.1", "2.0.0", "x"]
    ) == [
        "2.0.0",
        "2.0.0-alpha.1",
        "2.0.0-alpha",
        "1.10.0",
        "1.2.0",
        "0.9.0",
    ]


def test_strict_tags() -> None:
    # registry tags must be strict semver (helm Tags uses StrictNewVersion)
    assert versions.newest_first(["v1.0.0", "1.0", "latest", "1.0.0", "01.0.0"], strict=True) == ["1.0.0"]


def test_select_prefers_an_exact_string() -> None:
    # tag_test.go TestGetTagMatchingVersionOrConstraint
    tags = ["2.0.0", "1.0.0-rc.1", "1.0.0"]
    assert versions.select(tags, None) == "2.0.0"
    assert versions.select(tags, "1.0.0-rc.1") == "1.0.0-rc.1"
    assert versions.select(tags, "<2") == "1.0.0"
    assert versions.select(tags, ">3") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    # index.go isVersionRange
    [("1.2.3", False), ("1.2.x", True), ("^1", True), (">1 <2", True), ("1.0.0-x.1", False), ("1 - 2", True)],
)
def test_is_version_range(text: str, expected: bool) -> None:
    assert versions.is_version_range(text) is expected
