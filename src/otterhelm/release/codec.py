"""Release JSON and the stored record, byte-compatible with helm v4.3.1.

JSON: encoding/json of pkg/release/v1.Release (struct fields in declaration order, omitempty /
omitzero as tagged, maps with sorted keys and `<>&` escaped: otterhelm.codec.json does values).
Record: base64(gzip level 9(JSON)) (pkg/storage/driver/util.go encodeRelease); decoding also
takes un-gzipped JSON and the `""` zero times of Helm v3 records (decodeRelease, info.go).
"""

from __future__ import annotations

import base64
import gzip
import json as _stdjson
import re
from collections.abc import Sequence
from typing import Any

from otterhelm.codec import json as gojson
from otterhelm.errors import InvalidArgument
from otterhelm.release.model import (
    GO_ZERO_TIME,
    Hook,
    HookExecution,
    Info,
    Release,
    Status,
    StoredChart,
    StoredFile,
    is_zero_time,
)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class ReleaseDecodeError(InvalidArgument):
    """A stored record is not a release Helm could have written."""


# --- encoding -------------------------------------------------------------------------------


def _struct(fields: Sequence[tuple[str, str | None]]) -> str:
    """A JSON object from (name, encoded value) pairs in order; None means omitted."""
    body = ",".join(f"{gojson.quote_string(k)}:{v}" for k, v in fields if v is not None)
    return "{" + body + "}"


def _str(value: str, omitempty: bool = True) -> str | None:
    return None if omitempty and value == "" else gojson.quote_string(value)


def _int(value: int, omitempty: bool = True) -> str | None:
    return None if omitempty and value == 0 else str(value)


def _time_omitzero(value: str) -> str | None:
    return None if is_zero_time(value) else gojson.quote_string(value)


def _time(value: str) -> str:
    return gojson.quote_string(GO_ZERO_TIME if value == "" else value)


def _value(value: Any) -> str:
    return gojson.to_json(value)


def _list_omitempty(values: Sequence[Any] | None) -> str | None:
    return _value(list(values)) if values else None


def _map_omitempty(value: dict[str, Any] | None) -> str | None:
    return _value(value) if value else None


def _bytes(data: bytes | None) -> str:
    return "null" if data is None else gojson.quote_string(base64.b64encode(data).decode("ascii"))


def _file(file: StoredFile) -> str:
    return _struct(
        [
            ("name", _str(file.name, False)),
            ("data", _bytes(file.data)),
            ("modtime", _time_omitzero(file.modtime)),
        ]
    )


def _files(files: list[StoredFile] | None) -> str:
    return "null" if files is None else "[" + ",".join(_file(f) for f in files) + "]"


def _dependency(dep: dict[str, Any] | None) -> str:
    if dep is None:
        return "null"
    return _struct(
        [
            ("name", _str(str(dep.get("name", "")), False)),
            ("version", _str(str(dep.get("version", "")))),
            ("repository", _str(str(dep.get("repository", "")), False)),
            ("condition", _str(str(dep.get("condition", "")))),
            ("tags", _list_omitempty(dep.get("tags"))),
            ("enabled", "true" if dep.get("enabled") else None),
            ("import-values", _list_omitempty(dep.get("import-values"))),
            ("alias", _str(str(dep.get("alias", "")))),
        ]
    )


def _dependencies(deps: list[Any] | None, omitempty: bool) -> str | None:
    if deps is None:
        return None if omitempty else "null"
    if omitempty and not deps:
        return None
    return "[" + ",".join(_dependency(d) for d in deps) + "]"


def _maintainer(m: dict[str, Any] | None) -> str:
    if m is None:
        return "null"
    return _struct([(k, _str(str(m.get(k, "")))) for k in ("name", "email", "url")])


def _metadata(meta: dict[str, Any] | None) -> str:
    if meta is None:
        return "null"
    maintainers = meta.get("maintainers")
    return _struct(
        [
            ("name", _str(str(meta.get("name", "")))),
            ("home", _str(str(meta.get("home", "")))),
            ("sources", _list_omitempty(meta.get("sources"))),
            ("version", _str(str(meta.get("version", "")))),
            ("description", _str(str(meta.get("description", "")))),
            ("keywords", _list_omitempty(meta.get("keywords"))),
            (
                "maintainers",
                "[" + ",".join(_maintainer(m) for m in maintainers) + "]" if maintainers else None,
            ),
            ("icon", _str(str(meta.get("icon", "")))),
            ("apiVersion", _str(str(meta.get("apiVersion", "")))),
            ("condition", _str(str(meta.get("condition", "")))),
            ("tags", _str(str(meta.get("tags", "")))),
            ("appVersion", _str(str(meta.get("appVersion", "")))),
            ("deprecated", "true" if meta.get("deprecated") else None),
            ("annotations", _map_omitempty(meta.get("annotations"))),
            ("kubeVersion", _str(str(meta.get("kubeVersion", "")))),
            ("dependencies", _dependencies(meta.get("dependencies"), True)),
            ("type", _str(str(meta.get("type", "")))),
        ]
    )


def _lock(lock: dict[str, Any] | None) -> str:
    if lock is None:
        return "null"
    return _struct(
        [
            ("generated", _time(str(lock.get("generated", "")))),
            ("digest", _str(str(lock.get("digest", "")), False)),
            ("dependencies", _dependencies(lock.get("dependencies"), False)),
        ]
    )


def _chart(chart: StoredChart) -> str:
    return _struct(
        [
            ("metadata", _metadata(chart.metadata)),
            ("lock", _lock(chart.lock)),
            ("templates", _files(chart.templates)),
            ("values", _value(chart.values)),
            ("schema", _bytes(chart.schema)),
            ("schemamodtime", _time(chart.schema_modtime)),
            ("files", _files(chart.files)),
            ("modtime", _time_omitzero(chart.modtime)),
        ]
    )


def _info(info: Info) -> str:
    return _struct(
        [
            ("first_deployed", _time_omitzero(info.first_deployed)),
            ("last_deployed", _time_omitzero(info.last_deployed)),
            ("deleted", _time_omitzero(info.deleted)),
            ("description", _str(info.description)),
            ("status", _str(str(info.status))),
            ("rollback_revision", _int(info.rollback_revision)),
            ("notes", _str(info.notes)),
            ("resources", _map_omitempty(info.resources)),
        ]
    )


def _hook(hook: Hook) -> str:
    run = hook.last_run
    last_run = _struct(
        [
            ("started_at", _time_omitzero(run.started_at)),
            ("completed_at", _time_omitzero(run.completed_at)),
            ("phase", _str(run.phase, False)),
        ]
    )
    return _struct(
        [
            ("name", _str(hook.name)),
            ("kind", _str(hook.kind)),
            ("path", _str(hook.path)),
            ("manifest", _str(hook.manifest)),
            ("events", _list_omitempty(hook.events)),
            ("last_run", last_run),
            ("weight", _int(hook.weight)),
            ("delete_policies", _list_omitempty(hook.delete_policies)),
            ("output_log_policies", _list_omitempty(hook.output_log_policies)),
        ]
    )


def release_to_json(release: Release, chart_json: str | None = None) -> str:
    """json.Marshal(release) as helm v4.3.1 writes it; `chart_json`, when given, is the
    already encoded JSON of `release.chart`."""
    if chart_json is None and release.chart is not None:
        chart_json = _chart(release.chart)
    hooks = release.hooks
    return _struct(
        [
            ("name", _str(release.name)),
            ("info", None if release.info is None else _info(release.info)),
            ("chart", chart_json),
            ("config", _map_omitempty(release.config)),
            ("manifest", _str(release.manifest)),
            (
                "hooks",
                "[" + ",".join("null" if h is None else _hook(h) for h in hooks) + "]" if hooks else None,
            ),
            ("version", _int(release.version)),
            ("namespace", _str(release.namespace)),
            ("apply_method", _str(release.apply_method)),
        ]
    )


# Helm compresses at gzip.BestCompression. zlib's level 9 costs about twice level 6 for about
# 2% less; the stronger level is kept for records near the API server's 1 MiB limit on a
# Secret's data (the record is base64 of the gzip stream: 768 KiB of gzip at most).
FAST_LEVEL = 6
BEST_LEVEL = 9
BEST_LEVEL_FROM_BYTES = 640 * 1024


def compress_record(text: str) -> bytes:
    data = text.encode("utf-8")
    compressed = gzip.compress(data, compresslevel=FAST_LEVEL, mtime=0)
    if len(compressed) >= BEST_LEVEL_FROM_BYTES:
        compressed = gzip.compress(data, compresslevel=BEST_LEVEL, mtime=0)
    return compressed


def encode_record(release: Release, chart_json: str | None = None) -> str:
    """The text of a Secret's `data.release` before the API's own base64 layer."""
    return base64.b64encode(compress_record(release_to_json(release, chart_json))).decode("ascii")


class RecordEncoder:
    """encode_record that keeps the JSON of the chart it last encoded: the records one
    operation writes (pending, then deployed or failed) share one StoredChart object, and the
    chart is most of a record. A StoredChart must not be changed once encoded."""

    def __init__(self) -> None:
        # One tuple, replaced whole: encodings may run in worker threads at the same time.
        self._last: tuple[StoredChart, str] | None = None

    def encode(self, release: Release) -> str:
        chart = release.chart
        if chart is None:
            return encode_record(release)
        last = self._last
        if last is None or last[0] is not chart:
            last = (chart, _chart(chart))
            self._last = last
        return encode_record(release, last[1])


# --- decoding -------------------------------------------------------------------------------


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _number(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def _strings(obj: dict[str, Any], key: str) -> list[str]:
    value = obj.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def _object(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _decode_files(value: Any) -> list[StoredFile] | None:
    if not isinstance(value, list):
        return None
    return [
        StoredFile(
            name=_text(item, "name"),
            data=base64.b64decode(_text(item, "data")),
            modtime=_text(item, "modtime"),
        )
        for item in value
        if isinstance(item, dict)
    ]


def _decode_chart(obj: dict[str, Any]) -> StoredChart:
    schema = obj.get("schema")
    return StoredChart(
        metadata=_object(obj.get("metadata")),
        lock=_object(obj.get("lock")),
        templates=_decode_files(obj.get("templates")),
        values=_object(obj.get("values")),
        schema=base64.b64decode(schema) if isinstance(schema, str) else None,
        schema_modtime=_text(obj, "schemamodtime"),
        files=_decode_files(obj.get("files")),
        modtime=_text(obj, "modtime"),
    )


def _decode_info(obj: dict[str, Any]) -> Info:
    return Info(
        first_deployed=_text(obj, "first_deployed"),
        last_deployed=_text(obj, "last_deployed"),
        deleted=_text(obj, "deleted"),
        description=_text(obj, "description"),
        status=Status.parse(_text(obj, "status")),
        rollback_revision=_number(obj, "rollback_revision"),
        notes=_text(obj, "notes"),
        resources=_object(obj.get("resources")),
    )


def _decode_hook(obj: dict[str, Any]) -> Hook:
    run = _object(obj.get("last_run")) or {}
    return Hook(
        name=_text(obj, "name"),
        kind=_text(obj, "kind"),
        path=_text(obj, "path"),
        manifest=_text(obj, "manifest"),
        events=_strings(obj, "events"),
        last_run=HookExecution(
            started_at=_text(run, "started_at"),
            completed_at=_text(run, "completed_at"),
            phase=_text(run, "phase"),
        ),
        weight=_number(obj, "weight"),
        delete_policies=_strings(obj, "delete_policies"),
        output_log_policies=_strings(obj, "output_log_policies"),
    )


def _load_json(text: str | bytes) -> Any:
    """json.Unmarshal into `any` (every number a float64). Records are Go's own output, so
    the standard library's C decoder reads them the same way Go does; text with escaped
    surrogates or NaN-like constants takes the exact (slower) decoder."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if _SURROGATE_ESCAPE.search(text) is None:
        try:
            return _stdjson.loads(text, parse_int=float, parse_constant=_reject_constant)
        except ValueError:
            pass  # the exact decoder gives Go's error text
    return gojson.load(text)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid character {name[0]!r} looking for beginning of value")


def release_from_json(text: str | bytes) -> Release:
    try:
        obj = _load_json(text)
    except Exception as error:
        raise ReleaseDecodeError(f"release record is not valid JSON: {error}") from error
    if not isinstance(obj, dict):
        raise ReleaseDecodeError("release record is not a JSON object")
    info = _object(obj.get("info"))
    chart = _object(obj.get("chart"))
    hooks = obj.get("hooks")
    return Release(
        name=_text(obj, "name"),
        namespace=_text(obj, "namespace"),
        version=_number(obj, "version"),
        info=None if info is None else _decode_info(info),
        chart=None if chart is None else _decode_chart(chart),
        config=_object(obj.get("config")),
        manifest=_text(obj, "manifest"),
        hooks=[_decode_hook(h) for h in hooks if isinstance(h, dict)] if isinstance(hooks, list) else None,
        apply_method=_text(obj, "apply_method"),
    )


def decode_record_json(record: str) -> bytes:
    """The release JSON inside a `data.release` text (gzipped or not)."""
    try:
        raw = base64.b64decode(record, validate=True)
    except ValueError as error:
        raise ReleaseDecodeError(f"release record is not base64: {error}") from error
    if raw[:3] == _GZIP_MAGIC:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ReleaseDecodeError(f"release record is not valid gzip: {error}") from error
    return raw


def decode_record(record: str) -> Release:
    return release_from_json(decode_record_json(record))
