"""A separate process taking a release's lock, for the lock tests (run as a script).

usage: lock_worker.py KUBECONFIG NAMESPACE RELEASE MODE HOLD_SECONDS LEASE_SECONDS START_AT
MODE `upgrade`: take the lock, write the next revision, hold, finish; prints one JSON line.
MODE `crash`: take the lock, write a pending-install record, print `ready`, then hang
(the test kills it)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from otterhelm.errors import OtterhelmError
from otterhelm.kube import KubeClient, load_kubeconfig
from otterhelm.release import Info, Release, ReleaseNotFound, ReleaseStorage, Status, hold_release


async def main(argv: list[str]) -> dict[str, object]:
    kubeconfig, namespace, name, mode, hold, lease_seconds, start_at = argv
    client = KubeClient(load_kubeconfig(Path(kubeconfig)))
    storage = ReleaseStorage(client, namespace)
    await asyncio.sleep(max(0.0, float(start_at) - time.time()))
    try:
        async with hold_release(storage, name, duration_seconds=int(lease_seconds)) as lease:
            try:
                version = (await storage.last(name)).version + 1
            except ReleaseNotFound:
                version = 1
            status = Status.PENDING_INSTALL if mode == "crash" else Status.DEPLOYED
            record = Release(
                name=name,
                namespace=namespace,
                version=version,
                info=Info(status=status, description=f"written by {lease.holder}"),
                lock_holder=lease.holder,
            )
            await storage.create(record)
            if mode == "crash":
                print("ready", flush=True)
                await asyncio.sleep(3600)
            await asyncio.sleep(float(hold))
            lease.check()
            return {"outcome": "ok", "version": version, "holder": lease.holder}
    except OtterhelmError as error:
        return {"outcome": type(error).__name__, "message": str(error)}
    finally:
        await client.aclose()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1:]))), flush=True)
