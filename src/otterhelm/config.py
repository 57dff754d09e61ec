"""otterhelm's configuration file (YAML).

listen: 127.0.0.1:8080           # host:port, [v6]:port
default_scope: dev               # the scope an empty `scope` means
scopes:                          # scope name -> cluster
  dev:
    kubeconfig: dev.kubeconfig   # relative to this file
    context: admin               # optional; the kubeconfig's current-context otherwise
  here:
    in_cluster: true             # the pod's service account
tokens:                          # bearer token -> the Kubernetes identity calls impersonate
  - token: s3cret
    user: alice
    groups: [developers]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from otterhelm.errors import InvalidArgument
from otterhelm.kube.identity import Identity
from otterhelm.sources import SourcesConfig, parse_sources_config

DEFAULT_LISTEN = "127.0.0.1:8080"


class ConfigError(InvalidArgument):
    """The configuration file is wrong."""


@dataclass(frozen=True)
class ScopeConfig:
    name: str
    kubeconfig: Path | None = None
    context: str | None = None
    in_cluster: bool = False


@dataclass(frozen=True)
class ServiceConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    scopes: dict[str, ScopeConfig] = field(default_factory=dict)
    default_scope: str = ""
    tokens: dict[str, Identity] = field(default_factory=dict)
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    # Set only by `--insecure-no-auth`, never by the file: every caller is let in and
    # Kubernetes is called with the service's own credentials.
    insecure_no_auth: bool = False


def parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"listen address {value!r} is not host:port", field="listen")
    return host.removeprefix("[").removesuffix("]"), int(port)


def load_config(path: Path) -> ServiceConfig:
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"cannot read configuration {path}: {error}") from error
    if not isinstance(document, dict):
        raise ConfigError(f"configuration {path} is not a mapping")
    return parse_config(document, base=path.parent)


def parse_config(document: dict[str, Any], *, base: Path) -> ServiceConfig:
    unknown = set(document) - {"listen", "default_scope", "scopes", "tokens", "sources"}
    if unknown:
        raise ConfigError(f"unknown configuration keys: {', '.join(sorted(unknown))}")
    host, port = parse_listen(str(document.get("listen", DEFAULT_LISTEN)))
    scopes = _parse_scopes(document.get("scopes") or {}, base)
    default_scope = str(document.get("default_scope") or "")
    if not default_scope and len(scopes) == 1:
        default_scope = next(iter(scopes))
    if default_scope and default_scope not in scopes:
        raise ConfigError(f"default_scope {default_scope!r} is not a configured scope", field="default_scope")
    return ServiceConfig(
        host=host,
        port=port,
        scopes=scopes,
        default_scope=default_scope,
        tokens=_parse_tokens(document.get("tokens") or []),
        sources=parse_sources_config(document.get("sources"), base=base),
    )


def _parse_scopes(raw: Any, base: Path) -> dict[str, ScopeConfig]:
    if not isinstance(raw, dict):
        raise ConfigError("scopes must map scope names to clusters", field="scopes")
    scopes: dict[str, ScopeConfig] = {}
    for name, entry in raw.items():
        where = f"scopes.{name}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a mapping", field=where)
        in_cluster = bool(entry.get("in_cluster", False))
        kubeconfig = entry.get("kubeconfig")
        if in_cluster == bool(kubeconfig):
            raise ConfigError(f"{where} needs exactly one of kubeconfig or in_cluster", field=where)
        path = None
        if kubeconfig:
            path = Path(str(kubeconfig)).expanduser()
            path = path if path.is_absolute() else base / path
        context = entry.get("context")
        scopes[str(name)] = ScopeConfig(
            name=str(name),
            kubeconfig=path,
            context=str(context) if context else None,
            in_cluster=in_cluster,
        )
    return scopes


def _parse_tokens(raw: Any) -> dict[str, Identity]:
    if not isinstance(raw, list):
        raise ConfigError("tokens must be a list of {token, user, groups}", field="tokens")
    tokens: dict[str, Identity] = {}
    for index, entry in enumerate(raw):
        where = f"tokens[{index}]"
        if not isinstance(entry, dict) or not entry.get("token") or not entry.get("user"):
            raise ConfigError(f"{where} needs a token and a user", field=where)
        groups = entry.get("groups") or []
        if not isinstance(groups, list):
            raise ConfigError(f"{where}.groups must be a list", field=f"{where}.groups")
        token = str(entry["token"])
        if token in tokens:
            raise ConfigError(f"{where} repeats a token", field=where)
        tokens[token] = Identity(user=str(entry["user"]), groups=tuple(str(g) for g in groups))
    return tokens
