"""Value sources merged in helm's order (pkg/cli/values/options.go MergeValues)."""

from __future__ import annotations

from pathlib import Path

import pytest

from otterhelm.template.gotypes import Int64
from otterhelm.values.options import ValueOptions, ValuesError


def test_sources_apply_in_helm_order(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("a: 1\nnested:\n  x: 1\n  w: 1\nlist: [1, 2]\n---\nb: from-second-doc\n")
    second = tmp_path / "b.yaml"
    second.write_text("nested:\n  w: 2\nlist: [3]\n")
    content = tmp_path / "content.txt"
    content.write_text("file body\n")
    opts = ValueOptions(
        value_files=[str(first), str(second)],
        json_values=['{"j": {"k": 1}}', "jj=[1,2]", "a=10"],
        values=["a=20,s=true,n=00"],
        string_values=["s=true"],
        file_values=[f"f={content}"],
        literal_values=["lit=a,b=c"],
    )
    got = opts.merge()
    assert got == {
        "a": 20,
        "nested": {"x": 1.0, "w": 2.0},
        "list": [3.0],
        "b": "from-second-doc",
        "j": {"k": 1.0},
        "jj": [1.0, 2.0],
        "s": "true",
        "n": "00",
        "f": "file body\n",
        "lit": "a,b=c",
    }
    assert type(got["a"]) is Int64
    assert type(got["nested"]["x"]) is float


def test_set_null_is_kept_in_user_values() -> None:
    assert ValueOptions(values=["a=null"]).merge() == {"a": None}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ValueOptions(values=["a=b,c"]), 'failed parsing --set data: key "c" has no value'),
        (ValueOptions(string_values=["a.=b"]), 'failed parsing --set-string data: key map "a" has no value'),
        (ValueOptions(json_values=["{bad"]), "failed parsing --set-json data JSON: {bad"),
        (ValueOptions(json_values=["a={bad"]), "failed parsing --set-json data a={bad"),
        (
            ValueOptions(literal_values=["nokey"]),
            'failed parsing --set-literal data: key "nokey" has no value',
        ),
    ],
)
def test_parse_errors(options: ValueOptions, message: str) -> None:
    with pytest.raises(ValuesError) as info:
        options.merge()
    assert str(info.value) == message


def test_bad_values_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a\n- b\n")
    with pytest.raises(ValuesError) as info:
        ValueOptions(value_files=[str(bad)]).merge()
    assert str(info.value).startswith(f"failed to parse {bad}: cannot unmarshal yaml document:")


def test_missing_values_file(tmp_path: Path) -> None:
    with pytest.raises(ValuesError) as info:
        ValueOptions(value_files=[str(tmp_path / "nope.yaml")]).merge()
    assert str(info.value) == f"open {tmp_path / 'nope.yaml'}: no such file or directory"


def test_missing_set_file(tmp_path: Path) -> None:
    with pytest.raises(ValuesError) as info:
        ValueOptions(file_values=[f"a={tmp_path / 'nope'}"]).merge()
    assert (
        str(info.value)
        == f"failed parsing --set-file data: open {tmp_path / 'nope'}: no such file or directory"
    )
