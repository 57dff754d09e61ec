"""The metadata of release Secrets without their data: the API server's metadata-only list
(`as=PartialObjectMetadataList`), read as protobuf.

Labels carry everything `helm list` decides on (name, version, status and the user's labels),
so one such list tells which records a listing needs; their data is fetched afterwards, for
those records only. The protobuf messages are declared in `wire`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from google.protobuf.message import Message

from otterhelm.kube import SECRETS, Identity, KubeClient
from otterhelm.release.wire import PROTOBUF, decode, message_classes
from otterhelm.template.gcpause import collector_paused

_AS_METADATA = "as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
ACCEPT_METADATA = f"{PROTOBUF};{_AS_METADATA}, application/json;{_AS_METADATA}, application/json"
# Release Secrets only: helm's label alone could also match Secrets of other types.
RELEASE_TYPE_FIELD = "type=helm.sh/release.v1"


class RecordMeta(NamedTuple):
    """One release Secret as the metadata list shows it. A tuple, and `labels`/`annotations`
    may be the protobuf message's own maps: building 10,000 of these must stay cheap."""

    namespace: str
    secret_name: str
    resource_version: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]

    @property
    def key(self) -> tuple[str, str, str]:
        """Names this exact state of the record: any change to a Secret bumps its resourceVersion."""
        return (self.namespace, self.secret_name, self.resource_version)

    @property
    def release_name(self) -> str:
        return self.labels.get("name", "")

    @property
    def status(self) -> str:
        return self.labels.get("status", "")

    @property
    def version(self) -> int:
        try:
            return int(self.labels.get("version", "0"))
        except ValueError:
            return 0


@dataclass(frozen=True)
class RecordListing:
    """Every matching record, and the resourceVersion the list was read at."""

    records: list[RecordMeta]
    resource_version: str


@dataclass(frozen=True)
class RecordMetadataReader:
    """Reads metadata-only list answers; build one and reuse it (building the types is the
    expensive part)."""

    unknown: type[Message]
    metadata_list: type[Message]

    @classmethod
    def build(cls) -> RecordMetadataReader:
        return cls(*message_classes("Unknown", "PartialObjectMetadataList"))

    def read_protobuf(self, body: bytes) -> tuple[list[RecordMeta], str, str]:
        """The records, the list's resourceVersion and its `continue` token."""
        listing = decode(body, self.unknown, self.metadata_list)
        records = [
            RecordMeta(m.namespace, m.name, m.resource_version, m.labels, m.annotations)
            for m in (item.metadata for item in listing.items)
        ]
        return records, listing.metadata.resource_version, listing.metadata.continue_token


def read_json(page: Mapping[str, Any]) -> tuple[list[RecordMeta], str, str]:
    """The same from a JSON list (metadata-only or full: only `metadata` is read)."""
    records = []
    for item in page.get("items") or []:
        meta = item.get("metadata") or {}
        records.append(
            RecordMeta(
                namespace=str(meta.get("namespace", "")),
                secret_name=str(meta.get("name", "")),
                resource_version=str(meta.get("resourceVersion", "")),
                labels=dict(meta.get("labels") or {}),
                annotations=dict(meta.get("annotations") or {}),
            )
        )
    list_meta = page.get("metadata") or {}
    return records, str(list_meta.get("resourceVersion", "")), str(list_meta.get("continue") or "")


async def list_record_metadata(
    client: KubeClient,
    identity: Identity | None,
    reader: RecordMetadataReader,
    *,
    namespace: str,
    selector: str,
    page_size: int,
) -> RecordListing:
    """Every release Secret matching `selector` in `namespace` ("" for all), metadata only,
    following `continue` pages (later pages are served at the first page's resourceVersion)."""
    path = SECRETS.collection_path(namespace)
    params = {"labelSelector": selector, "fieldSelector": RELEASE_TYPE_FIELD, "limit": str(page_size)}
    records: list[RecordMeta] = []
    listed_at = ""
    while True:
        response = await client.send("GET", path, identity=identity, params=params, accept=ACCEPT_METADATA)
        if response.headers.get("content-type", "").startswith(PROTOBUF):
            with collector_paused():  # ten thousand small tuples, none in a cycle
                page, version, token = reader.read_protobuf(response.content)
        else:
            page, version, token = read_json(response.json())
        records.extend(page)
        listed_at = listed_at or version
        if not token:
            return RecordListing(records, listed_at)
        params = {**params, "continue": token}
