"""One operation at a time per release across processes, and recovery after a crash."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from otterhelm.chart.loader import load
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.model import Status
from otterhelm.release.storage import ReleaseNotFound

from .charts import write_demo_chart
from .support import run_actions
from .test_lifecycle import _set_job_condition


def _env(kubeconfig: Path) -> dict[str, str]:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    env.pop("HELM_NAMESPACE", None)
    return env


async def _wait_for_status(ctx: ActionContext, name: str, version: int, status: Status) -> None:
    for _ in range(300):
        try:
            if (await ctx.storage.get(name, version)).status == status:
                return
        except ReleaseNotFound:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"{name} v{version} never became {status}")


def test_second_process_is_refused_while_an_upgrade_runs(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart = str(write_demo_chart(tmp_path))

    async def installed(ctx: ActionContext) -> None:
        await install(ctx, load(chart), {}, InstallOptions(name="demo"))

    run_actions(kubeconfig, namespace, installed)
    command = [
        sys.executable,
        "-m",
        "otterhelm",
        "upgrade",
        "demo",
        chart,
        "-n",
        namespace,
        "--set",
        "hook=pre-upgrade",
    ]
    first = subprocess.Popen(
        command, env=_env(kubeconfig), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:

        async def first_is_in_its_hook(ctx: ActionContext) -> None:
            await _wait_for_status(ctx, "demo", 2, Status.PENDING_UPGRADE)

        run_actions(kubeconfig, namespace, first_is_in_its_hook)
        second = subprocess.run(command, env=_env(kubeconfig), capture_output=True, text=True, timeout=120)
        assert second.returncode == 1
        assert second.stderr == (
            "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress for release demo\n"
        )

        async def finish_hook(ctx: ActionContext) -> list[tuple[int, str]]:
            await _set_job_condition(ctx, "demo-hook", "Complete", "CompletionsReached")
            await asyncio.to_thread(first.wait, 60)
            return [(r.version, str(r.status)) for r in await ctx.storage.history("demo")]

        assert run_actions(kubeconfig, namespace, finish_hook) == [(1, "superseded"), (2, "deployed")]
        assert first.returncode == 0
    finally:
        if first.poll() is None:
            first.kill()
        first.communicate()


CRASHING_INSTALL = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from otterhelm.chart.loader import load
    from otterhelm.kube import KubeClient, load_kubeconfig
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.actions.install import InstallOptions, install
    from otterhelm.release.storage import ReleaseStorage

    async def main() -> None:
        client = KubeClient(load_kubeconfig(Path(sys.argv[1])))
        ctx = ActionContext(ReleaseStorage(client, sys.argv[2]), lease_seconds=2)
        await install(ctx, load(sys.argv[3]), {"hook": "pre-install"}, InstallOptions(name="demo"))

    asyncio.run(main())
    """
)


def test_install_killed_mid_way_is_recovered_by_the_next_operation(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart = str(write_demo_chart(tmp_path))
    victim = subprocess.Popen(
        [sys.executable, "-c", CRASHING_INSTALL, str(kubeconfig), namespace, chart],
        env=_env(kubeconfig),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        async def pending(ctx: ActionContext) -> None:
            await _wait_for_status(ctx, "demo", 1, Status.PENDING_INSTALL)

        run_actions(kubeconfig, namespace, pending)
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.communicate()
    time.sleep(2.5)  # the killed holder's lease runs out

    async def next_operation(ctx: ActionContext) -> None:
        upgraded = await upgrade(ctx, load(chart), {"greeting": "after"}, UpgradeOptions(name="demo"))
        assert upgraded.version == 2 and upgraded.status == Status.DEPLOYED
        first, second = await ctx.storage.history("demo")
        assert first.status == Status.FAILED
        assert first.info is not None and "pending-install interrupted" in first.info.description
        assert second.status == Status.DEPLOYED

    run_actions(kubeconfig, namespace, next_operation)
