"""`helm list` semantics (pkg/action/list.go) over release Secrets.

Secrets are listed once with the `owner=helm` selector; the latest revision per
namespace/name and the status mask are decided from labels alone, and only the records that
survive (and, for date sorting, the candidates) are decoded.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from otterhelm.errors import InvalidArgument
from otterhelm.funcs.regex import GoRegexp, RegexCompileError
from otterhelm.release.model import Release, Status, unix_seconds
from otterhelm.release.storage import OWNER, ReleaseStorage, label_version, release_from_secret

DEFAULT_LIMIT = 256


class ListStates(enum.IntFlag):
    """list.go ListStates bits."""

    DEPLOYED = enum.auto()
    UNINSTALLED = enum.auto()
    UNINSTALLING = enum.auto()
    PENDING_INSTALL = enum.auto()
    PENDING_UPGRADE = enum.auto()
    PENDING_ROLLBACK = enum.auto()
    SUPERSEDED = enum.auto()
    FAILED = enum.auto()
    UNKNOWN = enum.auto()

    @classmethod
    def from_status(cls, status: str) -> ListStates:
        return _STATE_BY_STATUS.get(status, cls.UNKNOWN)


_STATE_BY_STATUS = {
    Status.DEPLOYED.value: ListStates.DEPLOYED,
    Status.UNINSTALLED.value: ListStates.UNINSTALLED,
    Status.SUPERSEDED.value: ListStates.SUPERSEDED,
    Status.FAILED.value: ListStates.FAILED,
    Status.UNINSTALLING.value: ListStates.UNINSTALLING,
    Status.PENDING_INSTALL.value: ListStates.PENDING_INSTALL,
    Status.PENDING_UPGRADE.value: ListStates.PENDING_UPGRADE,
    Status.PENDING_ROLLBACK.value: ListStates.PENDING_ROLLBACK,
}

# list.go ListAll: every state but unknown.
LIST_ALL = ListStates(sum(_STATE_BY_STATUS.values()))
NO_STATES = ListStates(0)
PENDING = ListStates.PENDING_INSTALL | ListStates.PENDING_UPGRADE | ListStates.PENDING_ROLLBACK


class SortOrder(enum.Enum):
    BY_NAME = "name"
    BY_NAME_DESC = "name-desc"
    BY_DATE = "date"  # list.go calls it ByDateDesc; it sorts oldest first
    BY_DATE_DESC = "date-desc"


@dataclass(frozen=True)
class Requirement:
    """One term of a Kubernetes label selector."""

    key: str
    operator: str  # "=", "!=", "in", "notin", "exists", "!"
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        value = labels.get(self.key)
        if self.operator == "exists":
            return present
        if self.operator == "!":
            return not present
        if self.operator in ("=", "in"):
            return present and value in self.values
        return not present or value not in self.values


_TERM = re.compile(
    r"\s*(?:(?P<not>!)\s*(?P<nkey>[^\s=!,()]+)"
    r"|(?P<key>[^\s=!,()]+)\s*(?:(?P<op>==|=|!=)\s*(?P<value>[^\s,()]*)"
    r"|\s+(?P<set>in|notin)\s*\((?P<values>[^)]*)\))?)\s*(?:,|$)"
)


def parse_selector(text: str) -> tuple[Requirement, ...]:
    """A label selector (equality and set-based terms, k8s.io/apimachinery labels.Parse)."""
    terms: list[Requirement] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TERM.match(text, position)
        if match is None or match.end() == position:
            raise InvalidArgument(f"unable to parse requirement: {text[position:]!r}", field="selector")
        position = match.end()
        if match["not"]:
            terms.append(Requirement(match["nkey"], "!"))
        elif match["op"]:
            operator = "!=" if match["op"] == "!=" else "="
            terms.append(Requirement(match["key"], operator, frozenset({match["value"]})))
        elif match["set"]:
            values = frozenset(v.strip() for v in match["values"].split(","))
            terms.append(Requirement(match["key"], match["set"], values))
        else:
            terms.append(Requirement(match["key"], "exists"))
    return tuple(terms)


@dataclass(frozen=True)
class ListOptions:
    """`helm list` flags: an empty `states` mask means all; `limit` <= 0 means no limit."""

    all_namespaces: bool = False
    filter: str = ""
    states: ListStates = NO_STATES
    selector: str = ""
    sort: SortOrder = SortOrder.BY_NAME
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass
class _Candidate:
    secret: dict[str, Any]
    namespace: str
    name: str
    version: int
    status: str
    labels: dict[str, str] = field(default_factory=dict)
    _release: Release | None = None

    def release(self) -> Release:
        if self._release is None:
            self._release = release_from_secret(self.secret, all_labels=True)
        return self._release


def _candidate(secret: dict[str, Any]) -> _Candidate:
    metadata = secret.get("metadata") or {}
    labels = dict(metadata.get("labels") or {})
    return _Candidate(
        secret=secret,
        namespace=str(metadata.get("namespace", "")),
        name=str(labels.get("name", "")),
        version=label_version(secret),
        status=str(labels.get("status", "")),
        labels=labels,
    )


def _compile_filter(pattern: str) -> GoRegexp | None:
    """The name filter with Go's RE2 semantics and error text."""
    if not pattern:
        return None
    try:
        return GoRegexp(pattern)
    except RegexCompileError as error:
        raise InvalidArgument(str(error), field="filter") from error


async def list_releases(storage: ReleaseStorage, options: ListOptions) -> list[Release]:
    """The releases `helm list` shows for these options, decoded only for the final page."""
    name_filter = _compile_filter(options.filter)
    requirements = parse_selector(options.selector)
    namespace = "" if options.all_namespaces else storage.namespace
    secrets = await storage.list_secrets(f"owner={OWNER}", namespace=namespace)
    candidates = [_candidate(s) for s in secrets]
    total = len(candidates)
    if name_filter is not None:
        candidates = [c for c in candidates if name_filter.matches(c.name)]
    mask = options.states or LIST_ALL
    if mask != ListStates.SUPERSEDED:
        latest: dict[tuple[str, str], _Candidate] = {}
        for c in candidates:
            known = latest.get((c.namespace, c.name))
            if known is None or c.version >= known.version:
                latest[(c.namespace, c.name)] = c
        candidates = list(latest.values())
    candidates = [c for c in candidates if mask & ListStates.from_status(c.status)]
    candidates = [c for c in candidates if all(r.matches(c.labels) for r in requirements)]
    candidates = _sorted(candidates, options.sort)
    if options.offset >= len(candidates):
        return []
    limit = options.limit if 0 < options.limit < total else total
    page = candidates[options.offset : options.offset + limit]
    return [c.release() for c in page]


def _sorted(candidates: list[_Candidate], order: SortOrder) -> list[_Candidate]:
    by_name = sorted(candidates, key=lambda c: c.name)
    if order is SortOrder.BY_NAME:
        return by_name
    if order is SortOrder.BY_NAME_DESC:
        return by_name[::-1]

    def deployed_at(c: _Candidate) -> int:
        info = c.release().info
        return unix_seconds(info.last_deployed) if info is not None else unix_seconds("")

    by_date = sorted(candidates, key=lambda c: (deployed_at(c), c.name))
    return by_date if order is SortOrder.BY_DATE else by_date[::-1]
