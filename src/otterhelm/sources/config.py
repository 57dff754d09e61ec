"""What the chart sources need to know: configured repositories and registries, the
directories local charts may come from, the address policy, limits and the cache."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MIB = 1024 * 1024


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


@dataclass(frozen=True)
class TLSOptions:
    """`ca_file` adds trust for a private CA; `plain_http` speaks HTTP without TLS (an OCI
    registry on a trusted network, like `helm --plain-http`)."""

    ca_file: Path | None = None
    plain_http: bool = False


@dataclass(frozen=True)
class ChartRepository:
    """An HTTP chart repository: `name` is what `name/chart` references use."""

    name: str
    url: str
    credentials: Credentials | None = None
    tls: TLSOptions = field(default_factory=TLSOptions)


@dataclass(frozen=True)
class Registry:
    """Settings for one OCI registry host (`host` or `host:port`)."""

    host: str
    credentials: Credentials | None = None
    tls: TLSOptions = field(default_factory=TLSOptions)


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a chart reference may lead to. Loopback, link-local, unspecified,
    multicast and cloud metadata addresses are refused unless a network in `allowed_networks`
    contains them; private (RFC 1918, ULA) addresses are allowed unless `allow_private` is off."""

    allowed_networks: tuple[IPNetwork, ...] = ()
    allow_private: bool = True

    @staticmethod
    def allowing(*cidrs: str, allow_private: bool = True) -> AddressPolicy:
        return AddressPolicy(
            allowed_networks=tuple(ipaddress.ip_network(c, strict=False) for c in cidrs),
            allow_private=allow_private,
        )


@dataclass(frozen=True)
class Limits:
    max_archive_bytes: int = 20 * MIB
    max_index_bytes: int = 64 * MIB
    max_manifest_bytes: int = 4 * MIB
    timeout_seconds: float = 60.0
    max_redirects: int = 5


@dataclass(frozen=True)
class SourcesConfig:
    repositories: tuple[ChartRepository, ...] = ()
    registries: tuple[Registry, ...] = ()
    local_roots: tuple[Path, ...] = ()
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    limits: Limits = field(default_factory=Limits)
    cache_dir: Path | None = None
    cache_max_bytes: int = 512 * MIB
    index_ttl_seconds: float = 300.0
    # Where UploadChart puts charts (oci://host/namespace); the catalog lists it.
    upload_registry: str | None = None
    # More OCI namespaces (oci://host/namespace) whose charts the catalog lists.
    oci_catalogs: tuple[str, ...] = ()

    def repository(self, name: str) -> ChartRepository | None:
        return next((r for r in self.repositories if r.name == name), None)

    def registry(self, host: str) -> Registry:
        found = next((r for r in self.registries if r.host == host), None)
        return found if found is not None else Registry(host=host)
