"""The emitter's scalar analysis (yaml_emitter_analyze_scalar in go-yaml's emitterc.go) is
computed with a few searches over the whole value; this checks it against the rule applied
one character at a time, as go-yaml applies it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from otterhelm.codec.yaml_emit import _BREAKS as BREAKS
from otterhelm.codec.yaml_emit import _analyze, _is_printable, analysis_of


def character_by_character(value: str, tab_blocks_literal: bool) -> tuple[bool, bool, bool, bool]:
    """yaml_emitter_analyze_scalar's traits found one character at a time, as go-yaml's
    emitterc.go walks the scalar (the styles then follow from them by one shared rule)."""
    if not value:
        return (False, True, True, False)
    block_indicators = value.startswith("---") or value.startswith("...")
    line_breaks = special = tabs = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    preceded_by_whitespace = True
    last = len(value) - 1
    for index, character in enumerate(value):
        followed_by_whitespace = index == last or value[index + 1] in " \t"
        if index == 0:
            if character in "#,[]{}&*!|>'\"%@`" or (
                (character in "?:" or character == "-") and followed_by_whitespace
            ):
                block_indicators = True
        elif character == ":":
            if followed_by_whitespace:
                block_indicators = True
        elif character == "#" and preceded_by_whitespace:
            block_indicators = True
        if character == "\t" and not tab_blocks_literal:
            tabs = True
        elif not _is_printable(character):
            special = True
        if character == " ":
            if index == 0:
                leading_space = True
            if index == last:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif character in BREAKS:
            line_breaks = True
            if index == 0:
                leading_break = True
            if index == last:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_whitespace = character in " \t\x00" or character in BREAKS
    found = analysis_of(
        block_indicators=block_indicators,
        line_breaks=line_breaks,
        special=special,
        tabs=tabs,
        leading_space=leading_space,
        leading_break=leading_break,
        trailing_space=trailing_space,
        trailing_break=trailing_break,
        break_space=break_space,
        space_break=space_break,
    )
    return (found.multiline, found.block_plain_allowed, found.single_quoted_allowed, found.block_allowed)


def _fast(value: str, tab_blocks_literal: bool) -> tuple[bool, bool, bool, bool]:
    found = _analyze(value, tab_blocks_literal)
    return (found.multiline, found.block_plain_allowed, found.single_quoted_allowed, found.block_allowed)


# Characters every rule of the analysis looks at, plus ordinary text.
TRICKY = st.text(
    alphabet=st.sampled_from(
        list(" \t\n\r\x85\u2028\u2029\x00#:-?,[]{}&*!|>'\"%@`.ab1\x7f\xa0\ufeff\ud7ff\ue000\U0001f600")
    ),
    max_size=12,
)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(TRICKY, st.text(max_size=40)), st.booleans())
def test_analysis_agrees_with_the_character_walk(value: str, tab_blocks_literal: bool) -> None:
    assert _fast(value, tab_blocks_literal) == character_by_character(value, tab_blocks_literal)


def test_known_values() -> None:
    for value in [
        "---",
        "...x",
        "a: b",
        "a #b",
        "a#b",
        "x:",
        "- a",
        "-a",
        " a",
        "a ",
        "a\n b",
        "a \nb",
        "\tx",
        "\n",
    ]:
        for tabs in (True, False):
            assert _fast(value, tabs) == character_by_character(value, tabs), value
