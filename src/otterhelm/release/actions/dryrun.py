"""A dry-run install into a namespace that does not exist yet.

The real install creates the namespace first. A dry run creates nothing, and the API server
cannot dry-run an object in a namespace that does not exist (it answers NotFound), while
`helm install --dry-run=server --create-namespace` succeeds there: Helm checks objects on its
side only (parsed, kind known to the server, no ownership conflict) and never asks the API
server to validate them.

So such a dry run asks the API server for what it can judge: the Namespace itself (name,
admission, the caller's right to create it) and every object outside that namespace
(cluster-scoped ones, or ones the chart puts in namespaces that exist). The objects inside
it get Helm's checks only and are reported as not validated by the API server. Install
swaps this applier in whenever a dry run would create the namespace (CLI and service alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from otterhelm.kube.apply import Applier, PlacedObject, ReleaseRef
from otterhelm.kube.errors import KubeAlreadyExists
from otterhelm.kube.resources import NAMESPACES
from otterhelm.release.actions.context import ActionContext


def namespace_body(namespace: str) -> dict[str, Any]:
    """The Namespace the install creates (labelled `name`, as Helm's --create-namespace does)."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": namespace, "labels": {"name": namespace}},
    }


async def namespace_would_be_created(ctx: ActionContext) -> bool:
    """Dry-runs the install's namespace creation: True when the namespace does not exist yet
    (and the API server would create it), False when it exists. A refusal (no right to create
    namespaces, an invalid name) raises, as the install itself would."""
    body = namespace_body(ctx.namespace)
    try:
        await ctx.client.create(NAMESPACES, body, identity=ctx.identity, dry_run=True)
    except KubeAlreadyExists:
        return False
    return True


def describe(placed: PlacedObject) -> str:
    """`Kind/namespace/name` (`Kind/name` when cluster-scoped)."""
    return "/".join(part for part in (placed.obj.kind, placed.namespace, placed.name) if part)


@dataclass
class PendingNamespaceApplier(Applier):
    """Dry-run applies everything except the objects in `pending_namespace`, which it
    remembers in `unvalidated` instead. Only for dry runs."""

    pending_namespace: str = ""
    unvalidated: list[PlacedObject] = field(default_factory=list)

    async def apply_all(
        self,
        objects: Sequence[PlacedObject],
        release: ReleaseRef,
        *,
        dry_run: bool = False,
        force_conflicts: bool = False,
    ) -> None:
        if not dry_run:
            raise RuntimeError("PendingNamespaceApplier only dry-runs: the namespace does not exist")
        inside = [p for p in objects if p.namespace == self.pending_namespace]
        outside = [p for p in objects if p.namespace != self.pending_namespace]
        self.unvalidated = inside
        await super().apply_all(outside, release, dry_run=True, force_conflicts=force_conflicts)
