"""Deferred function maps: names parse at once, a function's source loads on first call."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from otterhelm.template import DeferredFuncs, TemplateParseError, TemplateSet
from otterhelm.template.deferred import PendingFunc
from otterhelm.template.gotypes import STRING, Func


class _CountingSource:
    def __init__(self) -> None:
        self.loads = 0

    def __call__(self) -> Mapping[str, Func]:
        self.loads += 1
        return {
            "shout": Func(lambda text: text.upper() + "!", (STRING,)),
            "whisper": Func(str.lower, (STRING,)),
        }


def _deferred(source: _CountingSource) -> DeferredFuncs:
    return DeferredFuncs({name: PendingFunc(source, name) for name in ("shout", "whisper")})


def test_parsing_knows_the_names_without_loading() -> None:
    source = _CountingSource()
    tset = TemplateSet(_deferred(source))
    tset.parse("t", '{{ shout "hi" }}')
    assert source.loads == 0
    with pytest.raises(TemplateParseError, match='function "nope" not defined'):
        tset.parse("u", '{{ nope "hi" }}')


def test_first_call_loads_once_and_later_calls_reuse_it() -> None:
    source = _CountingSource()
    tset = TemplateSet(_deferred(source))
    tset.parse("t", '{{ shout "hi" }} {{ shout "yo" }}')
    assert tset.execute("t", None) == "HI! YO!"
    assert tset.clone().execute("t", None) == "HI! YO!"
    assert source.loads == 1


def test_a_later_map_replaces_a_deferred_function() -> None:
    source = _CountingSource()
    tset = TemplateSet(_deferred(source))
    tset.add_funcs({"shout": Func(lambda text: "replaced", (STRING,))})
    tset.parse("t", '{{ shout "hi" }}')
    assert tset.execute("t", None) == "replaced"
    assert source.loads == 0


def test_mapping_view_resolves_on_lookup() -> None:
    source = _CountingSource()
    funcs = _deferred(source)
    assert "whisper" in funcs and len(funcs) == 2 and list(funcs) == ["shout", "whisper"]
    assert source.loads == 0
    assert funcs["whisper"].fn("LOW") == "low"
    assert source.loads == 1
