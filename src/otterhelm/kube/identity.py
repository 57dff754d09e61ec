"""Who a call to Kubernetes acts as."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    """A caller that Kubernetes calls impersonate, so the cluster's RBAC decides for it."""

    user: str
    groups: tuple[str, ...] = ()

    def impersonation_headers(self) -> list[tuple[str, str]]:
        # Impersonate-Group may repeat, one group per header.
        headers = [("Impersonate-User", self.user)]
        headers.extend(("Impersonate-Group", group) for group in self.groups)
        return headers
