"""Asynchronous callers of the ApplicationService over each wire protocol the load figure
measures: Connect with JSON bodies, Connect with binary protobuf, and gRPC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import grpc  # type: ignore[import-untyped]
import httpx
from google.protobuf import json_format, message_factory
from google.protobuf.message import Message
from otterscale.application.v1 import application_pb2

SERVICE = application_pb2.DESCRIPTOR.services_by_name["ApplicationService"]
TRANSPORTS = ("connect-json", "connect-binary", "grpc")


class RpcFailed(RuntimeError):
    """A call answered with an error: the benchmark only times successful calls."""


def has_method(name: str) -> bool:
    return name in SERVICE.methods_by_name


def request_message(method: str, fields: dict[str, Any]) -> Message:
    descriptor = SERVICE.methods_by_name[method].input_type
    message: Message = message_factory.GetMessageClass(descriptor)()
    json_format.ParseDict(fields, message)
    return message


def response_class(method: str) -> type[Message]:
    cls: type[Message] = message_factory.GetMessageClass(SERVICE.methods_by_name[method].output_type)
    return cls


class Caller(Protocol):
    async def call(self, method: str, request: Message) -> Message: ...

    async def close(self) -> None: ...


@dataclass
class ConnectCaller:
    """Connect unary calls over HTTP/1.1 keep-alive connections."""

    client: httpx.AsyncClient
    binary: bool

    @classmethod
    def open(cls, base_url: str, token: str, *, binary: bool, connections: int) -> ConnectCaller:
        client = httpx.AsyncClient(
            base_url=base_url,
            headers={"authorization": f"Bearer {token}", "connect-protocol-version": "1"},
            timeout=300,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        )
        return cls(client, binary)

    async def call(self, method: str, request: Message) -> Message:
        path = f"/{SERVICE.full_name}/{method}"
        if self.binary:
            response = await self.client.post(
                path, content=request.SerializeToString(), headers={"content-type": "application/proto"}
            )
        else:
            response = await self.client.post(
                path,
                content=json_format.MessageToJson(request, indent=None).encode(),
                headers={"content-type": "application/json"},
            )
        if response.status_code != 200:
            raise RpcFailed(f"{method}: HTTP {response.status_code}: {response.text[:500]}")
        message = response_class(method)()
        if self.binary:
            message.ParseFromString(response.content)
        else:
            json_format.Parse(response.content, message, ignore_unknown_fields=True)
        return message

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class GrpcCaller:
    """gRPC unary calls multiplexed on one HTTP/2 channel, as a grpc client does by default."""

    channel: grpc.aio.Channel
    token: str

    @classmethod
    def open(cls, host: str, port: int, token: str) -> GrpcCaller:
        return cls(grpc.aio.insecure_channel(f"{host}:{port}"), token)

    async def call(self, method: str, request: Message) -> Message:
        callable_ = self.channel.unary_unary(
            f"/{SERVICE.full_name}/{method}",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class(method).FromString,
        )
        try:
            response: Message = await callable_(
                request, metadata=(("authorization", f"Bearer {self.token}"),), timeout=300
            )
        except grpc.aio.AioRpcError as error:
            raise RpcFailed(f"{method}: {error.code().name}: {error.details()}") from error
        return response

    async def close(self) -> None:
        await self.channel.close()


def open_caller(transport: str, host: str, port: int, token: str, connections: int = 1) -> Caller:
    if transport == "connect-json":
        return ConnectCaller.open(f"http://{host}:{port}", token, binary=False, connections=connections)
    if transport == "connect-binary":
        return ConnectCaller.open(f"http://{host}:{port}", token, binary=True, connections=connections)
    if transport == "grpc":
        return GrpcCaller.open(host, port, token)
    raise ValueError(f"unknown transport {transport!r}")


def call_json(client: httpx.Client, method: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One blocking Connect JSON call on a client whose base URL and token are set."""
    response = client.post(
        f"/{SERVICE.full_name}/{method}",
        json=fields,
        headers={"content-type": "application/json", "connect-protocol-version": "1"},
    )
    if response.status_code != 200:
        raise RpcFailed(f"{method}: HTTP {response.status_code}: {response.text[:1000]}")
    answer: dict[str, Any] = response.json()
    return answer


def json_client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"authorization": f"Bearer {token}"}, timeout=600)
