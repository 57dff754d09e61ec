"""Wire codecs: protobuf binary, and JSON without connectrpc's default pretty-printing (a
list of secrets indented for humans is a third larger on the wire)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from connectrpc.codec import Codec
from connectrpc.compat import google_protobuf_binary_codec
from google.protobuf import json_format
from google.protobuf.message import Message

M = TypeVar("M", bound=Message)


class CompactJSONCodec:
    """The proto3 JSON mapping, compact. Unknown fields are ignored, as Connect expects."""

    def name(self) -> str:
        return "json"

    def encode(self, message: Message) -> bytes:
        value = json_format.MessageToDict(message)
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()

    def decode(self, data: bytes | bytearray, message_class: type[M]) -> M:
        message = message_class()
        json_format.Parse(bytes(data), message, ignore_unknown_fields=True)
        return message


def wire_codecs() -> list[Codec[Any, Any]]:
    return [google_protobuf_binary_codec(), CompactJSONCodec()]
