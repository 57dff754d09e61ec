"""Reading the `sources` section of a configuration document into a SourcesConfig.

```yaml
repositories: [{name, url, username?, password? | passwordFile?, caFile?}]
registries:   [{host, username?, password? | passwordFile?, caFile?, plainHttp?}]
localRoots:   [/srv/charts]
allowNetworks: ["127.0.0.1/32"]   # explicitly allowed, even loopback or metadata
allowPrivate: true
limits: {maxArchiveBytes, maxIndexBytes, maxManifestBytes, timeoutSeconds, maxRedirects}
cacheDir: /var/cache/otterhelm/charts
cacheMaxBytes: 536870912
indexTtlSeconds: 300
uploadRegistry: oci://registry.example/charts
ociCatalogs: [oci://registry.example/more-charts]
```
Relative paths are taken from `base` (the configuration file's directory).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from otterhelm.errors import InvalidArgument

from .config import (
    AddressPolicy,
    ChartRepository,
    Credentials,
    Limits,
    Registry,
    SourcesConfig,
    TLSOptions,
)
from .reference import OciRef, parse_chart_ref


def _fail(path: str, message: str) -> InvalidArgument:
    where = "sources." + path.lstrip(".")
    return InvalidArgument(f"{where}: {message}", field=where)


def _str(doc: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
    value = doc.get(key)
    if value is None:
        if required:
            raise _fail(f"{path}.{key}", "is required")
        return None
    if not isinstance(value, str) or not value:
        raise _fail(f"{path}.{key}", "must be a non-empty string")
    return value


def _path(doc: Mapping[str, Any], key: str, path: str, base: Path) -> Path | None:
    text = _str(doc, key, path)
    return None if text is None else base / text


def _number(doc: Mapping[str, Any], key: str, path: str, default: float) -> float:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _fail(f"{path}.{key}", "must be a positive number")
    return float(value)


def _credentials(doc: Mapping[str, Any], path: str, base: Path) -> Credentials | None:
    username = _str(doc, "username", path)
    password = _str(doc, "password", path)
    password_file = _path(doc, "passwordFile", path, base)
    if password_file is not None:
        if password is not None:
            raise _fail(path, "give password or passwordFile, not both")
        try:
            password = password_file.read_text().strip()
        except OSError as err:
            raise _fail(f"{path}.passwordFile", f"cannot read: {err.strerror}") from None
    if (username is None) != (password is None):
        raise _fail(path, "username and password go together")
    return None if username is None or password is None else Credentials(username, password)


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise _fail(key, "must be a list")
    return value


def _mapping(item: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise _fail(path, "must be a mapping")
    return item


def parse_sources_config(doc: Mapping[str, Any] | None, *, base: Path) -> SourcesConfig:
    doc = doc or {}
    repositories = []
    for i, item in enumerate(_list(doc, "repositories")):
        path = f"repositories[{i}]"
        entry = _mapping(item, path)
        url = _str(entry, "url", path, required=True) or ""
        if not url.startswith(("http://", "https://")):
            raise _fail(f"{path}.url", "must be an http(s) URL")
        repositories.append(
            ChartRepository(
                name=_str(entry, "name", path, required=True) or "",
                url=url,
                credentials=_credentials(entry, path, base),
                tls=TLSOptions(ca_file=_path(entry, "caFile", path, base)),
            )
        )
    if len({r.name for r in repositories}) != len(repositories):
        raise _fail("repositories", "names must be unique")
    registries = []
    for i, item in enumerate(_list(doc, "registries")):
        path = f"registries[{i}]"
        entry = _mapping(item, path)
        registries.append(
            Registry(
                host=(_str(entry, "host", path, required=True) or "").lower(),
                credentials=_credentials(entry, path, base),
                tls=TLSOptions(
                    ca_file=_path(entry, "caFile", path, base), plain_http=entry.get("plainHttp") is True
                ),
            )
        )
    try:
        networks = tuple(ipaddress.ip_network(str(n), strict=False) for n in _list(doc, "allowNetworks"))
    except ValueError as err:
        raise _fail("allowNetworks", str(err)) from None
    limits_doc = _mapping(doc.get("limits") or {}, "limits")
    defaults = Limits()
    limits = Limits(
        max_archive_bytes=int(_number(limits_doc, "maxArchiveBytes", "limits", defaults.max_archive_bytes)),
        max_index_bytes=int(_number(limits_doc, "maxIndexBytes", "limits", defaults.max_index_bytes)),
        max_manifest_bytes=int(
            _number(limits_doc, "maxManifestBytes", "limits", defaults.max_manifest_bytes)
        ),
        timeout_seconds=_number(limits_doc, "timeoutSeconds", "limits", defaults.timeout_seconds),
        max_redirects=int(_number(limits_doc, "maxRedirects", "limits", defaults.max_redirects)),
    )
    upload = _str(doc, "uploadRegistry", "")
    if upload is not None and not isinstance(parse_chart_ref(upload), OciRef):
        raise _fail("uploadRegistry", "must be an oci:// reference")
    catalogs = []
    for i, item in enumerate(_list(doc, "ociCatalogs")):
        if not isinstance(item, str) or not isinstance(parse_chart_ref(item), OciRef):
            raise _fail(f"ociCatalogs[{i}]", "must be an oci:// reference")
        catalogs.append(item)
    fallback = SourcesConfig()
    cache_dir = _path(doc, "cacheDir", "", base)
    return SourcesConfig(
        repositories=tuple(repositories),
        registries=tuple(registries),
        local_roots=tuple(base / str(p) for p in _list(doc, "localRoots")),
        policy=AddressPolicy(
            allowed_networks=networks, allow_private=doc.get("allowPrivate", True) is not False
        ),
        limits=limits,
        cache_dir=cache_dir,
        cache_max_bytes=int(_number(doc, "cacheMaxBytes", "", fallback.cache_max_bytes)),
        index_ttl_seconds=_number(doc, "indexTtlSeconds", "", fallback.index_ttl_seconds),
        upload_registry=upload,
        oci_catalogs=tuple(catalogs),
    )
