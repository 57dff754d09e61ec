"""helm pkg/chart/common/values_test.go: Table and PathValue over parsed values."""

from __future__ import annotations

import pytest

from otterhelm.codec import yaml as codec_yaml
from otterhelm.errors import InvalidArgument
from otterhelm.values.table import NoTable, NoValue, path_value, table

MOBY = """
title: "Moby Dick"
chapter:
  one:
    title: "Loomings"
  two:
    title: "The Carpet-Bag"
  three:
    title: "The Spouter Inn"
"""


def test_table() -> None:
    d = codec_yaml.load_values(MOBY)
    with pytest.raises(NoTable):
        table(d, "title")
    table(d, "chapter")
    assert table(d, "chapter.one")["title"] == "Loomings"
    table(d, "chapter.three")
    with pytest.raises(NoTable) as info:
        table(d, "chapter.OneHundredThirtySix")
    assert str(info.value) == '"OneHundredThirtySix" is not a table'


def test_path_value() -> None:
    d = codec_yaml.load_values(MOBY)
    assert path_value(d, "chapter.one.title") == "Loomings"
    with pytest.raises(NoValue):
        path_value(d, "chapter.one.doesnotexist")
    with pytest.raises(NoValue):
        path_value(d, "chapter.doesnotexist.one")
    with pytest.raises(InvalidArgument):
        path_value(d, "")
    assert path_value(d, "title") == "Moby Dick"
    with pytest.raises(NoValue) as info:
        path_value(d, "chapter.one")
    assert str(info.value) == '"one" is not a value'


def test_read_values() -> None:
    doc = """# Test YAML parse
poet: "Coleridge"
title: "Rime of the Ancient Mariner"
stanza:
  - "at"
  - "length"
  - "did"
  - cross
  - an
  - Albatross

mariner:
  with: "crossbow"
  shot: "ALBATROSS"

water:
  water:
    where: "everywhere"
    nor: "any drop to drink"
"""
    data = codec_yaml.load_values(doc)
    assert data["poet"] == "Coleridge"
    assert len(data["stanza"]) == 6
    assert data["mariner"]["shot"] == "ALBATROSS"
    assert data["water"]["water"]["where"] == "everywhere"
    for text in ('poet: "Coleridge"', "# Just a comment", ""):
        assert isinstance(codec_yaml.load_values(text), dict)
