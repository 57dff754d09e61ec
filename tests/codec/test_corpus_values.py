"""Acceptance: toYaml, toJson and toYamlPretty of every values file in the chart corpus.

For each values file of the charts in ../shared/charts (chart defaults, `ci/` values and the
override files the corpus cases pass with -f), helm v4.3.1's own engine rendered

    {{ toYaml .Values }} @@@@ {{ toJson .Values }} @@@@ {{ toYamlPretty .Values }} @@@@
    {{ range $k, $v := .Values }}{{ toYaml $v }} @@ {{ end }}

with the file loaded by loader.LoadValues. data/corpus_values_render_sha256.json holds the
sha256 of each rendering; the same text is rebuilt here from otterhelm's codecs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from otterhelm.codec import json as go_json
from otterhelm.codec import yaml as go_yaml

CHARTS = Path(__file__).resolve().parents[2].parent / "shared" / "charts"
EXPECTED: dict[str, str] = json.loads(
    (Path(__file__).parent / "data" / "corpus_values_render_sha256.json").read_text("utf-8")
)


def _render(text: str) -> str:
    values = go_yaml.load_values(text)
    per_key = "".join(go_yaml.to_yaml(values[key]) + "\n@@\n" for key in sorted(values))
    parts = [go_yaml.to_yaml(values), go_json.to_json(values), go_yaml.to_yaml_pretty(values), per_key]
    return "\n@@@@\n".join(parts)


def test_corpus_is_present() -> None:
    assert CHARTS.is_dir(), f"chart corpus not found at {CHARTS}"
    assert len(EXPECTED) > 500


def test_every_values_file_renders_like_helm() -> None:
    mismatches = []
    for relative, digest in sorted(EXPECTED.items()):
        text = (CHARTS / relative).read_text("utf-8")
        rendered = _render(text)
        if hashlib.sha256(rendered.encode("utf-8")).hexdigest() != digest:
            mismatches.append(relative)
    assert mismatches == []
