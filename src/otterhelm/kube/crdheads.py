"""crds/ documents read by their heads only.

Installing crds/ needs of each document only its apiVersion, kind and name (to find its
resource, check whether it exists and wait for it); the body can go to the API server as the
YAML text it is, which the server decodes with sigs.k8s.io/yaml exactly as Helm's client
would before sending JSON. Parsing the bodies ourselves costs most of an install's time for
charts with large crds/ (kube-prometheus-stack's are 4.5 MB). The head is read from the
document's lines, and only from documents in the plain block style CRDs are written in; any
other document is parsed whole, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from otterhelm.kube.manifest import KubeObject, parse_manifest
from otterhelm.render.manifests import split_manifests

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
YAML = "application/yaml"

# `key:` or `key: value` with a plain key, and a plain scalar value (with an optional comment).
_ENTRY = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(?:[ ]+(.*))?\Z")
_PLAIN_SCALAR = re.compile(r"([A-Za-z0-9][A-Za-z0-9._/-]*)(?:[ ]+#.*)?\Z")
# `<plural>.<group>`, which no YAML resolver reads as anything but a string.
_CRD_NAME = re.compile(r"[a-z][a-z0-9-]*(\.[a-z0-9-]+)+\Z")


@dataclass(slots=True)
class CrdDocument:
    """One object of crds/: `text` is the document to send as is, or None when `obj` was
    parsed whole (and is sent as JSON)."""

    obj: KubeObject
    text: str | None


def crd_documents(file_text: str, source: str = "") -> list[CrdDocument]:
    documents: list[CrdDocument] = []
    for document in split_manifests(file_text):
        head = document_head(document)
        if head is not None:
            documents.append(CrdDocument(KubeObject(head, source), document))
        else:
            documents.extend(CrdDocument(obj, None) for obj in parse_manifest(document))
    return documents


def document_head(document: str) -> dict[str, object] | None:
    """apiVersion, kind and metadata.name of a CRD document in plain block style; None for
    anything else (another kind, a namespace given, flow style, anchors, tags, quoting or a
    key given twice), which is then parsed whole."""
    top: dict[str, str | None] = {}
    name: str | None = None
    in_metadata = False
    metadata_indent = 0
    for line in document.splitlines():
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        indent = len(line) - len(content)
        if indent == 0:
            entry = _ENTRY.match(line.rstrip())
            if entry is None or entry.group(1) in top:
                return None
            top[entry.group(1)] = entry.group(2)
            in_metadata = entry.group(1) == "metadata"
            if in_metadata and entry.group(2) is not None:
                return None
            metadata_indent = 0
            continue
        if content.startswith("\t"):
            return None
        if not in_metadata:
            continue
        if metadata_indent == 0:
            metadata_indent = indent
        if indent < metadata_indent:
            return None
        if indent > metadata_indent:
            continue
        entry = _ENTRY.match(content.rstrip())
        if entry is None or entry.group(1) == "namespace":
            return None
        if entry.group(1) == "name":
            if name is not None:
                return None
            name = _plain(entry.group(2))
            if name is None or not _CRD_NAME.match(name):
                return None
    if (
        name is None
        or _plain(top.get("apiVersion")) != CRD_API_VERSION
        or _plain(top.get("kind")) != CRD_KIND
    ):
        return None
    return {"apiVersion": CRD_API_VERSION, "kind": CRD_KIND, "metadata": {"name": name}}


def _plain(value: str | None) -> str | None:
    if value is None:
        return None
    scalar = _PLAIN_SCALAR.match(value.strip())
    return scalar.group(1) if scalar else None
