"""Releases handed back and forth between otterhelm and the real helm v4.3.1 CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from otterhelm.chart.loader import load
from otterhelm.kube import CONFIG_MAPS
from otterhelm.kube.errors import KubeNotFound
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.rollback import RollbackOptions, rollback
from otterhelm.release.actions.uninstall import UninstallOptions, uninstall
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.model import Status

from .charts import write_demo_chart
from .support import run_actions


def _helm(helm_binary: Path, helm_env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(helm_binary), *args], env=helm_env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _helm_json(helm_binary: Path, helm_env: dict[str, str], *args: str) -> Any:
    return json.loads(_helm(helm_binary, helm_env, *args, "-o", "json"))


async def _greeting(ctx: ActionContext) -> str | None:
    try:
        cm = await ctx.client.get(CONFIG_MAPS, "demo-settings", identity=None, namespace=ctx.namespace)
    except KubeNotFound:
        return None
    return str(cm["data"]["greeting"])


def test_helm_lists_upgrades_rolls_back_and_uninstalls_an_otterhelm_release(
    kubeconfig: Path, namespace: str, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def installed(ctx: ActionContext) -> None:
        await install(ctx, load(str(chart_dir)), {"greeting": "otter"}, InstallOptions(name="demo"))

    run_actions(kubeconfig, namespace, installed)
    ns = ("-n", namespace)
    [listed] = _helm_json(helm_binary, helm_env, "list", *ns)
    assert (listed["name"], listed["revision"], listed["status"], listed["chart"]) == (
        "demo",
        "1",
        "deployed",
        "demo-0.1.0",
    )
    status = _helm_json(helm_binary, helm_env, "status", "demo", *ns)
    assert status["info"]["description"] == "Install complete"
    assert _helm_json(helm_binary, helm_env, "get", "values", "demo", *ns) == {"greeting": "otter"}
    _helm(helm_binary, helm_env, "upgrade", "demo", str(chart_dir), "--set", "greeting=helm", *ns)
    assert run_actions(kubeconfig, namespace, _greeting) == "helm"
    _helm(helm_binary, helm_env, "rollback", "demo", "1", *ns)
    assert run_actions(kubeconfig, namespace, _greeting) == "otter"
    history = _helm_json(helm_binary, helm_env, "history", "demo", *ns)
    assert [(h["revision"], h["status"], h["description"]) for h in history] == [
        (1, "superseded", "Install complete"),
        (2, "superseded", "Upgrade complete"),
        (3, "deployed", "Rollback to 1"),
    ]

    async def upgraded_again(ctx: ActionContext) -> list[tuple[int, str]]:
        await upgrade(ctx, load(str(chart_dir)), {"greeting": "back"}, UpgradeOptions(name="demo"))
        return [(r.version, str(r.status)) for r in await ctx.storage.history("demo")]

    assert run_actions(kubeconfig, namespace, upgraded_again) == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "superseded"),
        (4, "deployed"),
    ]
    _helm(helm_binary, helm_env, "uninstall", "demo", *ns)
    assert _helm_json(helm_binary, helm_env, "list", *ns) == []
    assert run_actions(kubeconfig, namespace, _greeting) is None


def test_otterhelm_upgrades_rolls_back_and_uninstalls_a_helm_release(
    kubeconfig: Path, namespace: str, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    chart_dir = write_demo_chart(tmp_path)
    ns = ("-n", namespace)
    _helm(helm_binary, helm_env, "install", "demo", str(chart_dir), "--set", "greeting=helm", *ns)

    async def body(ctx: ActionContext) -> None:
        [first] = await ctx.storage.history("demo")
        assert first.status == Status.DEPLOYED and first.config == {"greeting": "helm"}
        second = await upgrade(ctx, load(str(chart_dir)), {"greeting": "otter"}, UpgradeOptions(name="demo"))
        assert second.version == 2
        assert await _greeting(ctx) == "otter"
        third = await rollback(ctx, RollbackOptions(name="demo"))
        assert third.info is not None and third.info.description == "Rollback to 1"
        assert await _greeting(ctx) == "helm"

    run_actions(kubeconfig, namespace, body)
    [listed] = _helm_json(helm_binary, helm_env, "list", *ns)
    assert (listed["revision"], listed["status"]) == ("3", "deployed")
    assert _helm_json(helm_binary, helm_env, "get", "values", "demo", *ns) == {"greeting": "helm"}

    async def removed(ctx: ActionContext) -> None:
        await uninstall(ctx, "demo", UninstallOptions(name="demo"))
        assert await ctx.storage.history("demo") == []
        assert await _greeting(ctx) is None

    run_actions(kubeconfig, namespace, removed)
    assert _helm_json(helm_binary, helm_env, "list", *ns) == []
