"""Kubernetes objects (decoded JSON) to the contract's messages."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from otterscale.application.v1 import application_pb2 as pb


def namespace_message(obj: Mapping[str, Any]) -> pb.Namespace:
    meta = _metadata(obj)
    message = pb.Namespace(name=meta.get("name", ""), labels=_strings(meta.get("labels")))
    _set_timestamp(message.created_at, meta.get("creationTimestamp"))
    return message


def storage_class_message(obj: Mapping[str, Any]) -> pb.StorageClass:
    meta = _metadata(obj)
    message = pb.StorageClass(
        name=meta.get("name", ""),
        provisioner=str(obj.get("provisioner", "")),
        # The API server defaults both on create; older objects may still lack them.
        reclaim_policy=str(obj.get("reclaimPolicy") or "Delete"),
        volume_binding_mode=str(obj.get("volumeBindingMode") or "Immediate"),
        parameters=_strings(obj.get("parameters")),
    )
    _set_timestamp(message.created_at, meta.get("creationTimestamp"))
    return message


def config_map_message(obj: Mapping[str, Any]) -> pb.ConfigMap:
    meta = _metadata(obj)
    message = pb.ConfigMap(
        name=meta.get("name", ""),
        namespace=meta.get("namespace", ""),
        labels=_strings(meta.get("labels")),
        data=_strings(obj.get("data")),
        binary_data=_base64_values(obj.get("binaryData")),
        immutable=bool(obj.get("immutable", False)),
    )
    _set_timestamp(message.created_at, meta.get("creationTimestamp"))
    return message


def secret_message(obj: Mapping[str, Any]) -> pb.Secret:
    meta = _metadata(obj)
    message = pb.Secret(
        name=meta.get("name", ""),
        namespace=meta.get("namespace", ""),
        labels=_strings(meta.get("labels")),
        data=_base64_values(obj.get("data")),
        type=str(obj.get("type") or "Opaque"),
        # stringData is write-only in Kubernetes: the API server folds it into data, so a
        # read never has it; it is copied in case a future source does.
        string_data=_strings(obj.get("stringData")),
        immutable=bool(obj.get("immutable", False)),
    )
    _set_timestamp(message.created_at, meta.get("creationTimestamp"))
    return message


def _metadata(obj: Mapping[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(key): str(item) for key, item in value.items()}


def _base64_values(value: Any) -> dict[str, bytes]:
    if not isinstance(value, dict):
        return {}
    return {str(key): base64.b64decode(str(item)) for key, item in value.items()}


def _set_timestamp(target: Timestamp, rfc3339: Any) -> None:
    if not isinstance(rfc3339, str) or not rfc3339:
        return
    # Kubernetes writes RFC 3339 in UTC with a trailing Z and whole seconds.
    target.FromDatetime(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")))
