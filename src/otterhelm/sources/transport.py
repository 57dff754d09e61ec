"""HTTP for chart sources: an httpx client whose every connection passes the address policy,
and downloads bounded in size and time."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from dataclasses import dataclass

import httpcore
import httpx

from otterhelm.errors import (
    DeadlineExceeded,
    InvalidArgument,
    OtterhelmError,
    PermissionDenied,
    ResourceExhausted,
    Unavailable,
)

from .config import AddressPolicy, Limits, TLSOptions
from .policy import check_address


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, refuses addresses the policy forbids, and connects to the
    resolved IP (TLS still verifies the original host name)."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend) -> None:
        self._policy = policy
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as err:
            raise Unavailable(f"cannot resolve {host}: {err}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        refusal: PermissionDenied | None = None
        last_error: Exception | None = None
        for address in addresses:
            try:
                check_address(host, address, self._policy)
            except PermissionDenied as err:
                refusal = refusal or err
                continue
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as err:
                last_error = err
        if last_error is None and refusal is not None:
            raise refusal
        raise Unavailable(f"cannot connect to {host}:{port}: {last_error}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise PermissionDenied("unix sockets are not chart sources")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _CoreStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes] | Iterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if isinstance(self._stream, Iterable):
            for chunk in self._stream:
                yield chunk
            return
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


class _GuardedTransport(httpx.AsyncBaseTransport):
    def __init__(self, pool: httpcore.AsyncConnectionPool, limits: Limits) -> None:
        self._pool = pool
        self._timeouts = {
            "connect": limits.timeout_seconds,
            "read": limits.timeout_seconds,
            "write": limits.timeout_seconds,
            "pool": limits.timeout_seconds,
        }

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions={**request.extensions, "timeout": self._timeouts},
        )
        try:
            response = await self._pool.handle_async_request(core_request)
        except (httpcore.TimeoutException, TimeoutError) as err:
            raise DeadlineExceeded(f"{request.method} {request.url}: timed out") from err
        except httpcore.ConnectError as err:
            raise Unavailable(f"{request.method} {request.url}: cannot connect: {err}") from err
        except (httpcore.NetworkError, httpcore.ProtocolError) as err:
            raise Unavailable(f"{request.method} {request.url}: {type(err).__name__}: {err}") from err
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


def ssl_context(tls: TLSOptions) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if tls.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(tls.ca_file))
        except (OSError, ssl.SSLError) as err:
            raise Unavailable(f"cannot load CA file {tls.ca_file}: {err}") from None
    return context


def make_client(policy: AddressPolicy, limits: Limits, tls: TLSOptions) -> httpx.AsyncClient:
    """A client that checks every connection against `policy`; redirects are followed (each
    one opens its connection through the same check) up to `limits.max_redirects`."""
    pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context(tls),
        max_connections=8,
        network_backend=_GuardedBackend(policy, httpcore.AnyIOBackend()),
    )
    return httpx.AsyncClient(
        transport=_GuardedTransport(pool, limits),
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        trust_env=False,
        timeout=limits.timeout_seconds,
    )


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str


async def fetch(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    max_bytes: int,
    timeout_seconds: float,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    what: str = "download",
) -> Fetched:
    """One request whose response body may hold at most `max_bytes` and which must finish
    within `timeout_seconds`; transport failures become otterhelm errors."""
    try:
        async with asyncio.timeout(timeout_seconds):
            request = client.build_request(method, url, headers=headers, content=content)
            response = await client.send(request, stream=True)
            try:
                declared = response.headers.get("content-length")
                if (
                    method != "HEAD"
                    and declared is not None
                    and declared.isdigit()
                    and int(declared) > max_bytes
                ):
                    raise ResourceExhausted(
                        f"{what} {url} is {declared} bytes, more than the limit of {max_bytes}"
                    )
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ResourceExhausted(f"{what} {url} exceeds the limit of {max_bytes} bytes")
                    chunks.append(chunk)
            finally:
                await response.aclose()
    except TimeoutError:
        raise DeadlineExceeded(f"{what} {url} did not finish within {timeout_seconds:g}s") from None
    except OtterhelmError:
        raise
    except httpx.InvalidURL as err:
        raise InvalidArgument(f"{what} {url}: invalid URL: {err}") from None
    except httpx.TooManyRedirects as err:
        raise Unavailable(f"{what} {url}: {err}") from None
    except httpx.HTTPError as err:
        raise Unavailable(f"{what} {url}: {type(err).__name__}: {err}") from None
    return Fetched(response.status_code, response.headers, b"".join(chunks), str(response.url))
