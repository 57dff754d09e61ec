"""Running actions against the session's API server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.storage import ReleaseStorage

T = TypeVar("T")


def run_actions(kubeconfig: Path, namespace: str, body: Callable[[ActionContext], Awaitable[T]]) -> T:
    async def run() -> T:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            return await body(ActionContext(ReleaseStorage(client, namespace)))
        finally:
            await client.aclose()

    return asyncio.run(run())
