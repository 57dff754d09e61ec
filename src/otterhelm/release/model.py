"""A Helm release as Helm v4 stores it (pkg/release/v1 release.go, info.go, hook.go;
pkg/release/common/status.go; pkg/chart/v2 chart.go, metadata.go, dependency.go).

Times are kept as the RFC3339Nano text Go wrote (nanoseconds and zone offset survive a round
trip untouched); "" is Go's zero time. Map-valued fields hold the Go value model
(otterhelm.template.gotypes): numbers read back from JSON are floats, as in Go's `any`.
"""

from __future__ import annotations

import base64
import datetime
import enum
from dataclasses import dataclass, field
from typing import Any

from otterhelm.chart.model import Chart, Dependency, File, Lock, Metadata

# Go's zero time.Time as encoding/json writes it.
GO_ZERO_TIME = "0001-01-01T00:00:00Z"


class Status(enum.StrEnum):
    """The nine release statuses of pkg/release/common/status.go."""

    UNKNOWN = "unknown"
    DEPLOYED = "deployed"
    UNINSTALLED = "uninstalled"
    SUPERSEDED = "superseded"
    FAILED = "failed"
    UNINSTALLING = "uninstalling"
    PENDING_INSTALL = "pending-install"
    PENDING_UPGRADE = "pending-upgrade"
    PENDING_ROLLBACK = "pending-rollback"

    @property
    def is_pending(self) -> bool:
        return self in (Status.PENDING_INSTALL, Status.PENDING_UPGRADE, Status.PENDING_ROLLBACK)

    @classmethod
    def parse(cls, text: str) -> Status | str:
        """The status, or the text itself when Helm wrote one this version does not know."""
        try:
            return cls(text)
        except ValueError:
            return text


def is_zero_time(text: str) -> bool:
    return text in ("", GO_ZERO_TIME)


def format_go_time(moment: datetime.datetime) -> str:
    """RFC3339Nano as Go formats it: trailing zeros of the fraction dropped, `Z` for UTC."""
    if moment.tzinfo is None:
        raise ValueError("release times need a zone")
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    offset = moment.utcoffset() or datetime.timedelta(0)
    if not offset:
        return text + "Z"
    sign = "-" if offset < datetime.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def now_go_time() -> str:
    return format_go_time(datetime.datetime.now(datetime.UTC))


def parse_go_time(text: str) -> datetime.datetime | None:
    """The moment a stored time names (to microseconds), None for the zero time."""
    if is_zero_time(text):
        return None
    head, _, rest = text.partition(".")
    if rest:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        fraction, zone = rest[:digits], rest[digits:]
        head = f"{head}.{fraction[:6].ljust(6, '0')}{zone}"
    return datetime.datetime.fromisoformat(head.replace("Z", "+00:00"))


def unix_seconds(text: str) -> int:
    """Go's Time.Unix() of a stored time (the zero time is year 1, far before 1970)."""
    moment = parse_go_time(text)
    if moment is None:
        return -62135596800
    return int(moment.timestamp() // 1)


@dataclass(slots=True)
class StoredFile:
    """common.File: `data` is raw bytes (base64 in JSON), `modtime` "" when zero."""

    name: str
    data: bytes
    modtime: str = ""


@dataclass(slots=True)
class StoredChart:
    """chart.Chart as serialised into a release: the root chart only (subcharts are not
    part of Go's JSON). `metadata` and `lock` are JSON objects with Go's field names."""

    metadata: dict[str, Any] | None
    lock: dict[str, Any] | None = None
    templates: list[StoredFile] | None = None
    values: dict[str, Any] | None = None
    schema: bytes | None = None
    schema_modtime: str = ""
    files: list[StoredFile] | None = None
    modtime: str = ""

    @classmethod
    def from_chart(cls, chart: Chart, *, modtime: str = "") -> StoredChart:
        """What Helm records for the chart it installed: the root chart after dependency
        processing (its `values` then hold imported values). `modtime` stands for the file
        times Helm's loader keeps ("" leaves them out)."""
        return cls(
            metadata=metadata_json(chart.metadata),
            lock=lock_json(chart.lock) if chart.lock is not None else None,
            templates=[_stored(f, modtime) for f in chart.templates],
            values=chart.values,
            schema=chart.schema,
            # Helm stamps the schema time only when there is a schema (chart.go StampModTimes).
            schema_modtime=modtime if chart.schema else "",
            files=[_stored(f, modtime) for f in chart.files],
            modtime=modtime,
        )

    @property
    def name(self) -> str:
        return str((self.metadata or {}).get("name", ""))

    @property
    def version(self) -> str:
        return str((self.metadata or {}).get("version", ""))

    @property
    def app_version(self) -> str:
        return str((self.metadata or {}).get("appVersion", ""))


def _stored(file: File, modtime: str) -> StoredFile:
    return StoredFile(name=file.name, data=file.data, modtime=modtime)


def metadata_json(metadata: Metadata) -> dict[str, Any]:
    """chart.Metadata under its JSON names (codec.py applies Go's field order and omitempty)."""
    return {
        "name": metadata.name,
        "home": metadata.home,
        "sources": list(metadata.sources),
        "version": metadata.version,
        "description": metadata.description,
        "keywords": list(metadata.keywords),
        "maintainers": [
            None if m is None else {"name": m.name, "email": m.email, "url": m.url}
            for m in metadata.maintainers
        ],
        "icon": metadata.icon,
        "apiVersion": metadata.api_version,
        "condition": metadata.condition,
        "tags": metadata.tags,
        "appVersion": metadata.app_version,
        "deprecated": metadata.deprecated,
        "annotations": dict(metadata.annotations),
        "kubeVersion": metadata.kube_version,
        "dependencies": [None if d is None else dependency_json(d) for d in metadata.dependencies],
        "type": metadata.type,
    }


def dependency_json(dependency: Dependency) -> dict[str, Any]:
    return {
        "name": dependency.name,
        "version": dependency.version,
        "repository": dependency.repository,
        "condition": dependency.condition,
        "tags": list(dependency.tags),
        "enabled": dependency.enabled,
        "import-values": list(dependency.import_values),
        "alias": dependency.alias,
    }


def lock_json(lock: Lock) -> dict[str, Any]:
    return {
        "generated": lock.generated,
        "digest": lock.digest,
        "dependencies": [dependency_json(d) for d in lock.dependencies],
    }


@dataclass(slots=True)
class HookExecution:
    started_at: str = ""
    completed_at: str = ""
    phase: str = ""


@dataclass(slots=True)
class Hook:
    name: str = ""
    kind: str = ""
    path: str = ""
    manifest: str = ""
    events: list[str] = field(default_factory=list)
    last_run: HookExecution = field(default_factory=HookExecution)
    weight: int = 0
    delete_policies: list[str] = field(default_factory=list)
    output_log_policies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Info:
    first_deployed: str = ""
    last_deployed: str = ""
    deleted: str = ""
    description: str = ""
    status: Status | str = ""
    rollback_revision: int = 0
    notes: str = ""
    # Helm's `resources` (deployed objects), kept as read so a rewrite loses nothing.
    resources: dict[str, Any] | None = None


@dataclass(slots=True)
class Release:
    """release.Release. `labels` is Release.Labels (kept in the Secret's labels, not the JSON);
    `chart_reference` is otterhelm's record of where the chart came from and `lock_holder`
    the lock holder that wrote the record: both live in Secret annotations Helm ignores.
    `resource_version` is the Secret's, for optimistic concurrency on update."""

    name: str
    namespace: str
    version: int
    info: Info | None = field(default_factory=Info)
    chart: StoredChart | None = None
    config: dict[str, Any] | None = None
    manifest: str = ""
    hooks: list[Hook] | None = None
    apply_method: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    chart_reference: str = ""
    lock_holder: str = ""
    resource_version: str = ""

    @property
    def status(self) -> Status | str:
        return self.info.status if self.info is not None else ""

    def set_status(self, status: Status, description: str) -> None:
        if self.info is None:
            self.info = Info()
        self.info.status = status
        self.info.description = description


def decode_bytes(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)
