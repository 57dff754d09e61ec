"""Go's lex_test.go tables (lexTests, lexDelimTests, lexPosTests and the delimiter
tests). The lexer keeps Go's item kinds, so the vectors apply unchanged."""

from __future__ import annotations

import pytest

from otterhelm.template.lexer import Item, Lexer, Token

I = Item  # noqa: E741 - short alias keeps the tables readable

LEFT = (I.LEFT_DELIM, "{{")
RIGHT = (I.RIGHT_DELIM, "}}")
EOF = (I.EOF, "")
SPACE = (I.SPACE, " ")
DOT = (I.DOT, ".")
LPAR = (I.LEFT_PAREN, "(")
RPAR = (I.RIGHT_PAREN, ")")
PIPE = (I.PIPE, "|")
QUOTE = (I.STRING, '"abc \\n\\t\\" "')
RAW = "`" + 'abc\\n\\t\\" ' + "`"
RAW_NL = "`now is{{\n}}the time`"

LEX_TESTS: list[tuple[str, str, list[tuple[Item, str]]]] = [
    ("empty", "", [EOF]),
    ("spaces", " \t\n", [(I.TEXT, " \t\n"), EOF]),
    ("text", "now is the time", [(I.TEXT, "now is the time"), EOF]),
    (
        "text with comment",
        "hello-{{/* this is a comment */}}-world",
        [(I.TEXT, "hello-"), (I.COMMENT, "/* this is a comment */"), (I.TEXT, "-world"), EOF],
    ),
    ("punctuation", "{{,@% }}", [LEFT, (I.CHAR, ","), (I.CHAR, "@"), (I.CHAR, "%"), SPACE, RIGHT, EOF]),
    ("parens", "{{((3))}}", [LEFT, LPAR, LPAR, (I.NUMBER, "3"), RPAR, RPAR, RIGHT, EOF]),
    ("empty action", "{{}}", [LEFT, RIGHT, EOF]),
    ("for", "{{for}}", [LEFT, (I.IDENTIFIER, "for"), RIGHT, EOF]),
    (
        "block",
        '{{block "foo" .}}',
        [LEFT, (I.BLOCK, "block"), SPACE, (I.STRING, '"foo"'), SPACE, DOT, RIGHT, EOF],
    ),
    ("quote", '{{"abc \\n\\t\\" "}}', [LEFT, QUOTE, RIGHT, EOF]),
    ("raw quote", "{{" + RAW + "}}", [LEFT, (I.RAW_STRING, RAW), RIGHT, EOF]),
    ("raw quote with newline", "{{" + RAW_NL + "}}", [LEFT, (I.RAW_STRING, RAW_NL), RIGHT, EOF]),
    (
        "numbers",
        "{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}",
        [
            LEFT,
            (I.NUMBER, "1"),
            SPACE,
            (I.NUMBER, "02"),
            SPACE,
            (I.NUMBER, "0x14"),
            SPACE,
            (I.NUMBER, "0X14"),
            SPACE,
            (I.NUMBER, "-7.2i"),
            SPACE,
            (I.NUMBER, "1e3"),
            SPACE,
            (I.NUMBER, "1E3"),
            SPACE,
            (I.NUMBER, "+1.2e-4"),
            SPACE,
            (I.NUMBER, "4.2i"),
            SPACE,
            (I.COMPLEX, "1+2i"),
            SPACE,
            (I.NUMBER, "1_2"),
            SPACE,
            (I.NUMBER, "0x1.e_fp4"),
            SPACE,
            (I.NUMBER, "0X1.E_FP4"),
            RIGHT,
            EOF,
        ],
    ),
    (
        "characters",
        "{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '本'}}",
        [
            LEFT,
            (I.CHAR_CONSTANT, "'a'"),
            SPACE,
            (I.CHAR_CONSTANT, "'\\n'"),
            SPACE,
            (I.CHAR_CONSTANT, "'\\''"),
            SPACE,
            (I.CHAR_CONSTANT, "'\\\\'"),
            SPACE,
            (I.CHAR_CONSTANT, "'\\u00FF'"),
            SPACE,
            (I.CHAR_CONSTANT, "'\\xFF'"),
            SPACE,
            (I.CHAR_CONSTANT, "'本'"),
            RIGHT,
            EOF,
        ],
    ),
    ("bools", "{{true false}}", [LEFT, (I.BOOL, "true"), SPACE, (I.BOOL, "false"), RIGHT, EOF]),
    ("dot", "{{.}}", [LEFT, DOT, RIGHT, EOF]),
    ("nil", "{{nil}}", [LEFT, (I.NIL, "nil"), RIGHT, EOF]),
    (
        "dots",
        "{{.x . .2 .x.y.z}}",
        [
            LEFT,
            (I.FIELD, ".x"),
            SPACE,
            DOT,
            SPACE,
            (I.NUMBER, ".2"),
            SPACE,
            (I.FIELD, ".x"),
            (I.FIELD, ".y"),
            (I.FIELD, ".z"),
            RIGHT,
            EOF,
        ],
    ),
    (
        "keywords",
        "{{range if else end with}}",
        [
            LEFT,
            (I.RANGE, "range"),
            SPACE,
            (I.IF, "if"),
            SPACE,
            (I.ELSE, "else"),
            SPACE,
            (I.END, "end"),
            SPACE,
            (I.WITH, "with"),
            RIGHT,
            EOF,
        ],
    ),
    (
        "variables",
        "{{$c := printf $ $hello $23 $ $var.Field .Method}}",
        [
            LEFT,
            (I.VARIABLE, "$c"),
            SPACE,
            (I.DECLARE, ":="),
            SPACE,
            (I.IDENTIFIER, "printf"),
            SPACE,
            (I.VARIABLE, "$"),
            SPACE,
            (I.VARIABLE, "$hello"),
            SPACE,
            (I.VARIABLE, "$23"),
            SPACE,
            (I.VARIABLE, "$"),
            SPACE,
            (I.VARIABLE, "$var"),
            (I.FIELD, ".Field"),
            SPACE,
            (I.FIELD, ".Method"),
            RIGHT,
            EOF,
        ],
    ),
    ("variable invocation", "{{$x 23}}", [LEFT, (I.VARIABLE, "$x"), SPACE, (I.NUMBER, "23"), RIGHT, EOF]),
    (
        "pipeline",
        'intro {{echo hi 1.2 |noargs|args 1 "hi"}} outro',
        [
            (I.TEXT, "intro "),
            LEFT,
            (I.IDENTIFIER, "echo"),
            SPACE,
            (I.IDENTIFIER, "hi"),
            SPACE,
            (I.NUMBER, "1.2"),
            SPACE,
            PIPE,
            (I.IDENTIFIER, "noargs"),
            PIPE,
            (I.IDENTIFIER, "args"),
            SPACE,
            (I.NUMBER, "1"),
            SPACE,
            (I.STRING, '"hi"'),
            RIGHT,
            (I.TEXT, " outro"),
            EOF,
        ],
    ),
    (
        "declaration",
        "{{$v := 3}}",
        [LEFT, (I.VARIABLE, "$v"), SPACE, (I.DECLARE, ":="), SPACE, (I.NUMBER, "3"), RIGHT, EOF],
    ),
    (
        "2 declarations",
        "{{$v , $w := 3}}",
        [
            LEFT,
            (I.VARIABLE, "$v"),
            SPACE,
            (I.CHAR, ","),
            SPACE,
            (I.VARIABLE, "$w"),
            SPACE,
            (I.DECLARE, ":="),
            SPACE,
            (I.NUMBER, "3"),
            RIGHT,
            EOF,
        ],
    ),
    (
        "field of parenthesized expression",
        "{{(.X).Y}}",
        [LEFT, LPAR, (I.FIELD, ".X"), RPAR, (I.FIELD, ".Y"), RIGHT, EOF],
    ),
    (
        "trimming spaces before and after",
        "hello- {{- 3 -}} -world",
        [(I.TEXT, "hello-"), LEFT, (I.NUMBER, "3"), RIGHT, (I.TEXT, "-world"), EOF],
    ),
    (
        "trimming spaces before and after comment",
        "hello- {{- /* hello */ -}} -world",
        [(I.TEXT, "hello-"), (I.COMMENT, "/* hello */"), (I.TEXT, "-world"), EOF],
    ),
    ("badchar", "#{{\x01}}", [(I.TEXT, "#"), LEFT, (I.ERROR, "unrecognized character in action: U+0001")]),
    ("unclosed action", "{{", [LEFT, (I.ERROR, "unclosed action")]),
    ("EOF in action", "{{range", [LEFT, (I.RANGE, "range"), (I.ERROR, "unclosed action")]),
    ("unclosed quote", '{{"\n"}}', [LEFT, (I.ERROR, "unterminated quoted string")]),
    ("unclosed raw quote", "{{`xx}}", [LEFT, (I.ERROR, "unterminated raw quoted string")]),
    ("unclosed char constant", "{{'\n}}", [LEFT, (I.ERROR, "unterminated character constant")]),
    ("bad number", "{{3k}}", [LEFT, (I.ERROR, 'bad number syntax: "3k"')]),
    ("unclosed paren", "{{(3}}", [LEFT, LPAR, (I.NUMBER, "3"), (I.ERROR, "unclosed left paren")]),
    ("extra right paren", "{{3)}}", [LEFT, (I.NUMBER, "3"), (I.ERROR, "unexpected right paren")]),
    ("long pipeline deadlock", "{{|||||}}", [LEFT, PIPE, PIPE, PIPE, PIPE, PIPE, RIGHT, EOF]),
    ("text with bad comment", "hello-{{/*/}}-world", [(I.TEXT, "hello-"), (I.ERROR, "unclosed comment")]),
    (
        "text with comment close separated from delim",
        "hello-{{/* */ }}-world",
        [(I.TEXT, "hello-"), (I.ERROR, "comment ends before closing delimiter")],
    ),
    ("unmatched right delimiter", "hello-{.}}-world", [(I.TEXT, "hello-{.}}-world"), EOF]),
]

DELIM_LEFT = (I.LEFT_DELIM, "$$")
DELIM_RIGHT = (I.RIGHT_DELIM, "@@")

LEX_DELIM_TESTS: list[tuple[str, str, list[tuple[Item, str]]]] = [
    (
        "punctuation",
        "$$,@%{{}}@@",
        [
            DELIM_LEFT,
            (I.CHAR, ","),
            (I.CHAR, "@"),
            (I.CHAR, "%"),
            (I.CHAR, "{"),
            (I.CHAR, "{"),
            (I.CHAR, "}"),
            (I.CHAR, "}"),
            DELIM_RIGHT,
            EOF,
        ],
    ),
    ("empty action", "$$@@", [DELIM_LEFT, DELIM_RIGHT, EOF]),
    ("for", "$$for@@", [DELIM_LEFT, (I.IDENTIFIER, "for"), DELIM_RIGHT, EOF]),
    ("quote", '$$"abc \\n\\t\\" "@@', [DELIM_LEFT, QUOTE, DELIM_RIGHT, EOF]),
    ("raw quote", "$$" + RAW + "@@", [DELIM_LEFT, (I.RAW_STRING, RAW), DELIM_RIGHT, EOF]),
]

# (name, input, [(type, pos, value, line)])
LEX_POS_TESTS: list[tuple[str, str, list[tuple[Item, int, str, int]]]] = [
    ("empty", "", [(I.EOF, 0, "", 1)]),
    (
        "punctuation",
        "{{,@%#}}",
        [
            (I.LEFT_DELIM, 0, "{{", 1),
            (I.CHAR, 2, ",", 1),
            (I.CHAR, 3, "@", 1),
            (I.CHAR, 4, "%", 1),
            (I.CHAR, 5, "#", 1),
            (I.RIGHT_DELIM, 6, "}}", 1),
            (I.EOF, 8, "", 1),
        ],
    ),
    (
        "sample",
        "0123{{hello}}xyz",
        [
            (I.TEXT, 0, "0123", 1),
            (I.LEFT_DELIM, 4, "{{", 1),
            (I.IDENTIFIER, 6, "hello", 1),
            (I.RIGHT_DELIM, 11, "}}", 1),
            (I.TEXT, 13, "xyz", 1),
            (I.EOF, 16, "", 1),
        ],
    ),
    (
        "trimafter",
        "{{x -}}\n{{y}}",
        [
            (I.LEFT_DELIM, 0, "{{", 1),
            (I.IDENTIFIER, 2, "x", 1),
            (I.RIGHT_DELIM, 5, "}}", 1),
            (I.LEFT_DELIM, 8, "{{", 2),
            (I.IDENTIFIER, 10, "y", 2),
            (I.RIGHT_DELIM, 11, "}}", 2),
            (I.EOF, 13, "", 2),
        ],
    ),
    (
        "trimbefore",
        "{{x}}\n{{- y}}",
        [
            (I.LEFT_DELIM, 0, "{{", 1),
            (I.IDENTIFIER, 2, "x", 1),
            (I.RIGHT_DELIM, 3, "}}", 1),
            (I.LEFT_DELIM, 6, "{{", 2),
            (I.IDENTIFIER, 10, "y", 2),
            (I.RIGHT_DELIM, 11, "}}", 2),
            (I.EOF, 13, "", 2),
        ],
    ),
    (
        "longcomment",
        '{{/*\n*/}}\n{{undefinedFunction "test"}}',
        [
            (I.COMMENT, 2, "/*\n*/", 1),
            (I.TEXT, 9, "\n", 2),
            (I.LEFT_DELIM, 10, "{{", 3),
            (I.IDENTIFIER, 12, "undefinedFunction", 3),
            (I.SPACE, 29, " ", 3),
            (I.STRING, 30, '"test"', 3),
            (I.RIGHT_DELIM, 36, "}}", 3),
            (I.EOF, 38, "", 3),
        ],
    ),
]


def _collect(text: str, left: str = "{{", right: str = "}}") -> list[Token]:
    return Lexer(text, left, right, emit_comment=True).run()


@pytest.mark.parametrize("case", LEX_TESTS, ids=[c[0] for c in LEX_TESTS])
def test_lex(case: tuple[str, str, list[tuple[Item, str]]]) -> None:
    _, text, items = case
    assert [(t.typ, t.val) for t in _collect(text)] == items


@pytest.mark.parametrize("case", LEX_DELIM_TESTS, ids=[c[0] for c in LEX_DELIM_TESTS])
def test_delims(case: tuple[str, str, list[tuple[Item, str]]]) -> None:
    _, text, items = case
    assert [(t.typ, t.val) for t in _collect(text, "$$", "@@")] == items


def test_delims_alphanumeric() -> None:
    items = [(t.typ, t.val) for t in _collect("{{hub .host hub}}", "{{hub", "hub}}")]
    assert items == [(I.LEFT_DELIM, "{{hub"), SPACE, (I.FIELD, ".host"), SPACE, (I.RIGHT_DELIM, "hub}}"), EOF]


def test_delims_and_markers() -> None:
    items = [(t.typ, t.val) for t in _collect("{{- .x -}} {{- - .x - -}}", "{{- ", " -}}")]
    assert items == [
        (I.LEFT_DELIM, "{{- "),
        (I.FIELD, ".x"),
        (I.RIGHT_DELIM, " -}}"),
        (I.LEFT_DELIM, "{{- "),
        (I.FIELD, ".x"),
        (I.RIGHT_DELIM, " -}}"),
        EOF,
    ]


@pytest.mark.parametrize("case", LEX_POS_TESTS, ids=[c[0] for c in LEX_POS_TESTS])
def test_pos(case: tuple[str, str, list[tuple[Item, int, str, int]]]) -> None:
    _, text, items = case
    assert [(t.typ, t.pos, t.val, t.line) for t in _collect(text)] == items
