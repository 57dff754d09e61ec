"""Scopes: the configured clusters a request can name."""

from __future__ import annotations

from collections.abc import Mapping

from otterhelm.config import ScopeConfig
from otterhelm.errors import NotFound
from otterhelm.kube.client import KubeClient
from otterhelm.kube.credentials import ClusterCredentials, in_cluster_credentials, load_kubeconfig


class UnknownScope(NotFound):
    """A request named a scope that is not configured."""


class ScopeRegistry:
    """One Kubernetes client per configured scope; the empty scope name is the default."""

    def __init__(self, clients: Mapping[str, KubeClient], default_scope: str) -> None:
        self._clients = dict(clients)
        self.default_scope = default_scope

    def client(self, scope: str) -> KubeClient:
        name = scope or self.default_scope
        client = self._clients.get(name)
        if client is None:
            if not name:
                raise UnknownScope("no scope given and no default scope is configured")
            raise UnknownScope(f"scope {name!r} is not configured")
        return client

    def names(self) -> list[str]:
        return sorted(self._clients)

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()


def scope_credentials(scope: ScopeConfig, environ: Mapping[str, str]) -> ClusterCredentials:
    if scope.in_cluster:
        return in_cluster_credentials(environ)
    assert scope.kubeconfig is not None  # config parsing guarantees one of the two
    return load_kubeconfig(scope.kubeconfig, scope.context)


def build_scopes(
    scopes: Mapping[str, ScopeConfig], default_scope: str, environ: Mapping[str, str]
) -> ScopeRegistry:
    clients = {name: KubeClient(scope_credentials(scope, environ)) for name, scope in scopes.items()}
    return ScopeRegistry(clients, default_scope)
