"""Chart sources: resolving `chart_ref` (OCI registries, HTTP chart repositories, archive
URLs, allowed local paths) to a verified chart archive, under an address policy and limits."""

from __future__ import annotations

from .cache import ArchiveCache, DigestMismatch
from .catalog import Catalog, CatalogChart, ChartDocuments
from .config import (
    AddressPolicy,
    ChartRepository,
    Credentials,
    Limits,
    Registry,
    SourcesConfig,
    TLSOptions,
)
from .reference import ChartRef, LocalRef, OciRef, RepoRef, UrlRef, parse_chart_ref
from .resolver import ChartSources, ResolvedChart, resolve
from .settings import parse_sources_config

__all__ = [
    "AddressPolicy",
    "ArchiveCache",
    "Catalog",
    "CatalogChart",
    "ChartDocuments",
    "ChartRef",
    "ChartRepository",
    "ChartSources",
    "Credentials",
    "DigestMismatch",
    "Limits",
    "LocalRef",
    "OciRef",
    "Registry",
    "RepoRef",
    "ResolvedChart",
    "SourcesConfig",
    "TLSOptions",
    "UrlRef",
    "parse_chart_ref",
    "parse_sources_config",
    "resolve",
]
