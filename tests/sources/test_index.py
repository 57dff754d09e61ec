"""index.yaml reading, version choice and `helm repo index` output (helm pkg/repo/v1
index_test.go, chartrepo_test.go TestResolveReferenceURL)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from otterhelm.chart import loader
from otterhelm.errors import NotFound, Unavailable
from otterhelm.sources.index import dump_index, index_directory, parse_index, resolve_reference_url

INDEX = b"""
apiVersion: v1
entries:
  nginx:
    - urls:
        - https://charts.test/nginx-0.2.0.tgz
      name: nginx
      description: string
      version: 0.2.0
      home: https://github.com/something/else
      digest: "sha256:1234567890abcdef"
      created: 2016-10-06T16:23:20.499814565-06:00
    - urls:
        - https://charts.test/nginx-0.1.0.tgz
      name: nginx
      version: 0.1.0
    - urls:
        - nginx-0.3.0-rc.1.tgz
      name: nginx
      version: 0.3.0-rc.1
    -
    - name: nginx
      version: not.a.version
      urls: [x.tgz]
  alpine:
    - urls:
        - alpine-1.0.0.tgz
      name: alpine
      version: 1.0.0
      deprecated: true
generated: 2016-10-06T16:23:20.499029981-06:00
"""


def test_parse_sorts_newest_first_and_skips_invalid_entries() -> None:
    index = parse_index(INDEX, "test")
    assert [cv.version for cv in index.entries["nginx"]] == ["0.3.0-rc.1", "0.2.0", "0.1.0"]
    first = index.entries["nginx"][1]
    assert first.digest == "sha256:1234567890abcdef"
    assert first.get("created") == "2016-10-06T16:23:20.499814565-06:00"
    assert index.entries["alpine"][0].get("deprecated") is True


def test_get_follows_helm() -> None:
    index = parse_index(INDEX, "test")
    assert index.get("nginx", None).version == "0.2.0"  # prereleases need asking for
    assert index.get("nginx", "0.3.0-rc.1").version == "0.3.0-rc.1"
    assert index.get("nginx", "<0.2").version == "0.1.0"
    assert index.get("nginx", "0.1").version == "0.1.0"
    with pytest.raises(NotFound, match="no chart version found for nginx-9"):
        index.get("nginx", "9")
    with pytest.raises(NotFound):
        index.get("redis", None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "empty index"),
        (b"entries: {}\n", "no API version"),
        (b"- a\n", "not a mapping"),
        (b"a: [", "not valid YAML"),
    ],
)
def test_bad_indexes(text: bytes, message: str) -> None:
    with pytest.raises(Unavailable, match=message):
        parse_index(text, "test")


@pytest.mark.parametrize(
    ("base", "ref", "expected"),
    # chartrepo_test.go TestResolveReferenceURL
    [
        ("http://localhost:8123/", "/nginx-0.2.0.tgz", "http://localhost:8123/nginx-0.2.0.tgz"),
        ("http://localhost:8123/charts/", "nginx-0.2.0.tgz", "http://localhost:8123/charts/nginx-0.2.0.tgz"),
        ("http://localhost:8123/charts", "nginx-0.2.0.tgz", "http://localhost:8123/charts/nginx-0.2.0.tgz"),
        (
            "http://localhost:8123/charts/",
            "https://charts.test/nginx-0.2.0.tgz",
            "https://charts.test/nginx-0.2.0.tgz",
        ),
        (
            "http://localhost:8123/charts?with=queryparameter",
            "nginx-0.2.0.tgz",
            "http://localhost:8123/charts/nginx-0.2.0.tgz?with=queryparameter",
        ),
        ("http://localhost:8123/charts/", "../nginx-0.2.0.tgz", "http://localhost:8123/nginx-0.2.0.tgz"),
    ],
)
def test_resolve_reference_url(base: str, ref: str, expected: str) -> None:
    assert resolve_reference_url(base, ref) == expected


def test_index_directory_like_helm_repo_index(tmp_path: Path, make_chart: Callable[..., bytes]) -> None:
    (tmp_path / "a-1.0.0.tgz").write_bytes(make_chart("a", "1.0.0"))
    (tmp_path / "a-1.10.0.tgz").write_bytes(make_chart("a", "1.10.0"))
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b-0.1.0.tgz").write_bytes(make_chart("b", "0.1.0", description="Bee <&>"))
    (tmp_path / "broken.tgz").write_bytes(b"not a chart")
    moment = datetime.datetime(2026, 11, 22, 3, 40, 5, 123400, tzinfo=datetime.UTC)
    doc = index_directory(tmp_path, "https://charts.test/repo/", loader.load, now=lambda: moment)
    text = dump_index(doc)
    digest_a10 = __import__("hashlib").sha256((tmp_path / "a-1.10.0.tgz").read_bytes()).hexdigest()
    assert text.startswith(
        "apiVersion: v1\nentries:\n  a:\n  - apiVersion: v2\n    appVersion: 2.0.0\n"
        '    created: "2026-11-22T03:40:05.1234Z"\n    description: A demo chart\n'
        f"    digest: {digest_a10}\n    name: a\n    type: application\n    urls:\n"
        "    - https://charts.test/repo/a-1.10.0.tgz\n    version: 1.10.0\n"
    )
    assert text.endswith('generated: "2026-11-22T03:40:05.1234Z"\n')
    parsed = parse_index(text.encode(), "generated")
    assert [cv.version for cv in parsed.entries["a"]] == ["1.10.0", "1.0.0"]
    assert parsed.entries["b"][0].urls == ("https://charts.test/repo/nested/b-0.1.0.tgz",)
    assert parsed.entries["b"][0].get("description") == "Bee <&>"
    assert set(yaml.safe_load(text)["entries"]) == {"a", "b"}
    relative = index_directory(tmp_path, "", loader.load, now=lambda: moment)
    assert relative["entries"]["b"][0]["urls"] == ["nested/b-0.1.0.tgz"]
    assert relative["entries"]["a"][1]["urls"] == ["a-1.0.0.tgz"]
