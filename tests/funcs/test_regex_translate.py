"""Go patterns rewritten for Python's `re` match exactly as RE2 (the engine the regex
functions otherwise use) matches them: checked engine against engine on the patterns charts
use and on generated ones."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from otterhelm.funcs.regex import PYTHON_TEXT_LIMIT, GoRegexp
from otterhelm.funcs.regex_translate import python_equivalent


def re2_compile(pattern: str) -> re2._Regexp | None:
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options=options)
    except re2.error:
        return None


def every_search(compiled: object, text: str, groups: int) -> list[list[tuple[int, int]] | None]:
    """Each group's span for a search from every position of `text`."""
    results: list[list[tuple[int, int]] | None] = []
    for pos in range(len(text) + 1):
        match = compiled.search(text, pos)  # type: ignore[attr-defined]
        results.append(None if match is None else [match.span(group) for group in range(groups + 1)])
    return results


def assert_same_matches(pattern: str, texts: list[str]) -> None:
    translated = python_equivalent(pattern)
    assert translated is not None, pattern
    reference = re2_compile(pattern)
    assert reference is not None, f"{pattern!r} is rewritten but RE2 rejects it"
    ours = re.compile(translated)
    assert ours.groups == reference.groups
    for text in texts:
        expected = every_search(reference, text, reference.groups)
        assert every_search(ours, text, ours.groups) == expected, (pattern, translated, text)


# Patterns from the corpus charts' templates (bitnami common and others), with texts
# around what they are matched against.
CHART_PATTERNS = [
    r"\W",
    "{(v[0-9])*[^}]*}}$",
    r"-r\d+$|sha256:",
    r"(-?[^a-z\d\-])+-?",
    "[^0-9]",
    "@sha.*",
    ":",
    "nginx",
    "[0-9]+$",
    "[^a-zA-Z0-9._-]",
    "[^A-Za-z0-9]+$",
    r"^redis:\/\/(.*)",
    r"^[\w-\.]+$",
    "^[^_]+",
    "\n",
    "__ENV_(TEMPORAL_.+)__",
    "[^-A-Za-z0-9_.]",
    r"^v\d+\.\d+$",
    r"^arn:(aws|aws-us-gov|aws-cn):iam::.*$",
    "[A-Z]",
    r"^mongodb(\+srv)?://[^/]+",
    "=",
    ",",
    r"^(v[0-9]+\.[0-9]+\.[0-9]+)(.*)$",
    r"^v?[0-9]+\.[0-9]+\.[0-9]+$",
    r"v\d+\.\d+\.\d+",
]
CHART_TEXTS = [
    "",
    "docker.io/bitnami/redis:7.2.4-debian-12-r0",
    "registry/app@sha256:0123abcd",
    "{{ .Values.image.tag }}",
    "{v1{x}}",
    "My Release_Name.v2!",
    "redis://user:pass@host:6379/0",
    "mongodb+srv://cluster0.example.net/db",
    "arn:aws-us-gov:iam::123456789012:role/x",
    "__ENV_TEMPORAL_ADDRESS__ and __ENV_X__",
    "line one\nline two\n",
    "a=b,c=d",
    "v1.30\n",
    "ünïcödé-テスト 123",
    "v1.29.3-gke.1",
    "1.2.3",
]


@pytest.mark.parametrize("pattern", CHART_PATTERNS)
def test_chart_patterns_run_on_re_with_re2s_results(pattern: str) -> None:
    assert_same_matches(pattern, CHART_TEXTS)


@pytest.mark.parametrize(
    "pattern",
    [
        "(a*)*",  # a repeated group that can match nothing
        "(a|b)+",  # alternatives inside a repeated group
        "(a?a)+",  # an optional item that can match what follows it
        "(ab?)+",  # an optional last item
        "a**",
        "a+*",
        "*a",
        "a{2,1}",
        "a{1001}",
        "a{01}",
        "(?i)a",
        "(?P<name>a)",
        "(?<name>a)",
        "[[:alpha:]]",
        "[]a]",
        r"\bfoo",
        r"\pL",
        r"\Qa.b\E",
        r"\x41",
        r"\1",
        "a.*b.*c.*",  # three unbounded repetitions that can trade characters
        "a*b*a*b*a*",  # a b* between them can match nothing
        "v[0-9]+.[0-9]+.[0-9]+",  # . matches digits too
        "a?a?a?a?a?aaaaa",  # five choices that trade characters: 2**5 ways to fail
        "(a",
        "a)",
        "[a",
        "[b-a]",
        "\\",
    ],
)
def test_patterns_outside_the_subset_are_left_to_re2(pattern: str) -> None:
    assert python_equivalent(pattern) is None


TOKENS = [
    "a", "b", "-", "_", "\\.", "\\-", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", ".",
    "[ab]", "[^a]", "[a-c]", "[^a-z\\d\\-]", "[-a]", "[a-]", "[\\w.]", "[\\s]",
    "^", "$", "(", ")", "(?:", "|", "*", "+", "?", "*?", "+?", "??", "{2}", "{1,}", "{0,2}",
    "{", "}", "{,2}", "{a}",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8).map("".join),
    st.lists(st.text(alphabet="ab-_.\n 1{}\u00e9", max_size=10), min_size=1, max_size=4),
)
def test_generated_patterns_rewritten_for_re_match_as_re2(pattern: str, texts: list[str]) -> None:
    if python_equivalent(pattern) is not None:
        assert_same_matches(pattern, texts)


def test_long_texts_are_matched_by_re2() -> None:
    compiled = GoRegexp("(-?[^a-z\\d\\-])+-?")
    short = "Ab" * (PYTHON_TEXT_LIMIT // 2)
    long = short + "-X"
    replaced = compiled.replace_all(long, lambda _spans: "-")
    assert replaced == "-b" * (PYTHON_TEXT_LIMIT // 2) + "-"
    assert compiled.replace_all(short, lambda _spans: "-") == "-b" * (PYTHON_TEXT_LIMIT // 2)


def test_a_render_whose_patterns_are_rewritten_does_not_load_re2() -> None:
    code = (
        "import sys; from otterhelm.funcs.regex import regex_replace_all, regex_match; "
        "print(regex_replace_all('(-?[^a-z\\\\d\\\\-])+-?', 'My_Chart', '-'), 're2' in sys.modules); "
        "print(regex_match('^a\\\\b', 'a b'), 're2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "-y-hart False\nTrue True\n"
