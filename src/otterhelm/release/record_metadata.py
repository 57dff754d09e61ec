"""The metadata of release Secrets without their data: the API server's metadata-only list
(`as=PartialObjectMetadataList`), read as protobuf.

Labels carry everything `helm list` decides on (name, version, status and the user's labels),
so one such list tells which records a listing needs; their data is fetched afterwards, for
those records only. Field numbers are those of k8s.io/apimachinery/pkg/apis/meta/v1/
generated.proto (PartialObjectMetadataList, PartialObjectMetadata, ObjectMeta, ListMeta),
inside the runtime.Unknown envelope after the `k8s\\0` magic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError, Message

from otterhelm.kube import SECRETS, Identity, KubeClient
from otterhelm.release.wire import PROTOBUF, WireError
from otterhelm.template.gcpause import collector_paused

_MAGIC = b"k8s\x00"
_PACKAGE = "otterhelm.release.record_metadata"
_AS_METADATA = "as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
ACCEPT_METADATA = f"{PROTOBUF};{_AS_METADATA}, application/json;{_AS_METADATA}, application/json"
# Release Secrets only: helm's label alone could also match Secrets of other types.
RELEASE_TYPE_FIELD = "type=helm.sh/release.v1"

_T = descriptor_pb2.FieldDescriptorProto
# message -> (field, number, type, repeated, message type); map entries are declared below.
_SCHEMA: dict[str, list[tuple[str, int, Any, bool, str]]] = {
    "Unknown": [("raw", 2, _T.TYPE_BYTES, False, "")],
    "ListMeta": [
        ("resource_version", 2, _T.TYPE_STRING, False, ""),
        ("continue_token", 3, _T.TYPE_STRING, False, ""),
    ],
    "ObjectMeta": [
        ("name", 1, _T.TYPE_STRING, False, ""),
        ("namespace", 3, _T.TYPE_STRING, False, ""),
        ("resource_version", 6, _T.TYPE_STRING, False, ""),
        ("labels", 11, _T.TYPE_MESSAGE, True, "ObjectMeta.LabelsEntry"),
        ("annotations", 12, _T.TYPE_MESSAGE, True, "ObjectMeta.AnnotationsEntry"),
    ],
    "PartialObjectMetadata": [("metadata", 1, _T.TYPE_MESSAGE, False, "ObjectMeta")],
    "PartialObjectMetadataList": [
        ("metadata", 1, _T.TYPE_MESSAGE, False, "ListMeta"),
        ("items", 2, _T.TYPE_MESSAGE, True, "PartialObjectMetadata"),
    ],
}
_STRING_MAPS = {"ObjectMeta": ("LabelsEntry", "AnnotationsEntry")}


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


def _schema_file() -> descriptor_pb2.FileDescriptorProto:
    proto = descriptor_pb2.FileDescriptorProto(
        name="otterhelm/release/record_metadata.proto", package=_PACKAGE, syntax="proto2"
    )
    for message_name, fields in _SCHEMA.items():
        message = proto.message_type.add(name=message_name)
        for name, number, kind, repeated, type_name in fields:
            added = message.field.add(name=name, number=number, type=kind)
            added.label = _T.LABEL_REPEATED if repeated else _T.LABEL_OPTIONAL
            if type_name:
                added.type_name = f".{_PACKAGE}.{type_name}"
        for entry_name in _STRING_MAPS.get(message_name, ()):
            entry = message.nested_type.add(name=entry_name)
            entry.options.map_entry = True
            for name, number in (("key", 1), ("value", 2)):
                entry.field.add(name=name, number=number, type=_T.TYPE_STRING, label=_T.LABEL_OPTIONAL)
    return proto


@dataclass(frozen=True)
class RecordMetadataReader:
    """Reads metadata-only list answers; build one and reuse it (building the types is the
    expensive part)."""

    unknown: type[Message]
    metadata_list: type[Message]

    @classmethod
    def build(cls) -> RecordMetadataReader:
        pool = descriptor_pool.DescriptorPool()
        pool.Add(_schema_file())

        def message(name: str) -> type[Message]:
            return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.{name}"))

        return cls(message("Unknown"), message("PartialObjectMetadataList"))

    def read_protobuf(self, body: bytes) -> tuple[list[RecordMeta], str, str]:
        """The records, the list's resourceVersion and its `continue` token."""
        if not body.startswith(_MAGIC):
            raise WireError("answer is not a Kubernetes protobuf message")
        try:
            envelope: Any = self.unknown.FromString(body[len(_MAGIC) :])
            listing: Any = self.metadata_list.FromString(envelope.raw)
        except DecodeError as error:
            raise WireError(f"cannot read the API server's protobuf answer: {error}") from error
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
