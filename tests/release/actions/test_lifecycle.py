"""Upgrade, rollback, hooks, keep policy, dry run and failure paths against the real API server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart.loader import load
from otterhelm.errors import DeadlineExceeded, FailedPrecondition, InvalidArgument
from otterhelm.kube import CONFIG_MAPS, Resource
from otterhelm.kube.errors import KubeNotFound
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.deploy import DeployOptions
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.rollback import RollbackOptions, rollback
from otterhelm.release.actions.uninstall import UninstallOptions, uninstall
from otterhelm.release.actions.upgrade import UpgradeOptions, ValuesMode, upgrade
from otterhelm.release.model import Status

from .charts import write_demo_chart
from .support import run_actions

JOBS = Resource("batch", "v1", "jobs", namespaced=True)
DEPLOYMENTS = Resource("apps", "v1", "deployments", namespaced=True)


async def _config(ctx: ActionContext, name: str) -> dict[str, Any] | None:
    try:
        return await ctx.client.get(CONFIG_MAPS, name, identity=None, namespace=ctx.namespace)
    except KubeNotFound:
        return None


def _statuses(history: list[Any]) -> list[tuple[int, str, str]]:
    return [(r.version, str(r.status), r.info.description) for r in history]


def test_upgrade_values_rules_supersede_and_removal(kubeconfig: Path, namespace: str, tmp_path: Path) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(
            ctx, load(str(chart_dir)), {"greeting": "one", "extra": True}, InstallOptions(name="demo")
        )
        assert await _config(ctx, "demo-extra") is not None
        # No values given: the previous ones are reused.
        second = await upgrade(ctx, load(str(chart_dir)), {}, UpgradeOptions(name="demo"))
        assert second.version == 2 and second.config == {"greeting": "one", "extra": True}
        assert second.info is not None and second.info.description == "Upgrade complete"
        # Values given without reuse: only those; the extra ConfigMap leaves the chart and is deleted.
        third = await upgrade(ctx, load(str(chart_dir)), {"port": 81}, UpgradeOptions(name="demo"))
        assert third.config == {"port": 81}
        assert await _config(ctx, "demo-extra") is None
        settings = await _config(ctx, "demo-settings")
        assert settings is not None and settings["data"] == {"greeting": "hello", "revision": "3"}
        # reset-then-reuse: given values over the previous ones, new chart defaults.
        fourth = await upgrade(
            ctx,
            load(str(chart_dir)),
            {"greeting": "four"},
            UpgradeOptions(name="demo", values_mode=ValuesMode.RESET_THEN_REUSE),
        )
        assert fourth.config == {"greeting": "four", "port": 81}
        history = await ctx.storage.history("demo")
        assert _statuses(history) == [
            (1, "superseded", "Install complete"),
            (2, "superseded", "Upgrade complete"),
            (3, "superseded", "Upgrade complete"),
            (4, "deployed", "Upgrade complete"),
        ]
        assert history[3].info.first_deployed == history[0].info.first_deployed

    run_actions(kubeconfig, namespace, body)


def test_rollback_defaults_to_latest_earlier_deployed_revision(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(ctx, load(str(chart_dir)), {"greeting": "one"}, InstallOptions(name="demo"))
        await upgrade(ctx, load(str(chart_dir)), {"greeting": "two"}, UpgradeOptions(name="demo"))
        # A failing upgrade (invalid port) leaves revision 3 failed.
        with pytest.raises(InvalidArgument):
            await upgrade(ctx, load(str(chart_dir)), {"port": 999999}, UpgradeOptions(name="demo"))
        history = await ctx.storage.history("demo")
        assert history[-1].status == Status.FAILED
        assert history[-1].info.description.startswith('Upgrade "demo" failed: ')
        back = await rollback(ctx, RollbackOptions(name="demo"))
        assert back.version == 4 and back.info is not None and back.info.description == "Rollback to 2"
        settings = await _config(ctx, "demo-settings")
        assert settings is not None and settings["data"]["greeting"] == "two"
        explicit = await rollback(ctx, RollbackOptions(name="demo", revision=1))
        assert explicit.version == 5
        settings = await _config(ctx, "demo-settings")
        assert settings is not None and settings["data"]["greeting"] == "one"
        assert _statuses(await ctx.storage.history("demo")) == [
            (1, "superseded", "Install complete"),
            (2, "superseded", "Upgrade complete"),
            (3, "failed", history[-1].info.description),
            (4, "superseded", "Rollback to 2"),
            (5, "deployed", "Rollback to 1"),
        ]

    run_actions(kubeconfig, namespace, body)


def test_keep_policy_survives_upgrade_and_uninstall_with_history(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(
            ctx, load(str(chart_dir)), {"extra": True, "keepExtra": True}, InstallOptions(name="demo")
        )
        await upgrade(ctx, load(str(chart_dir)), {"greeting": "x"}, UpgradeOptions(name="demo"))
        assert await _config(ctx, "demo-extra") is not None
        await upgrade(
            ctx, load(str(chart_dir)), {"extra": True, "keepExtra": True}, UpgradeOptions(name="demo")
        )
        result = await uninstall(ctx, "demo", UninstallOptions(name="demo", keep_history=True))
        assert (
            result.info == "These resources were kept due to the resource policy:\n[ConfigMap] demo-extra\n"
        )
        assert await _config(ctx, "demo-extra") is not None
        assert await _config(ctx, "demo-settings") is None
        assert [str(r.status) for r in await ctx.storage.history("demo")] == [
            "superseded",
            "superseded",
            "uninstalled",
        ]
        with pytest.raises(FailedPrecondition, match='the release named "demo" is already deleted'):
            await uninstall(ctx, "demo", UninstallOptions(name="demo", keep_history=True))

    run_actions(kubeconfig, namespace, body)


def test_invalid_object_fails_install_and_records_the_reason(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        with pytest.raises(InvalidArgument, match="999999"):
            await install(ctx, load(str(chart_dir)), {"port": 999999}, InstallOptions(name="demo"))
        [stored] = await ctx.storage.history("demo")
        assert stored.status == Status.FAILED
        assert stored.info.description.startswith('Release "demo" failed: ')
        assert "spec.ports[0].port: Invalid value: 999999" in stored.info.description

    run_actions(kubeconfig, namespace, body)


def test_dry_run_validates_on_server_and_stores_nothing(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        release = await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="demo", dry_run=True))
        assert release.info is not None and release.info.description == "Dry run complete"
        assert "kind: Service" in release.manifest
        assert await ctx.storage.history("demo") == []
        assert await _config(ctx, "demo-settings") is None
        with pytest.raises(InvalidArgument, match="999999"):
            await install(
                ctx, load(str(chart_dir)), {"port": 999999}, InstallOptions(name="demo", dry_run=True)
            )
        assert await ctx.storage.history("demo") == []

    run_actions(kubeconfig, namespace, body)


async def _set_job_condition(ctx: ActionContext, name: str, condition: str, reason: str) -> None:
    """Nothing runs pods on the devcluster: the test plays the Job controller."""
    import asyncio

    for _ in range(200):
        try:
            job = await ctx.client.get(JOBS, name, identity=None, namespace=ctx.namespace)
        except KubeNotFound:
            await asyncio.sleep(0.05)
            continue
        now = "2026-01-01T00:00:00Z"
        status: dict[str, Any] = {
            "startTime": now,
            "conditions": [
                {"type": condition, "status": "True", "reason": reason, "lastTransitionTime": now},
            ],
        }
        if condition == "Complete":
            status["completionTime"] = now
            status["succeeded"] = 1
            status["conditions"].insert(
                0,
                {"type": "SuccessCriteriaMet", "status": "True", "reason": reason, "lastTransitionTime": now},
            )
        else:
            status["failed"] = 1
            status["conditions"].insert(
                0, {"type": "FailureTarget", "status": "True", "reason": reason, "lastTransitionTime": now}
            )
        job["status"] = status
        await ctx.client.request(
            "PUT", JOBS.object_path(name, ctx.namespace) + "/status", identity=None, body=job
        )
        return
    raise AssertionError(f"job {name} never appeared")


def test_hook_job_success_and_delete_policy(kubeconfig: Path, namespace: str, tmp_path: Path) -> None:
    import asyncio

    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        values = {"hook": "post-install", "hookPolicy": "hook-succeeded"}
        task = asyncio.create_task(install(ctx, load(str(chart_dir)), values, InstallOptions(name="demo")))
        await _set_job_condition(ctx, "demo-hook", "Complete", "CompletionsReached")
        release = await task
        assert release.status == Status.DEPLOYED
        [hook] = release.hooks or []
        assert hook.last_run.phase == "Succeeded" and hook.last_run.completed_at
        with pytest.raises(KubeNotFound):
            await ctx.client.get(JOBS, "demo-hook", identity=None, namespace=ctx.namespace)
        assert "demo-hook" not in release.manifest

    run_actions(kubeconfig, namespace, body)


def test_failing_hook_job_fails_the_install(kubeconfig: Path, namespace: str, tmp_path: Path) -> None:
    import asyncio

    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        values = {"hook": "pre-install", "hookPolicy": "before-hook-creation"}
        task = asyncio.create_task(install(ctx, load(str(chart_dir)), values, InstallOptions(name="demo")))
        await _set_job_condition(ctx, "demo-hook", "Failed", "BackoffLimitExceeded")
        with pytest.raises(FailedPrecondition) as caught:
            await task
        assert str(caught.value) == 'failed pre-install: job "demo-hook" failed: BackoffLimitExceeded'
        [stored] = await ctx.storage.history("demo")
        assert stored.status == Status.FAILED
        assert stored.info.description == f'Release "demo" failed: {caught.value}'
        assert stored.hooks is not None and stored.hooks[0].last_run.phase == "Failed"
        # The pre-install hook failed, so the release's objects were never created.
        assert await _config(ctx, "demo-settings") is None

    run_actions(kubeconfig, namespace, body)


def test_wait_times_out_and_rollback_on_failure_uninstalls(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        opts = InstallOptions(
            name="demo",
            deploy=DeployOptions(wait=True, timeout_seconds=1.0),
            rollback_on_failure=True,
        )
        with pytest.raises(DeadlineExceeded) as caught:
            await install(ctx, load(str(chart_dir)), {"deployment": True}, opts)
        assert "Deployment" in str(caught.value) and "rollback-on-failure" in str(caught.value)
        assert await ctx.storage.history("demo") == []
        with pytest.raises(KubeNotFound):
            await ctx.client.get(DEPLOYMENTS, "demo-app", identity=None, namespace=ctx.namespace)

    run_actions(kubeconfig, namespace, body)


def test_wait_without_rollback_records_failed(kubeconfig: Path, namespace: str, tmp_path: Path) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="demo"))
        opts = UpgradeOptions(name="demo", deploy=DeployOptions(wait=True, timeout_seconds=1.0))
        with pytest.raises(DeadlineExceeded, match="context deadline exceeded"):
            await upgrade(ctx, load(str(chart_dir)), {"deployment": True}, opts)
        assert [str(r.status) for r in await ctx.storage.history("demo")] == ["deployed", "failed"]

    run_actions(kubeconfig, namespace, body)


def test_failed_upgrade_with_rollback_on_failure_returns_to_the_deployed_revision(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(ctx, load(str(chart_dir)), {"greeting": "stable"}, InstallOptions(name="demo"))
        opts = UpgradeOptions(
            name="demo", deploy=DeployOptions(wait=True, timeout_seconds=1.0), rollback_on_failure=True
        )
        with pytest.raises(DeadlineExceeded) as caught:
            await upgrade(ctx, load(str(chart_dir)), {"greeting": "broken", "deployment": True}, opts)
        assert str(caught.value).startswith(
            "release demo failed, and has been rolled back due to rollback-on-failure being set: "
        )
        history = await ctx.storage.history("demo")
        assert [(r.version, str(r.status)) for r in history] == [
            (1, "superseded"),
            (2, "failed"),
            (3, "deployed"),
        ]
        assert history[2].info is not None and history[2].info.description == "Rollback to 1"
        settings = await _config(ctx, "demo-settings")
        assert settings is not None and settings["data"]["greeting"] == "stable"
        with pytest.raises(KubeNotFound):
            await ctx.client.get(DEPLOYMENTS, "demo-app", identity=None, namespace=ctx.namespace)
        # Uninstall waiting for the objects to be gone.
        await uninstall(
            ctx, "demo", UninstallOptions(name="demo", deploy=DeployOptions(wait=True, timeout_seconds=10))
        )
        assert await _config(ctx, "demo-settings") is None

    run_actions(kubeconfig, namespace, body)
