"""The address policy: refused address classes, and real connections refused after DNS and
after redirects."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm.errors import PermissionDenied
from otterhelm.sources import AddressPolicy, ChartSources, SourcesConfig
from otterhelm.sources.policy import refusal_reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.10.10", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("93.184.216.34", None),
        ("10.1.2.3", None),
        ("2001:4860::8888", None),
    ],
)
def test_default_policy(address: str, reason: str | None) -> None:
    assert refusal_reason(ipaddress.ip_address(address), AddressPolicy()) == reason


def test_private_refused_by_config_and_explicit_allowance_wins() -> None:
    strict = AddressPolicy(allow_private=False)
    assert refusal_reason(ipaddress.ip_address("10.1.2.3"), strict) == "a private address"
    assert refusal_reason(ipaddress.ip_address("192.168.1.1"), strict) == "a private address"
    assert refusal_reason(ipaddress.ip_address("fd12::1"), strict) == "a private address"
    assert refusal_reason(ipaddress.ip_address("100.64.0.1"), strict) == "a non-public address"
    assert refusal_reason(ipaddress.ip_address("100.64.0.1"), AddressPolicy()) is None
    assert refusal_reason(ipaddress.ip_address("93.184.216.34"), strict) is None
    allowed = AddressPolicy.allowing("127.0.0.0/8", "169.254.169.254/32", allow_private=False)
    assert refusal_reason(ipaddress.ip_address("127.0.0.1"), allowed) is None
    assert refusal_reason(ipaddress.ip_address("169.254.169.254"), allowed) is None


def resolve(config: SourcesConfig, ref: str) -> Any:
    async def go() -> Any:
        async with ChartSources(config) as sources:
            return await sources.resolve(ref)

    return asyncio.run(go())


def test_loopback_refused_by_default(
    http_server: Callable[..., Any], make_chart: Callable[..., bytes]
) -> None:
    server = http_server()
    (server.root / "x-1.0.0.tgz").write_bytes(make_chart("x", "1.0.0"))
    for url in (f"{server.url}/x-1.0.0.tgz", f"http://localhost:{server.port}/x-1.0.0.tgz"):
        with pytest.raises(PermissionDenied, match="loopback"):
            resolve(SourcesConfig(), url)
    assert server.requests == []


def test_metadata_address_refused_without_connecting() -> None:
    with pytest.raises(PermissionDenied, match="cloud metadata"):
        resolve(SourcesConfig(), "http://169.254.169.254/latest/chart-1.0.0.tgz")
    with pytest.raises(PermissionDenied, match="cloud metadata"):
        resolve(SourcesConfig(), "oci://169.254.169.254/charts/x:1.0.0")


def test_redirect_to_a_refused_address_is_refused(
    http_server: Callable[..., Any],
    make_chart: Callable[..., bytes],
    loopback_config: Callable[..., SourcesConfig],
) -> None:
    # Only 127.0.0.1 is allowed; the redirect leads to 127.0.0.2 (also loopback, refused).
    target = http_server(host="127.0.0.2")
    (target.root / "x-1.0.0.tgz").write_bytes(make_chart("x", "1.0.0"))
    front = http_server(redirects={"/x-1.0.0.tgz": f"{target.url}/x-1.0.0.tgz"})
    with pytest.raises(PermissionDenied, match=r"127\.0\.0\.2"):
        resolve(loopback_config(), f"{front.url}/x-1.0.0.tgz")
    assert target.requests == []
    # Allowed when the configuration allows the target too.
    both = loopback_config(policy=AddressPolicy.allowing("127.0.0.1/32", "127.0.0.2/32"))
    assert resolve(both, f"{front.url}/x-1.0.0.tgz").chart.metadata.name == "x"


def test_tmp_path_is_not_allowed_without_roots(tmp_path: Path, make_chart: Callable[..., bytes]) -> None:
    (tmp_path / "x.tgz").write_bytes(make_chart("x", "1.0.0"))
    with pytest.raises(PermissionDenied):
        resolve(SourcesConfig(), str(tmp_path / "x.tgz"))
