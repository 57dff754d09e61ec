"""Bearer-token authentication: a configured token names the Kubernetes identity to act as."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Protocol

from otterhelm.errors import Unauthenticated
from otterhelm.kube.identity import Identity


class HeaderLookup(Protocol):
    def get(self, key: str, /) -> str | None: ...


class Authenticator:
    """Identifies callers by `Authorization: Bearer <token>`.

    With `enabled=False` (the `--insecure-no-auth` flag) every caller is let in and no
    identity is returned, so Kubernetes is called with the service's own credentials.
    """

    def __init__(self, tokens: Mapping[str, Identity], *, enabled: bool = True) -> None:
        self._tokens = [(token.encode(), identity) for token, identity in tokens.items()]
        self.enabled = enabled

    def identify(self, headers: HeaderLookup) -> Identity | None:
        if not self.enabled:
            return None
        authorization = headers.get("authorization") or ""
        scheme, _, presented = authorization.partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            raise Unauthenticated("missing bearer token: send `Authorization: Bearer <token>`")
        candidate = presented.strip().encode()
        found: Identity | None = None
        # Compare against every token in constant time so timing reveals nothing.
        for token, identity in self._tokens:
            if hmac.compare_digest(token, candidate):
                found = identity
        if found is None:
            raise Unauthenticated("invalid bearer token")
        return found
