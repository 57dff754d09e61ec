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
    found = dict.fromkeys(
        (
            "line_breaks",
            "special",
            "tabs",
            "leading_space",
            "leading_break",
            "trailing_space",
            "trailing_break",
            "break_space",
            "space_break",
        ),
        False,
    )
    found["block_indicators"] = value.startswith("---") or value.startswith("...")
    previous_space = previous_break = False
    preceded_by_whitespace = True
    last = len(value) - 1
    for index, character in enumerate(value):
        followed_by_whitespace = index == last or value[index + 1] in " \t"
        if index == 0:
            if character in "#,[]{}&*!|>'\"%@`" or (character in "?:-" and followed_by_whitespace):
                found["block_indicators"] = True
        elif (character == ":" and followed_by_whitespace) or (character == "#" and preceded_by_whitespace):
            found["block_indicators"] = True
        if character == "\t" and not tab_blocks_literal:
            found["tabs"] = True
        elif not _is_printable(character):
            found["special"] = True
        is_space, is_break = character == " ", character in BREAKS
        if is_space or is_break:
            kind = "space" if is_space else "break"
            found["line_breaks"] |= is_break
            found[f"leading_{kind}"] |= index == 0
            found[f"trailing_{kind}"] |= index == last
            # A space right after a break, or a break right after a space.
            found["break_space" if is_space else "space_break"] |= (
                previous_break if is_space else previous_space
            )
        previous_space, previous_break = is_space, is_break
        preceded_by_whitespace = character in " \t\x00" or is_break
    styles = analysis_of(**found)
    return (styles.multiline, styles.block_plain_allowed, styles.single_quoted_allowed, styles.block_allowed)


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
