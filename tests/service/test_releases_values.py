"""The request → values and name rules of the release RPCs, without a cluster."""

from __future__ import annotations

from typing import Any

import pytest

from otterhelm.errors import InvalidArgument
from otterhelm.service.releases import NameGenerator, checked_name, user_values
from otterhelm.template.gotypes import Int64


def test_values_yaml_alone() -> None:
    assert user_values("a: 1\nb: [x]\n", {}) == {"a": 1.0, "b": ["x"]}


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "~\n", "null\n"])
def test_empty_values_yaml_is_no_values(text: str) -> None:
    assert user_values(text, {}) == {}


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("- a\n- b\n", "a list", "line 1, column 1"),
        ("# header\n\n  - a\n", "a list", "line 3, column 3"),
        ("just text\n", "a scalar", "line 1, column 1"),
        ("---\n42\n", "a scalar", "line 2, column 1"),
    ],
)
def test_values_yaml_that_is_not_a_mapping(text: str, kind: str, position: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        user_values(text, {})
    assert caught.value.field == "values_yaml"
    assert str(caught.value) == f"values_yaml must be a YAML mapping, got {kind} at {position}"


def test_malformed_values_yaml_keeps_the_decoder_line() -> None:
    with pytest.raises(InvalidArgument) as caught:
        user_values("a: 1\n b: 2\n", {})
    assert caught.value.field == "values_yaml"
    assert "yaml: line 2:" in str(caught.value)


def test_values_map_entries_use_set_rules_in_key_order() -> None:
    values: dict[str, Any] = user_values(
        "keep: yes\nreplicas: 1\n",
        {"replicas": "3", "flag": "true", "code": "[str]007", "list[1]": "z", "list": "{x,y}", "n": "null"},
    )
    # --set infers types (int64, bool, null); `[str]` is --set-string; `list` before `list[1]`.
    assert values == {
        "keep": True,
        "replicas": Int64(3),
        "flag": True,
        "code": "007",
        "list": ["x", "z"],
        "n": None,
    }


def test_a_bad_values_map_entry_names_its_key() -> None:
    with pytest.raises(InvalidArgument) as caught:
        user_values("", {"a[x]": "1"})
    assert caught.value.field == "values_map[a[x]]"


@pytest.mark.parametrize("name", ["Upper", "under_score", "-lead", "trail-", "a" * 54, "dot..dot"])
def test_names_breaking_helms_rule_blame_the_name_field(name: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        checked_name(name)
    assert caught.value.field == "name"
    assert "release name" in str(caught.value)


def test_generated_names_follow_helm_and_stay_valid() -> None:
    names = NameGenerator(clock=lambda: 1763788800.5, suffix=lambda: "ab12")
    assert names.name_for("nginx") == "nginx-1763788800-ab12"
    assert names.name_for("My_Chart") == "my-chart-1763788800-ab12"
    long_name = names.name_for("x" * 80)
    assert len(long_name) == 53 and long_name.endswith("-1763788800-ab12")
    for generated in (long_name, names.name_for("___")):
        assert checked_name(generated) == generated
