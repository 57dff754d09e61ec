"""Release records for listings: which records exist (from a metadata-only list) and the
listing view of the few whose data a listing shows, decoded once and kept between listings.

A record's data never changes while its resourceVersion stays the same, so a view kept under
(namespace, Secret name, resourceVersion) is never stale. Every listing still makes its own
list call with the caller's identity: a kept view is only handed out for a record that call
returned, so what a caller sees is bounded by what it may list.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from otterhelm.kube import SECRETS, KubeClient
from otterhelm.kube.errors import KubeNotFound
from otterhelm.release.model import Info, Release, Status, StoredChart
from otterhelm.release.record_metadata import (
    RELEASE_TYPE_FIELD,
    RecordListing,
    RecordMeta,
    RecordMetadataReader,
    list_record_metadata,
)
from otterhelm.release.storage import OWNER, SECRET_TYPE, ReleaseStorage, release_from_secret
from otterhelm.release.wire import PROTOBUF

RecordKey = tuple[str, str, str]

# Up to this many releases' records are fetched by name in one list; beyond it a list by
# status (the latest record of a release is rarely superseded) or of everything is cheaper.
NAMED_FETCH_LIMIT = 32


def listing_view(release: Release) -> Release:
    """What a listing keeps of a release: everything but the chart's templates, files and
    values, the user's values, the manifest, hooks and the deployed-resources list."""
    chart = release.chart
    return _view(
        release,
        None if release.info is None else _info_copy(release.info, resources=None),
        None if chart is None else StoredChart(metadata=chart.metadata, lock=chart.lock),
    )


def _handed_out(view: Release) -> Release:
    """A copy a caller may change without touching the kept view (chart metadata is shared:
    read it only). Built field by field: dataclasses.replace costs several times more, and a
    listing hands out a thousand of these."""
    chart = view.chart
    return _view(
        view,
        None if view.info is None else _info_copy(view.info, resources=view.info.resources),
        None if chart is None else StoredChart(metadata=chart.metadata, lock=chart.lock),
    )


def _view(release: Release, info: Info | None, chart: StoredChart | None) -> Release:
    return Release(
        name=release.name,
        namespace=release.namespace,
        version=release.version,
        info=info,
        chart=chart,
        apply_method=release.apply_method,
        labels=dict(release.labels),
        chart_reference=release.chart_reference,
        lock_holder=release.lock_holder,
        resource_version=release.resource_version,
    )


def _info_copy(info: Info, *, resources: dict[str, Any] | None) -> Info:
    return Info(
        first_deployed=info.first_deployed,
        last_deployed=info.last_deployed,
        deleted=info.deleted,
        description=info.description,
        status=info.status,
        rollback_revision=info.rollback_revision,
        notes=info.notes,
        resources=resources,
    )


def _key(secret: Mapping[str, Any]) -> RecordKey:
    metadata = secret.get("metadata") or {}
    return (
        str(metadata.get("namespace", "")),
        str(metadata.get("name", "")),
        str(metadata.get("resourceVersion", "")),
    )


def fetch_selectors(missing: Collection[RecordMeta]) -> list[str]:
    """Label selectors whose lists together hold every missing record, chosen to fetch few
    records beyond them."""
    names = sorted({r.release_name for r in missing})
    if len(names) <= NAMED_FETCH_LIMIT:
        return [_named(names)]
    superseded = sorted({r.release_name for r in missing if r.status == Status.SUPERSEDED})
    if len(superseded) > NAMED_FETCH_LIMIT:
        return [f"owner={OWNER}"]
    selectors = [f"owner={OWNER},status!={Status.SUPERSEDED}"]
    if superseded:
        selectors.append(_named(superseded))
    return selectors


def _named(names: Iterable[str]) -> str:
    return f"owner={OWNER},name in ({','.join(names)})"


@dataclass(frozen=True)
class IndexedListing:
    """A metadata listing, with the data of some of its records when it was read alongside
    (by record key: a record that changed between the two lists is fetched again)."""

    metadata: RecordListing
    prefetched: Mapping[RecordKey, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def records(self) -> list[RecordMeta]:
        return self.metadata.records


@dataclass
class ReleaseIndex:
    """Create one per process and use it for every listing, of any cluster. `max_views`
    bounds how many decoded views are kept per cluster; the least recently used go first. Views of records since changed
    or deleted are never handed out again (their key is gone) and age out the same way."""

    max_views: int = 20_000
    page_size: int = 10_000
    reader: RecordMetadataReader = field(default_factory=RecordMetadataReader.build)
    # Views per cluster client: record keys are only unique within one cluster.
    clusters: weakref.WeakKeyDictionary[KubeClient, dict[RecordKey, Release]] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    def kept(self, storage: ReleaseStorage) -> dict[RecordKey, Release]:
        """The views kept for the storage's cluster, least recently used first."""
        return self.clusters.setdefault(storage.client, {})

    async def records(self, storage: ReleaseStorage, namespace: str) -> IndexedListing:
        """Every release record in `namespace` ("" for all) as the storage's identity may
        list them, metadata only. While the index holds nothing yet (a first listing, or a
        one-shot command) the data of the records that are usually shown, those not
        superseded, is listed alongside instead of after."""
        metadata = list_record_metadata(
            storage.client,
            storage.identity,
            self.reader,
            namespace=namespace,
            selector=f"owner={OWNER}",
            page_size=self.page_size,
        )
        if self.kept(storage):
            return IndexedListing(await metadata)
        # gather, not a TaskGroup: a refused list must surface as itself (permission
        # denied), not wrapped in an exception group, to every caller.
        listed = asyncio.ensure_future(metadata)
        data = asyncio.ensure_future(
            self._list_data(storage, namespace, f"owner={OWNER},status!={Status.SUPERSEDED}")
        )
        try:
            await asyncio.gather(listed, data)
        except BaseException:
            for task in (listed, data):
                task.cancel()
            await asyncio.gather(listed, data, return_exceptions=True)
            raise
        prefetched = {_key(secret): secret for secret in data.result()}
        return IndexedListing(listed.result(), prefetched)

    async def views_of(
        self, storage: ReleaseStorage, listing: IndexedListing, wanted: Collection[RecordMeta]
    ) -> dict[RecordKey, Release]:
        """The listing views of `wanted` (records of `listing`), fetching the data of those
        not kept yet. A record deleted since the listing is left out."""
        kept = self.kept(storage)
        # Taken now: other listings may evict views while this one waits for its fetch.
        found = {r.key: kept[r.key] for r in wanted if r.key in kept}
        missing = {r.key: r for r in wanted if r.key not in found}
        fetched: dict[RecordKey, Release] = {}
        for key in missing:
            secret = listing.prefetched.get(key)
            if secret is not None:
                fetched[key] = self._keep(kept, key, secret)
        unfetched = {key: r for key, r in missing.items() if key not in fetched}
        if unfetched:
            fetched.update(await self._fetch(storage, unfetched))
        for key in found:
            if key in kept:
                kept[key] = kept.pop(key)  # most recently used last: the oldest go first
        views: dict[RecordKey, Release] = {}
        for record in wanted:
            view = found.get(record.key) or fetched.get(record.key)
            if view is not None:
                views[record.key] = _handed_out(view)
        return views

    async def _fetch(
        self, storage: ReleaseStorage, missing: Mapping[RecordKey, RecordMeta]
    ) -> dict[RecordKey, Release]:
        """Views of the missing records, kept for later listings too. The data is read as it
        is now (a list at the metadata list's exact resourceVersion would be served from etcd
        rather than the API server's cache, several times slower): a record that changed in
        between answers for this listing as it is now, and is kept under the key it has now."""
        by_secret = {(r.namespace, r.secret_name): r for r in missing.values()}
        namespaces = {namespace for namespace, _ in by_secret}
        namespace = next(iter(namespaces)) if len(namespaces) == 1 else ""
        selectors = fetch_selectors(list(missing.values()))
        pages = await asyncio.gather(*(self._list_data(storage, namespace, s) for s in selectors))
        kept = self.kept(storage)
        fetched: dict[RecordKey, Release] = {}
        for secrets in pages:
            for secret in secrets:
                key = _key(secret)
                record = by_secret.get(key[:2])
                if record is not None and record.key not in fetched:
                    fetched[record.key] = self._keep(kept, key, secret)
        # Deleted since the metadata list, or relabelled out of the lists' selectors.
        stragglers = [r for key, r in missing.items() if key not in fetched]
        now = await asyncio.gather(*(self._get_now(storage, r) for r in stragglers))
        for record, current in zip(stragglers, now, strict=True):
            if current is not None:
                fetched[record.key] = self._keep(kept, _key(current), current)
        return fetched

    def _keep(self, kept: dict[RecordKey, Release], key: RecordKey, secret: Mapping[str, Any]) -> Release:
        view = listing_view(release_from_secret(secret, all_labels=True))
        if key not in kept and len(kept) >= self.max_views:
            # Oldest first: dicts keep insertion order.
            del kept[next(iter(kept))]
        kept[key] = view
        return view

    async def _get_now(self, storage: ReleaseStorage, record: RecordMeta) -> dict[str, Any] | None:
        path = SECRETS.object_path(record.secret_name, record.namespace)
        try:
            secret: dict[str, Any] = await storage.client.request("GET", path, identity=storage.identity)
        except KubeNotFound:
            return None
        return secret

    async def _list_data(
        self, storage: ReleaseStorage, namespace: str, selector: str
    ) -> list[dict[str, Any]]:
        """Release Secrets with their data."""
        params = {
            "labelSelector": selector,
            "fieldSelector": RELEASE_TYPE_FIELD,
            "limit": str(self.page_size),
        }
        return await self._list_pages(storage, namespace, params)

    async def _list_pages(
        self, storage: ReleaseStorage, namespace: str, params: dict[str, str]
    ) -> list[dict[str, Any]]:
        path = SECRETS.collection_path(namespace)
        items: list[dict[str, Any]] = []
        while True:
            response = await storage.client.send(
                "GET", path, identity=storage.identity, params=params, accept=f"{PROTOBUF}, application/json"
            )
            if response.headers.get("content-type", "").startswith(PROTOBUF):
                page, token = storage.wire.read(response.content)
            else:
                body = response.json()
                page = list(body.get("items") or [])
                token = str((body.get("metadata") or {}).get("continue") or "")
            items.extend(s for s in page if s.get("type") == SECRET_TYPE)
            if not token:
                return items
            params = {**params, "continue": token}
