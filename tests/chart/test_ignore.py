"""helm pkg/ignore/rules_test.go over its testdata tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from otterhelm.chart.ignore import IgnoreRuleError, Rules, go_path_match, translate

IGNORE_CASES = [
    ("helm.txt", "helm.txt", True),
    ("helm.*", "helm.txt", True),
    ("helm.*", "rudder.txt", False),
    ("*.txt", "tiller.txt", True),
    ("*.txt", "cargo/a.txt", True),
    ("cargo/*.txt", "cargo/a.txt", True),
    ("cargo/*.*", "cargo/a.txt", True),
    ("cargo/*.txt", "mast/a.txt", False),
    ("ru[c-e]?er.txt", "rudder.txt", True),
    ("templates/.?*", "templates/.dotfile", True),
    (".*", ".", False),
    (".*", "./", False),
    (".*", ".joonix", True),
    (".*", "helm.txt", False),
    (".*", "", False),
    ("cargo/", "cargo", True),
    ("cargo/", "cargo/", True),
    ("cargo/", "mast/", False),
    ("helm.txt/", "helm.txt", False),
    ("!helm.txt", "helm.txt", False),
    ("!helm.txt", "tiller.txt", True),
    ("!*.txt", "cargo", True),
    ("!cargo/", "mast/", True),
    ("/a.txt", "a.txt", True),
    ("/a.txt", "cargo/a.txt", False),
    ("/cargo/a.txt", "cargo/a.txt", True),
]


@pytest.mark.parametrize(("pattern", "name", "expect"), IGNORE_CASES)
def test_ignore(testdata: Path, pattern: str, name: str, expect: bool) -> None:
    fixture = testdata / "ignore" / name
    assert fixture.exists() or name == ""
    rules = Rules.parse(pattern)
    assert rules.ignore(name, fixture.is_dir()) is expect
    assert rules.compiled().ignore(name, fixture.is_dir()) is expect


def test_compiled_rules_agree_over_the_corpus() -> None:
    """The combined matcher the directory walk uses decides like the rules one by one, for
    every .helmignore of the corpus charts (with the default rule) over every path in them,
    each as a file and as a directory, and over all of the files rules together."""
    charts = Path(__file__).resolve().parents[3] / "shared" / "charts" / "src"
    ignore_files = sorted(charts.rglob(".helmignore"))
    assert len(ignore_files) > 50
    paths = sorted({str(path.relative_to(charts)) for path in charts.rglob("*")})
    texts = [path.read_text("utf-8", errors="replace") for path in ignore_files]
    all_rules = "\n".join(texts) + "\n!keep\n!dir/\n[\n"
    for text in [*texts, all_rules]:
        rules = Rules.parse(text) if "[\n" not in text else _lenient(text)
        rules.add_defaults()
        compiled = rules.compiled()
        for path in paths[::20][:400]:
            for relative in (path, path.split("/", 2)[-1]):
                for is_dir in (False, True):
                    assert compiled.ignore(relative, is_dir) is rules.ignore(relative, is_dir), (
                        relative,
                        is_dir,
                    )


def _lenient(text: str) -> Rules:
    rules = Rules()
    for line in text.split("\n"):
        try:
            rules.add(line)
        except IgnoreRuleError:
            continue
    return rules


def test_parse() -> None:
    rules = Rules.parse("#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n")
    assert [p.raw for p in rules.patterns] == ["foo", "bar/*", "baz/bar/foo.txt", "one/more"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [("foo/**/bar", "double-star (**) syntax is not supported"), ("[z-", "syntax error in pattern")],
)
def test_parse_fail(rule: str, message: str) -> None:
    with pytest.raises(IgnoreRuleError) as info:
        Rules.parse(rule)
    assert str(info.value) == message


def test_parse_file(testdata: Path) -> None:
    rules = Rules.parse((testdata / "ignore/.helmignore").read_text())
    assert len(rules.patterns) == 3


def test_add_defaults() -> None:
    rules = Rules()
    rules.add_defaults()
    assert len(rules.patterns) == 1
    assert rules.ignore("templates/.hidden.yaml", False)
    assert not rules.ignore("templates/x.yaml", False)


def test_bom_on_first_line() -> None:
    rules = Rules.parse("\ufeffsecret.txt\n")
    assert rules.ignore("secret.txt", False)


# Go path/filepath match_test.go vectors (pattern, name, match or None for ErrBadPattern).
MATCH_CASES = [
    ("abc", "abc", True),
    ("*", "abc", True),
    ("*c", "abc", True),
    ("a*", "a", True),
    ("a*", "abc", True),
    ("a*", "ab/c", False),
    ("a*/b", "abc/b", True),
    ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[c]", "abc", True),
    ("ab[b-d]", "abc", True),
    ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False),
    ("ab[^b-d]", "abc", False),
    ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "ab", False),
    ("a?b", "a☺b", True),
    ("a[^a]b", "a☺b", True),
    ("a???b", "a☺b", False),
    ("a[^a][^a][^a]b", "a☺b", False),
    ("[a-ζ]*", "α", True),
    ("*[a-ζ]", "A", False),
    ("a?b", "a/b", False),
    ("a*b", "a/b", False),
    ("[\\]a]", "]", True),
    ("[\\-]", "-", True),
    ("[x\\-]", "x", True),
    ("[x\\-]", "-", True),
    ("[x\\-]", "z", False),
    ("[\\-x]", "x", True),
    ("[\\-x]", "-", True),
    ("[\\-x]", "a", False),
    ("[]a]", "]", None),
    ("[-]", "-", None),
    ("[x-]", "x", None),
    ("[x-]", "-", None),
    ("[x-]", "z", None),
    ("[-x]", "x", None),
    ("[-x]", "-", None),
    ("[-x]", "a", None),
    ("\\", "a", None),
    ("[a-b-c]", "a", None),
    ("[", "a", None),
    ("[^", "a", None),
    ("[^bc", "a", None),
    ("a[", "a", None),
    ("a[", "ab", None),
    ("a[", "x", None),
    ("a/b[", "x", None),
    ("*x", "xxx", True),
]


@pytest.mark.parametrize(("pattern", "name", "expect"), MATCH_CASES)
def test_go_path_match(pattern: str, name: str, expect: bool | None) -> None:
    if expect is None:
        with pytest.raises(Exception, match="syntax error in pattern"):
            go_path_match(pattern, name)
    else:
        assert go_path_match(pattern, name) is expect
        assert (translate(pattern).fullmatch(name) is not None) is expect
