"""helm pkg/chart/common/util/coalesce_test.go (v4.2+ null handling)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from otterhelm.chart.model import Chart, Metadata
from otterhelm.codec import yaml as codec_yaml
from otterhelm.values.coalesce import (
    CoalesceError,
    coalesce_tables,
    coalesce_values,
    merge_tables,
    merge_values,
)

COALESCE_VALUES_YAML = """
top: yup
bottom: null
right: Null
left: NULL
front: ~
back: ""

nested:
  boat: null

global:
  name: Ishmael
  subject: Queequeg
  nested:
    boat: true

pequod:
  boat: null
  global:
    name: Stinky
    harpooner: Tashtego
    nested:
      boat: false
      sail: true
      foo2: null
  ahab:
    scope: whale
    boat: null
    nested:
      foo: true
      boat: null
    object: null
"""


def chart(name: str, values: dict[str, Any], *subs: Chart) -> Chart:
    c = Chart(metadata=Metadata(name=name), values=values)
    c.add_subchart(*subs)
    return c


def lookup(values: dict[str, Any], dotted: str) -> str:
    """What `{{.a.b.c}}` prints with plain text/template over the values."""
    current: Any = values
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return "<no value>"
        current = current[part]
    if current is None:
        return "<no value>"
    if isinstance(current, bool):
        return "true" if current else "false"
    return str(current)


def moby_tree() -> Chart:
    return chart(
        "moby",
        {
            "back": "exists",
            "bottom": "exists",
            "front": "exists",
            "left": "exists",
            "name": "moby",
            "nested": {"boat": True},
            "override": "bad",
            "right": "exists",
            "scope": "moby",
            "top": "nope",
            "global": {"nested2": {"l0": "moby"}},
            "pequod": {"boat": "maybe", "ahab": {"boat": "maybe", "nested": {"boat": "maybe"}}},
        },
        chart(
            "pequod",
            {
                "name": "pequod",
                "scope": "pequod",
                "global": {"nested2": {"l1": "pequod"}},
                "boat": False,
                "ahab": {"boat": False, "nested": {"boat": False}},
            },
            chart(
                "ahab",
                {
                    "global": {"nested": {"foo": "bar", "foo2": "bar2"}, "nested2": {"l2": "ahab"}},
                    "scope": "ahab",
                    "name": "ahab",
                    "boat": True,
                    "nested": {"foo": False, "boat": True},
                    "object": {"foo": "bar"},
                },
            ),
        ),
        chart("spouter", {"scope": "spouter", "global": {"nested2": {"l1": "spouter"}}}),
    )


COALESCE_EXPECTATIONS = [
    ("top", "yup"),
    ("back", ""),
    ("name", "moby"),
    ("global.name", "Ishmael"),
    ("global.subject", "Queequeg"),
    ("global.harpooner", "<no value>"),
    ("pequod.name", "pequod"),
    ("pequod.ahab.name", "ahab"),
    ("pequod.ahab.scope", "whale"),
    ("pequod.ahab.nested.foo", "true"),
    ("pequod.ahab.global.name", "Ishmael"),
    ("pequod.ahab.global.nested.foo", "bar"),
    ("pequod.ahab.global.nested.foo2", "<no value>"),
    ("pequod.ahab.global.subject", "Queequeg"),
    ("pequod.ahab.global.harpooner", "Tashtego"),
    ("pequod.global.name", "Ishmael"),
    ("pequod.global.nested.foo", "<no value>"),
    ("pequod.global.subject", "Queequeg"),
    ("spouter.global.name", "Ishmael"),
    ("spouter.global.harpooner", "<no value>"),
    ("global.nested.boat", "true"),
    ("pequod.global.nested.boat", "true"),
    ("spouter.global.nested.boat", "true"),
    ("pequod.global.nested.sail", "true"),
    ("spouter.global.nested.sail", "<no value>"),
    ("global.nested2.l0", "moby"),
    ("global.nested2.l1", "<no value>"),
    ("global.nested2.l2", "<no value>"),
    ("pequod.global.nested2.l0", "moby"),
    ("pequod.global.nested2.l1", "pequod"),
    ("pequod.global.nested2.l2", "<no value>"),
    ("pequod.ahab.global.nested2.l0", "moby"),
    ("pequod.ahab.global.nested2.l1", "pequod"),
    ("pequod.ahab.global.nested2.l2", "ahab"),
    ("spouter.global.nested2.l0", "moby"),
    ("spouter.global.nested2.l1", "spouter"),
    ("spouter.global.nested2.l2", "<no value>"),
]


def test_coalesce_values() -> None:
    vals = codec_yaml.load_values(COALESCE_VALUES_YAML)
    before = copy.deepcopy(vals)
    v = coalesce_values(moby_tree(), vals)
    for path, expect in COALESCE_EXPECTATIONS:
        assert lookup(v, path) == expect, path
    for key in ("bottom", "right", "left", "front"):
        assert key not in v
    assert "boat" not in v["nested"]
    assert "boat" not in v["pequod"]
    assert "boat" not in v["pequod"]["ahab"]
    assert "boat" not in v["pequod"]["ahab"]["nested"]
    assert "object" not in v["pequod"]["ahab"]
    assert vals == before


def test_merge_values_keeps_nulls() -> None:
    c = chart(
        "moby",
        {
            "back": "exists",
            "bottom": "exists",
            "front": "exists",
            "left": "exists",
            "name": "moby",
            "nested": {"boat": True},
            "override": "bad",
            "right": "exists",
            "scope": "moby",
            "top": "nope",
            "global": {"nested2": {"l0": "moby"}},
        },
        chart(
            "pequod",
            {"name": "pequod", "scope": "pequod", "global": {"nested2": {"l1": "pequod"}}},
            chart(
                "ahab",
                {
                    "global": {"nested": {"foo": "bar"}, "nested2": {"l2": "ahab"}},
                    "scope": "ahab",
                    "name": "ahab",
                    "boat": True,
                    "nested": {"foo": False, "bar": True},
                },
            ),
        ),
        chart("spouter", {"scope": "spouter", "global": {"nested2": {"l1": "spouter"}}}),
    )
    vals = codec_yaml.load_values(COALESCE_VALUES_YAML)
    before = copy.deepcopy(vals)
    v = merge_values(c, vals)
    for key in ("bottom", "right", "left", "front"):
        assert key in v and v[key] is None
    assert v["nested"]["boat"] is None
    assert v["pequod"]["boat"] is None
    assert v["pequod"]["ahab"]["boat"] is None
    assert v["pequod"]["ahab"]["nested"]["boat"] is None
    assert lookup(v, "pequod.ahab.scope") == "whale"
    assert lookup(v, "pequod.ahab.global.nested2.l2") == "ahab"
    assert vals == before


def test_coalesce_tables() -> None:
    dst: dict[str, Any] = {
        "name": "Ishmael",
        "address": {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "country": None},
        "details": {"friends": ["Tashtego"]},
        "boat": "pequod",
        "hole": None,
    }
    src: dict[str, Any] = {
        "occupation": "whaler",
        "address": {"state": "MA", "street": "234 Spouter Inn Ct.", "country": "US"},
        "details": "empty",
        "boat": {"mast": True},
        "hole": "black",
    }
    coalesce_tables(dst, src)
    assert dst["name"] == "Ishmael"
    assert dst["occupation"] == "whaler"
    assert dst["address"] == {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "state": "MA"}
    assert dst["details"] == {"friends": ["Tashtego"]}
    assert dst["boat"] == "pequod"
    assert "hole" not in dst

    dst2: dict[str, Any] = {
        "name": "Ishmael",
        "address": {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "country": "US"},
        "details": {"friends": ["Tashtego"]},
        "boat": "pequod",
        "hole": "black",
    }
    expect = copy.deepcopy(dst2)
    coalesce_tables(dst2, None)
    assert dst2 == expect


def test_merge_tables() -> None:
    dst: dict[str, Any] = {
        "name": "Ishmael",
        "address": {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "country": None},
        "details": {"friends": ["Tashtego"]},
        "boat": "pequod",
        "hole": None,
    }
    src: dict[str, Any] = {
        "occupation": "whaler",
        "address": {"state": "MA", "street": "234 Spouter Inn Ct.", "country": "US"},
        "details": "empty",
        "boat": {"mast": True},
        "hole": "black",
    }
    merge_tables(dst, src)
    assert dst["occupation"] == "whaler"
    assert dst["address"] == {
        "street": "123 Spouter Inn Ct.",
        "city": "Nantucket",
        "state": "MA",
        "country": None,
    }
    assert dst["details"] == {"friends": ["Tashtego"]}
    assert dst["boat"] == "pequod"
    assert "hole" in dst and dst["hole"] is None


def test_coalesce_values_warnings() -> None:
    c = chart(
        "level1",
        {"name": "moby"},
        chart(
            "level2",
            {"name": "pequod"},
            chart("level3", {"name": "ahab", "boat": True, "spear": {"tip": True, "sail": {"cotton": True}}}),
        ),
    )
    vals = {
        "level2": {
            "level3": {"boat": {"mast": True}, "spear": {"tip": {"sharp": True}, "sail": True}},
        }
    }
    warnings: list[str] = []
    coalesce_values(c, vals, warnings.append)
    assert "warning: skipped value for level1.level2.level3.boat: Not a table." in warnings
    assert (
        "warning: destination for level1.level2.level3.spear.tip is a table. Ignoring non-table value (true)"
        in warnings
    )
    assert (
        "warning: cannot overwrite table with non table for level1.level2.level3.spear.sail (map[cotton:true])"
        in warnings
    )


def test_empty_map_with_user_nils() -> None:
    c = chart("test", {"data": {}})
    v = coalesce_values(c, {"data": {"foo": "bar", "baz": None}})
    assert v["data"] == {"foo": "bar", "baz": None}


def test_subchart_default_nils_cleaned() -> None:
    parent = chart("parent", {}, chart("child", {"keyMapping": {"password": None}}))
    v = coalesce_values(parent, {})
    assert v["child"]["keyMapping"] == {}


def test_user_null_erases_subchart_default() -> None:
    parent = chart("parent", {}, chart("child", {"someKey": "default"}))
    v = coalesce_values(parent, {"child": {"someKey": None}})
    assert "someKey" not in v["child"]


def test_subchart_nil_does_not_shadow_global() -> None:
    parent = chart("parent", {}, chart("child", {"ingress": {"feature": None}}))
    v = coalesce_values(parent, {"global": {"ingress": {"feature": True}}})
    assert v["child"]["ingress"] == {}


def test_subchart_nil_cleaned_when_user_partially_overrides() -> None:
    parent = chart("parent", {}, chart("child", {"keyMapping": {"password": None, "format": "bcrypt"}}))
    v = coalesce_values(parent, {"child": {"keyMapping": {"format": "sha256"}}})
    assert v["child"]["keyMapping"] == {"format": "sha256"}


def test_subchart_values_slot_must_be_a_map() -> None:
    parent = chart("parent", {}, chart("child", {}))
    with pytest.raises(CoalesceError) as info:
        coalesce_values(parent, {"child": "oops"})
    assert str(info.value).startswith("type mismatch on child: %!t(string=oops)")


def test_lists_replace_and_maps_merge() -> None:
    c = chart("c", {"list": [1.0, 2.0], "map": {"a": 1.0, "b": 2.0}})
    v = coalesce_values(c, {"list": [3.0], "map": {"b": 3.0}})
    assert v == {"list": [3.0], "map": {"a": 1.0, "b": 3.0}}
