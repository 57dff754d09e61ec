"""`helm list` semantics (pkg/action/list.go) over release Secrets.

The records' labels alone decide the latest revision per namespace/name, the status mask and
the selector; only the records that survive (and, for date sorting, the candidates) are
decoded, through a ReleaseIndex that keeps them for the next listing.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from otterhelm.errors import InvalidArgument
from otterhelm.funcs.regex import GoRegexp, RegexCompileError
from otterhelm.release.index import RecordKey, ReleaseIndex
from otterhelm.release.model import Release, Status, unix_seconds
from otterhelm.release.record_metadata import RecordMeta
from otterhelm.release.storage import ReleaseStorage
from otterhelm.template.gcpause import collector_paused

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


def _compile_filter(pattern: str) -> GoRegexp | None:
    """The name filter with Go's RE2 semantics and error text."""
    if not pattern:
        return None
    try:
        return GoRegexp(pattern)
    except RegexCompileError as error:
        raise InvalidArgument(str(error), field="filter") from error


async def list_releases(
    storage: ReleaseStorage, options: ListOptions, index: ReleaseIndex | None = None
) -> list[Release]:
    """The releases `helm list` shows for these options (listing views: see
    index.listing_view). Which records qualify is decided from one metadata-only list; only
    the shown records (and, for date sorting, the candidates) are fetched and decoded, and
    `index` keeps what it decoded for the next call (a fresh index when None)."""
    index = ReleaseIndex() if index is None else index
    name_filter = _compile_filter(options.filter)
    requirements = parse_selector(options.selector)
    listing = await index.records(storage, "" if options.all_namespaces else storage.namespace)
    total = len(listing.records)
    with collector_paused():  # thousands of small objects, none in a cycle
        candidates = _selected(listing.records, options, name_filter, requirements)
    if options.sort in (SortOrder.BY_DATE, SortOrder.BY_DATE_DESC):
        views = await index.views_of(storage, listing, candidates)
        candidates = _by_date([c for c in candidates if c.key in views], views)
    if options.sort in (SortOrder.BY_NAME_DESC, SortOrder.BY_DATE_DESC):
        candidates.reverse()
    if options.offset >= len(candidates):
        return []
    limit = options.limit if 0 < options.limit < total else total
    page = candidates[options.offset : options.offset + limit]
    shown = await index.views_of(storage, listing, page)
    return [shown[c.key] for c in page if c.key in shown]


def _selected(
    records: list[RecordMeta],
    options: ListOptions,
    name_filter: GoRegexp | None,
    requirements: tuple[Requirement, ...],
) -> list[RecordMeta]:
    """list.go's choice from the records' labels, by name: the name filter, the latest
    revision of each release (unless only superseded ones are asked for), the state mask and
    the label selector."""
    candidates = records
    if name_filter is not None:
        candidates = [c for c in candidates if name_filter.matches(c.release_name)]
    mask = options.states or LIST_ALL
    if mask != ListStates.SUPERSEDED:
        latest: dict[tuple[str, str], tuple[int, RecordMeta]] = {}
        for c in candidates:
            release = (c.namespace, c.release_name)
            known = latest.get(release)
            version = c.version
            if known is None or version >= known[0]:
                latest[release] = (version, c)
        candidates = [c for _, c in latest.values()]
    shown_states = {status for status, state in _STATE_BY_STATUS.items() if mask & state}
    unknown_shown = bool(mask & ListStates.UNKNOWN)
    candidates = [
        c
        for c in candidates
        if (c.status in shown_states or (unknown_shown and c.status not in _STATE_BY_STATUS))
        and all(r.matches(c.labels) for r in requirements)
    ]
    return sorted(candidates, key=lambda c: c.release_name)


def _by_date(candidates: list[RecordMeta], views: Mapping[RecordKey, Release]) -> list[RecordMeta]:
    """Oldest deployment first, ties by name (list.go calls this order ByDateDesc)."""

    def deployed_at(c: RecordMeta) -> tuple[int, str]:
        info = views[c.key].info
        return unix_seconds(info.last_deployed if info is not None else ""), c.release_name

    return sorted(candidates, key=deployed_at)
