"""Sprig v3.3.0 tests that cannot be table data: direct function calls (regex_test.go),
time.Time template data (date_test.go), Go struct fixtures (reflect_test.go), output that
depends on the clock, post-conditions on mutated data (dict_test.go TestMerge), and the
names Helm registers (functions.go genericMap minus env/expandenv)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import pytest

from otterhelm.funcs import helm_functions
from otterhelm.funcs.dates import date_in_zone
from otterhelm.funcs.gokinds import IntList
from otterhelm.funcs.gotime import UTC_LOCATION, GoTime, fixed_zone, parse_in_location
from otterhelm.funcs.regex import (
    must_regex_find,
    must_regex_find_all,
    must_regex_match,
    must_regex_replace_all,
    must_regex_replace_all_literal,
    must_regex_split,
    quote_meta,
    regex_find,
    regex_find_all,
    regex_match,
    regex_replace_all,
    regex_replace_all_literal,
    regex_split,
)
from otterhelm.template import TemplateError, TemplateParseError, TemplateSet
from otterhelm.template.gotypes import GoObject

# sprig v3.3.0 functions.go genericMap, less env/expandenv (helm pkg/engine/funcs.go).
SPRIG_NAMES_IN_HELM = [
    "hello",
    "ago",
    "date",
    "date_in_zone",
    "date_modify",
    "dateInZone",
    "dateModify",
    "duration",
    "durationRound",
    "htmlDate",
    "htmlDateInZone",
    "must_date_modify",
    "mustDateModify",
    "mustToDate",
    "now",
    "toDate",
    "unixEpoch",
    "abbrev",
    "abbrevboth",
    "trunc",
    "trim",
    "upper",
    "lower",
    "title",
    "untitle",
    "substr",
    "repeat",
    "trimall",
    "trimAll",
    "trimSuffix",
    "trimPrefix",
    "nospace",
    "initials",
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "swapcase",
    "shuffle",
    "snakecase",
    "camelcase",
    "kebabcase",
    "wrap",
    "wrapWith",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "quote",
    "squote",
    "cat",
    "indent",
    "nindent",
    "replace",
    "plural",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "adler32sum",
    "toString",
    "atoi",
    "int64",
    "int",
    "float64",
    "seq",
    "toDecimal",
    "split",
    "splitList",
    "splitn",
    "toStrings",
    "until",
    "untilStep",
    "add1",
    "add",
    "sub",
    "div",
    "mod",
    "mul",
    "randInt",
    "add1f",
    "addf",
    "subf",
    "divf",
    "mulf",
    "biggest",
    "max",
    "min",
    "maxf",
    "minf",
    "ceil",
    "floor",
    "round",
    "join",
    "sortAlpha",
    "default",
    "empty",
    "coalesce",
    "all",
    "any",
    "compact",
    "mustCompact",
    "fromJson",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "mustFromJson",
    "mustToJson",
    "mustToPrettyJson",
    "mustToRawJson",
    "ternary",
    "deepCopy",
    "mustDeepCopy",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "kindOf",
    "kindIs",
    "deepEqual",
    "getHostByName",
    "base",
    "dir",
    "clean",
    "ext",
    "isAbs",
    "osBase",
    "osClean",
    "osDir",
    "osExt",
    "osIsAbs",
    "b64enc",
    "b64dec",
    "b32enc",
    "b32dec",
    "tuple",
    "list",
    "dict",
    "get",
    "set",
    "unset",
    "hasKey",
    "pluck",
    "keys",
    "pick",
    "omit",
    "merge",
    "mergeOverwrite",
    "mustMerge",
    "mustMergeOverwrite",
    "values",
    "append",
    "push",
    "mustAppend",
    "mustPush",
    "prepend",
    "mustPrepend",
    "first",
    "mustFirst",
    "rest",
    "mustRest",
    "last",
    "mustLast",
    "initial",
    "mustInitial",
    "reverse",
    "mustReverse",
    "uniq",
    "mustUniq",
    "without",
    "mustWithout",
    "has",
    "mustHas",
    "slice",
    "mustSlice",
    "concat",
    "dig",
    "chunk",
    "mustChunk",
    "bcrypt",
    "htpasswd",
    "genPrivateKey",
    "derivePassword",
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "encryptAES",
    "decryptAES",
    "randBytes",
    "uuidv4",
    "semver",
    "semverCompare",
    "fail",
    "regexMatch",
    "mustRegexMatch",
    "regexFindAll",
    "mustRegexFindAll",
    "regexFind",
    "mustRegexFind",
    "regexReplaceAll",
    "mustRegexReplaceAll",
    "regexReplaceAllLiteral",
    "mustRegexReplaceAllLiteral",
    "regexSplit",
    "mustRegexSplit",
    "regexQuoteMeta",
    "urlParse",
    "urlJoin",
]
# Written with the codecs (serialization, crypto and random families).
CODEC_NAMES = set(
    [
        "fromJson",
        "toJson",
        "toPrettyJson",
        "toRawJson",
        "mustFromJson",
        "mustToJson",
        "mustToPrettyJson",
        "mustToRawJson",
        "bcrypt",
        "htpasswd",
        "genPrivateKey",
        "derivePassword",
        "buildCustomCert",
        "genCA",
        "genCAWithKey",
        "genSelfSignedCert",
        "genSelfSignedCertWithKey",
        "genSignedCert",
        "genSignedCertWithKey",
        "encryptAES",
        "decryptAES",
        "randBytes",
        "uuidv4",
        "randAlphaNum",
        "randAlpha",
        "randAscii",
        "randNumeric",
        "randInt",
        "shuffle",
    ]
)


def render(template: str, data: Any = None) -> str:
    templates = TemplateSet(helm_functions())
    templates.parse("test", template)
    return templates.execute("test", data)


@pytest.fixture(autouse=True)
def _utc_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")


# ---- names ------------------------------------------------------------------------------------


def test_sprig_name_list_has_209_names() -> None:
    assert len(SPRIG_NAMES_IN_HELM) == len(set(SPRIG_NAMES_IN_HELM)) == 209


# Helm v4.3's own static functions (pkg/engine/funcs.go funcMap), besides the engine-bound
# include/tpl/required/lookup/fail that the renderer adds.
HELM_STATIC = set(
    [
        "toToml",
        "mustToToml",
        "fromToml",
        "toYaml",
        "mustToYaml",
        "toYamlPretty",
        "fromYaml",
        "fromYamlArray",
        "toJson",
        "mustToJson",
        "fromJson",
        "fromJsonArray",
        "mustToDuration",
        "durationSeconds",
        "durationMilliseconds",
        "durationMicroseconds",
        "durationNanoseconds",
        "durationMinutes",
        "durationHours",
        "durationDays",
        "durationWeeks",
        "durationRoundTo",
        "durationTruncateTo",
        "getHostByName",
    ]
)


def test_every_non_codec_sprig_function_is_registered() -> None:
    functions = helm_functions()
    assert {name for name in SPRIG_NAMES_IN_HELM if name not in CODEC_NAMES} <= set(functions)


def test_helm_function_map_is_complete() -> None:
    assert set(helm_functions()) == set(SPRIG_NAMES_IN_HELM) | HELM_STATIC
    assert len(helm_functions()) == 229


def test_helm_removes_env_and_expandenv() -> None:
    # sprig functions_test.go TestEnv/TestExpandEnv cannot apply: Helm deletes both functions.
    functions = helm_functions()
    assert "env" not in functions and "expandenv" not in functions
    with pytest.raises(TemplateParseError, match='function "env" not defined'):
        render('{{env "FOO"}}')


def test_get_host_by_name_is_disabled_like_helm() -> None:
    assert render('{{ getHostByName "www.google.com" }}') == ""


# ---- regex_test.go (direct calls) ---------------------------------------------------------------

_EMAIL = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("test@acme.com", True),
        ("Test@Acme.Com", True),
        ("test", False),
        ("test.com", False),
        ("test@acme", False),
    ],
)
def test_regex_match(text: str, expected: bool) -> None:
    assert regex_match(_EMAIL, text) is expected
    assert must_regex_match(_EMAIL, text) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "limit", "count"),
    [("a{2}", "aa", -1, 1), ("a{2}", "aaaaaaaa", 1, 1), ("a{2}", "aaaa", -1, 2), ("a{2}", "none", -1, 0)],
)
def test_regex_find_all(pattern: str, text: str, limit: int, count: int) -> None:
    assert len(regex_find_all(pattern, text, limit)) == count
    assert len(must_regex_find_all(pattern, text, limit)) == count


@pytest.mark.parametrize(("text", "expected"), [("foorbar", "foo"), ("foo foe fome", "foo"), ("none", "")])
def test_regex_find(text: str, expected: str) -> None:
    assert regex_find("fo.?", text) == expected
    assert must_regex_find("fo.?", text) == expected


@pytest.mark.parametrize(
    ("replacement", "expected"), [("T", "-T-T-"), ("$1", "--xx-"), ("$1W", "---"), ("${1}W", "-W-xxW-")]
)
def test_regex_replace_all(replacement: str, expected: str) -> None:
    assert regex_replace_all("a(x*)b", "-ab-axxb-", replacement) == expected
    assert must_regex_replace_all("a(x*)b", "-ab-axxb-", replacement) == expected


@pytest.mark.parametrize(
    ("replacement", "expected"), [("T", "-T-T-"), ("$1", "-$1-$1-"), ("${1}", "-${1}-${1}-")]
)
def test_regex_replace_all_literal(replacement: str, expected: str) -> None:
    assert regex_replace_all_literal("a(x*)b", "-ab-axxb-", replacement) == expected
    assert must_regex_replace_all_literal("a(x*)b", "-ab-axxb-", replacement) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "limit", "count"),
    [
        ("a", "banana", -1, 4),
        ("a", "banana", 0, 0),
        ("a", "banana", 1, 1),
        ("a", "banana", 2, 2),
        ("z+", "pizza", -1, 2),
        ("z+", "pizza", 0, 0),
        ("z+", "pizza", 1, 1),
        ("z+", "pizza", 2, 2),
    ],
)
def test_regex_split(pattern: str, text: str, limit: int, count: int) -> None:
    assert len(regex_split(pattern, text, limit)) == count
    assert len(must_regex_split(pattern, text, limit)) == count


def test_regex_quote_meta() -> None:
    assert quote_meta("1.2.3") == "1\\.2\\.3"
    assert quote_meta("pretzel") == "pretzel"


# ---- date_test.go (time.Time data) ------------------------------------------------------------


def test_ago() -> None:
    now = GoTime.now()
    assert render("{{ ago .Time }}", {"Time": now}) == "0s"
    assert render("{{ ago .Time }}", {"Time": now.add(-5 * 60 * 10**9)}) == "5m0s"
    assert render("{{ ago .Time }}", {"Time": now.add(-60 * 10**9)}) == "1m0s"


def test_unix_epoch() -> None:
    moment = parse_in_location("02 Jan 06 15:04:05 MST", "13 Jun 19 20:39:39 GMT", UTC_LOCATION)
    assert render("{{ unixEpoch .Time }}", {"Time": moment}) == "1560458379"


def test_date_in_zone_with_times() -> None:
    moment = parse_in_location("02 Jan 06 15:04:05 MST", "13 Jun 19 20:39:39 GMT", UTC_LOCATION)
    template = '{{ date_in_zone "02 Jan 06 15:04 -0700" .Time "UTC" }}'
    assert render(template, {"Time": moment}) == "13 Jun 19 20:39 +0000"
    # An unknown zone falls back to UTC.
    assert render('{{ date_in_zone "02 Jan 06 15:04 -0700" .Time "foobar" }}', {"Time": moment}) == (
        "13 Jun 19 20:39 +0000"
    )


def test_date_in_zone_with_a_non_time_value_uses_now() -> None:
    # date_test.go passes "" and an int32: both mean time.Now() in sprig.
    before = date_in_zone("02 Jan 06 15:04 -0700", GoTime.now(), "UTC")
    got = render('{{ date_in_zone "02 Jan 06 15:04 -0700" .Time "UTC" }}', {"Time": ""})
    after = date_in_zone("02 Jan 06 15:04 -0700", GoTime.now(), "UTC")
    assert got in (before, after)
    # A float64 (every number read from values.yaml) is also "now", not Unix seconds.
    assert render('{{ date "2006" .Time }}', {"Time": 0.0}) == date_in_zone("2006", GoTime.now(), "UTC")


def test_now_is_a_time() -> None:
    assert render("{{ typeOf now }}|{{ kindOf now }}") == "time.Time|struct"
    # time.Now() carries a monotonic reading, which String() shows and UTC() drops.
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC"
    assert re.fullmatch(stamp + r" m=\+\d+\.\d{9}", render("{{ now }}"))
    assert re.fullmatch(stamp, render("{{ now.UTC }}"))
    # dateModify moves the monotonic reading (time since the process started) by the same hour.
    plain = re.fullmatch(stamp + r" m=\+(\d+\.\d{9})", render("{{ now }}"))
    moved = re.fullmatch(stamp + r" m=\+(\d+\.\d{9})", render('{{ now | dateModify "1h" }}'))
    assert plain is not None and moved is not None
    assert 3600 <= float(moved.group(2)) - float(plain.group(2)) < 3660
    assert render("{{ now | unixEpoch }}").isdigit()


def test_time_in_a_fixed_zone_prints_like_go() -> None:
    moment = GoTime(1560458379, 123000000, fixed_zone("", 5 * 3600 + 1800))
    assert render("{{ . }}", moment) == "2019-06-14 02:09:39.123 +0530 +0530"


# ---- reflect_test.go (struct fixture) -------------------------------------------------------------


class _FixtureTO(GoObject):
    go_type: ClassVar[str] = "*sprig.fixtureTO"
    go_fields: ClassVar[dict[str, str]] = {"Name": "name", "Value": "value"}

    def __init__(self) -> None:
        self.name = "hello"
        self.value = "world"


class _FixtureValue(_FixtureTO):
    go_type: ClassVar[str] = "sprig.fixtureTO"


def test_type_of_struct_pointer() -> None:
    assert render("{{typeOf .}}", _FixtureTO()) == "*sprig.fixtureTO"
    assert render('{{if typeIs "*sprig.fixtureTO" .}}t{{else}}f{{end}}', _FixtureTO()) == "t"
    assert render('{{if kindIs "ptr" .}}t{{else}}f{{end}}', _FixtureTO()) == "t"
    assert render('{{if typeIsLike "sprig.fixtureTO" .}}t{{else}}f{{end}}', _FixtureTO()) == "t"


def test_kind_of_struct() -> None:
    assert render("{{kindOf .}}", _FixtureValue()) == "struct"
    # reflect_test.go's typed nil *fixtureTO ("ptr") has no counterpart: a nil value has no
    # Go type in otterhelm's value model, so kindOf reports Go's "invalid" for untyped nil.
    assert render("{{kindOf .}}", None) == "invalid"


# ---- dict_test.go TestMerge / TestMergeOverwrite post-conditions -----------------------------------


def _merge_data() -> dict[str, Any]:
    return {
        "src2": {"h": 10, "i": "i", "j": "j"},
        "src1": {
            "a": 1,
            "b": 2,
            "d": {"e": "four"},
            "g": IntList([6, 7]),
            "i": "aye",
            "j": "jay",
            "k": {"l": False},
        },
        "dst": {"a": "one", "c": 3, "d": {"f": 5}, "g": IntList([8, 9]), "i": "eye", "k": {"l": True}},
    }


def test_merge_mutates_destination() -> None:
    data = _merge_data()
    render("{{merge .dst .src1 .src2}}", data)
    assert data["dst"] == {
        "a": "one",
        "b": 2,
        "c": 3,
        "d": {"e": "four", "f": 5},
        "g": [8, 9],
        "h": 10,
        "i": "eye",
        "j": "jay",
        "k": {"l": True},
    }


def test_merge_overwrite_mutates_destination() -> None:
    data = _merge_data()
    render("{{mergeOverwrite .dst .src1 .src2}}", data)
    assert data["dst"] == {
        "a": 1,
        "b": 2,
        "c": 3,
        "d": {"e": "four", "f": 5},
        "g": [6, 7],
        "h": 10,
        "i": "i",
        "j": "j",
        "k": {"l": False},
    }


def test_template_errors_are_template_errors() -> None:
    with pytest.raises(TemplateError, match="error calling first: runtime error: invalid memory address"):
        render("{{ first nil }}")


def test_values_marshal_to_json_like_go() -> None:
    # Go: time.Time and *semver.Version implement MarshalJSON (checked with sprig v3.3.0).
    assert render('{{ toJson (semver "1.2.3") }}|{{ toJson (toDate "2006" "2019") }}') == (
        '"1.2.3"|"2019-01-01T00:00:00Z"'
    )
    assert render('{{ toJson (mustToDuration "1m") }}|{{ toJson (until 2) }}') == "60000000000|[0,1]"
