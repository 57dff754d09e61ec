"""Chart repository indexes (`index.yaml`): reading them as Helm does, choosing a version,
and writing one for a directory of archives like `helm repo index`.

Behaviour follows helm/helm pkg/repo/v1/index.go (loadIndex, SortEntries, Get, IndexDirectory,
MustAdd) and chartrepo.go (ResolveReferenceURL).
"""

from __future__ import annotations

import datetime
import hashlib
import posixpath
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from otterhelm.chart.model import Chart
from otterhelm.errors import InvalidArgument, NotFound, Unavailable

from . import versions


class _IndexLoader(yaml.SafeLoader):
    """YAML without timestamp resolution: `created` stays the string the index wrote."""


_IndexLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class ChartVersion:
    """One entry of an index: `fields` is the entry as written (Chart.yaml fields plus urls,
    created, digest)."""

    name: str
    version: str
    urls: tuple[str, ...]
    digest: str | None
    fields: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@dataclass(frozen=True)
class IndexFile:
    api_version: str
    entries: Mapping[str, tuple[ChartVersion, ...]]  # each newest first

    def get(self, name: str, constraint: str | None) -> ChartVersion:
        """Helm's IndexFile.Get: an exact version string wins, else the newest that satisfies
        the constraint (`*` when none is given, which leaves out prereleases)."""
        found = self.entries.get(name)
        if not found:
            raise NotFound(f"chart {name!r} not found in repository")
        by_version = {cv.version: cv for cv in reversed(found)}
        chosen = versions.select([cv.version for cv in found], constraint)
        if chosen is None:
            suffix = f"-{constraint}" if constraint else ""
            raise NotFound(f"no chart version found for {name}{suffix}")
        return by_version[chosen]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_index(data: bytes, source: str) -> IndexFile:
    if not data.strip():
        raise Unavailable(f"{source}: empty index.yaml file")
    try:
        doc = yaml.load(data, Loader=_IndexLoader)  # a SafeLoader subclass
    except yaml.YAMLError as err:
        raise Unavailable(f"{source}: index is not valid YAML: {err}") from None
    if not isinstance(doc, dict):
        raise Unavailable(f"{source}: index is not a mapping")
    api_version = _text(doc.get("apiVersion"))
    if not api_version:
        raise Unavailable(f"{source}: no API version specified")
    entries: dict[str, tuple[ChartVersion, ...]] = {}
    raw_entries = doc.get("entries") or {}
    if not isinstance(raw_entries, dict):
        raise Unavailable(f"{source}: index entries are not a mapping")
    for key, items in raw_entries.items():
        kept: list[ChartVersion] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue  # Helm skips empty and malformed entries with a warning
            name, version = _text(item.get("name")), _text(item.get("version"))
            if not name or versions.parse_version(version) is None:
                continue
            urls = item.get("urls") or []
            digest = _text(item.get("digest")) or None
            kept.append(
                ChartVersion(
                    name=name,
                    version=version,
                    urls=tuple(_text(u) for u in urls) if isinstance(urls, list) else (),
                    digest=digest,
                    fields=item,
                )
            )
        order = versions.newest_first(cv.version for cv in kept)
        rank = {v: i for i, v in reversed(list(enumerate(order)))}
        entries[_text(key)] = tuple(sorted(kept, key=lambda cv: rank[cv.version]))
    return IndexFile(api_version=api_version, entries=entries)


def resolve_reference_url(base_url: str, ref_url: str) -> str:
    """An index `urls` entry made absolute against the repository URL, keeping the
    repository's query string (chartrepo.go ResolveReferenceURL)."""
    ref = urllib.parse.urlsplit(ref_url)
    if ref.scheme:
        return ref_url
    base = urllib.parse.urlsplit(base_url)
    base = base._replace(path=base.path.rstrip("/") + "/")
    joined = urllib.parse.urlsplit(urllib.parse.urljoin(urllib.parse.urlunsplit(base), ref_url))
    return urllib.parse.urlunsplit(joined._replace(query=base.query))


# --- writing, like `helm repo index` ------------------------------------------------------


def _go_time(moment: datetime.datetime) -> str:
    """Go's time.Time JSON form (RFC 3339 with trailing zeros of the fraction dropped)."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    offset = moment.utcoffset()
    if offset is None or offset == datetime.timedelta(0):
        return text + "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return text + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _metadata_fields(chart: Chart) -> dict[str, Any]:
    from .oci import helm_config  # the Go JSON form of Chart.yaml, one definition

    fields = helm_config(chart.metadata)
    fields.setdefault("apiVersion", "v1")
    return fields


def _url_join(base: str, *paths: str) -> str:
    """Go's urlutil.URLJoin: path.Join of the URL's path and `paths` (empty parts dropped)."""
    parts = urllib.parse.urlsplit(base)
    elements = [p for p in (parts.path, *paths) if p]
    joined = posixpath.normpath("/".join(elements)) if elements else ""
    if joined and parts.netloc and not joined.startswith("/"):
        joined = "/" + joined
    return urllib.parse.urlunsplit(parts._replace(path=joined))


def index_directory(
    directory: Path,
    base_url: str,
    load: Callable[[Path], Chart],
    now: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC),
) -> dict[str, Any]:
    """The index document for the `*.tgz` files in `directory` and its immediate
    subdirectories (pkg/repo/v1 IndexDirectory); archives that do not load are skipped."""
    archives = sorted(directory.glob("*.tgz")) + sorted(directory.glob("*/*.tgz"))
    entries: dict[str, list[dict[str, Any]]] = {}
    for archive in archives:
        try:
            chart = load(archive)
        except Exception:  # helm skips archives that fail to load
            continue
        relative = archive.relative_to(directory)
        parent = relative.parent.as_posix()
        fname = relative.name
        parent_url = _url_join(base_url, "" if parent == "." else parent)
        url = _url_join(parent_url, fname) if parent_url else fname
        entry = _metadata_fields(chart)
        if not entry.get("name") or versions.parse_version(str(entry.get("version", ""))) is None:
            raise InvalidArgument(f"validate failed for {fname}: invalid chart metadata")
        entry["urls"] = [url]
        entry["created"] = _go_time(now())
        entry["digest"] = hashlib.sha256(archive.read_bytes()).hexdigest()
        entries.setdefault(chart.metadata.name, []).append(entry)
    _sort_entries(entries)
    return {"apiVersion": "v1", "entries": entries, "generated": _go_time(now())}


def _sort_entries(entries: dict[str, list[dict[str, Any]]]) -> None:
    for name, items in entries.items():
        order = versions.newest_first(str(e["version"]) for e in items)
        rank = {v: i for i, v in reversed(list(enumerate(order)))}
        entries[name] = sorted(items, key=lambda e: rank.get(str(e["version"]), len(rank)))


def merge_index(document: dict[str, Any], existing: IndexFile) -> None:
    """`helm repo index --merge`: entries of `existing` whose name and version the new index
    lacks are added (IndexFile.Merge), then every chart's versions are sorted again."""
    entries: dict[str, list[dict[str, Any]]] = document["entries"]
    for chart_versions in existing.entries.values():
        for cv in chart_versions:
            present = entries.get(cv.name, [])
            if not any(str(e.get("version")) == cv.version for e in present):
                entries.setdefault(cv.name, []).append({"apiVersion": "v1", **dict(cv.fields)})
    _sort_entries(entries)


class _IndexDumper(yaml.SafeDumper):
    """go-yaml v2 style: strings that would read back as another type get double quotes."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    implicit = dumper.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    style = '"' if implicit != "tag:yaml.org,2002:str" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_IndexDumper.add_representer(str, _represent_str)


def dump_index(document: Mapping[str, Any]) -> str:
    """YAML with sorted keys, as sigs.k8s.io/yaml writes Helm's index."""
    return yaml.dump(
        dict(document),
        Dumper=_IndexDumper,
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 30,
    )
