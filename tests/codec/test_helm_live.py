"""The strongest check: the real helm v4.3.1 renders a chart of our own over a large set of
generated tricky values, and every toYaml/toYamlPretty/toJson/toToml result must equal the
codec's. The values file goes through Helm's own loader too, so `load_values` is compared
as well (through toJson of what each side loaded)."""

from __future__ import annotations

import base64
import json
import random
import subprocess
from pathlib import Path
from typing import Any

from otterhelm.codec import json as go_json
from otterhelm.codec import toml as go_toml
from otterhelm.codec import yaml as go_yaml
from otterhelm.codec.errors import CodecError
from otterhelm.codec.yaml_emit import go_key_less, sorted_keys

FRAGMENTS = [
    "a",
    "word",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "null",
    "~",
    "0777",
    "08",
    "1.0",
    "1e3",
    "0x1F",
    "123",
    "-1",
    "+1",
    ".5",
    "2020-01-01",
    "2020-01-01T10:00:00Z",
    "1:20",
    "<<",
    "-",
    "- x",
    "? x",
    ": ",
    ":",
    " #",
    "#",
    "'",
    '"',
    "\\",
    "\t",
    "\n",
    "\r\n",
    " ",
    "  ",
    "é",
    "中文",
    "😀",
    "\u00a0",
    "\u2028",
    "\ufeff",
    "%",
    "@",
    "`",
    "!",
    "&a",
    "*a",
    "|",
    ">",
    "[",
    "]",
    "{",
    "}",
    ",",
    "---",
    "...",
    "http://x.y/z?a=b&c=d",
    "<b>",
    "lorem ipsum dolor sit amet",
    "1_000",
    "0o17",
    "0b11",
    ".inf",
    "-.inf",
    ".nan",
    "1e999",
    "=",
]
KEYS = [
    "a2",
    "a10",
    "a1",
    "b",
    "B",
    "_",
    "-",
    "1",
    "10",
    "é",
    "Z",
    "z",
    "a_1",
    "0",
    "01",
    "",
    " ",
    "yes",
    "~",
    "x y",
]


def _tricky_string(rnd: random.Random) -> str:
    if rnd.random() < 0.3:
        words = [
            rnd.choice(["a", "bb", "ccc", "dddd", "word", "x: y", "#z", "é", "'q'", "\\"])
            for _ in range(rnd.randint(10, 60))
        ]
        text = "".join(word + rnd.choice([" ", " ", " ", "  "]) for word in words)
        return text.strip() if rnd.random() < 0.5 else text
    return "".join(
        rnd.choice(FRAGMENTS) + (" " if rnd.random() < 0.5 else "")
        for _ in range(rnd.choice([1, 2, 3, 5, 10, 20]))
    )


def _tricky_value(rnd: random.Random, depth: int = 0) -> Any:
    choice = rnd.random()
    if depth > 3 or choice < 0.45:
        return _tricky_string(rnd)
    if choice < 0.55:
        return rnd.choice(
            [0, 1, -1, 1.5, 1234567, 1234567.5, 1e20, 1e21, 1e-7, 0.1, 2**53, None, True, False]
        )
    if choice < 0.75:
        return [_tricky_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    keys = rnd.sample(KEYS, rnd.randint(0, 4)) + [_tricky_string(rnd) for _ in range(rnd.randint(0, 1))]
    return {key: _tricky_value(rnd, depth + 1) for key in keys}


def _yaml_safe_json(value: Any) -> str:
    # JSON is YAML, provided characters YAML readers refuse raw are written as escapes.
    out = []
    for character in json.dumps(value, ensure_ascii=False):
        code = ord(character)
        if code < 0x20 or 0x7F <= code <= 0x9F or character in "\u2028\u2029\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(character)
    return "".join(out)


TEMPLATE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: cases
data:
{{- range $i, $v := .Values.cases }}
  y{{ $i }}: {{ toYaml $v | b64enc | quote }}
  p{{ $i }}: {{ toYamlPretty $v | b64enc | quote }}
  j{{ $i }}: {{ toJson $v | b64enc | quote }}
  t{{ $i }}: {{ toToml (dict "v" $v) | b64enc | quote }}
{{- end }}
"""


def _has_unordered_keys(value: Any) -> bool:
    """go-yaml's key comparison is not transitive for some key sets ("1" < "01" < "0o17" <
    "1"); Go then sorts map keys in an order that depends on its random map iteration, so
    helm's own output varies from run to run and no fixed answer exists."""
    if isinstance(value, list):
        return any(_has_unordered_keys(item) for item in value)
    if not isinstance(value, dict):
        return False
    for v3 in (False, True):
        ordered = sorted_keys(value, v3)
        for later_index, later in enumerate(ordered):
            if any(go_key_less(later, earlier, v3) for earlier in ordered[:later_index]):
                return True
    return any(_has_unordered_keys(item) for item in value.values())


def _ours(value: Any, produce: Any) -> str:
    try:
        return str(produce(value))
    except CodecError:
        return ""


def test_helm_renders_like_the_codec(helm_binary: Path, tmp_path: Path) -> None:
    rnd = random.Random(4_3_1)
    cases = [_tricky_value(rnd) for _ in range(1500)]
    chart = tmp_path / "t"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 1.0.0\n")
    (chart / "templates" / "cm.yaml").write_text(TEMPLATE)
    values_text = "cases: " + _yaml_safe_json(cases) + "\n"
    (tmp_path / "values.yaml").write_text(values_text, encoding="utf-8")
    result = subprocess.run(
        [str(helm_binary), "template", "r", str(chart), "-f", str(tmp_path / "values.yaml")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    rendered = go_yaml.load(result.stdout.split("\n", 2)[2])
    data: dict[str, str] = rendered["data"]
    loaded = go_yaml.load_values(values_text)["cases"]
    assert len(loaded) == len(cases)

    def helm(key: str) -> str:
        return base64.b64decode(data[key]).decode("utf-8")

    mismatches = []
    ambiguous = 0
    for index, value in enumerate(loaded):
        if _has_unordered_keys(value):
            ambiguous += 1
            continue
        checks = {
            "y": _ours(value, go_yaml.to_yaml),
            "p": _ours(value, go_yaml.to_yaml_pretty),
            "j": _ours(value, go_json.to_json),
            "t": _ours({"v": value}, go_toml.to_toml),
        }
        for prefix, ours in checks.items():
            theirs = helm(f"{prefix}{index}")
            if prefix == "t" and ours == "" and theirs.startswith("toml:"):
                continue
            if ours != theirs:
                mismatches.append((prefix, index, theirs, ours))
    assert ambiguous < len(loaded) // 20
    assert mismatches == []
