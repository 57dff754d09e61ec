"""Releases handed back and forth between otterhelm and the real helm v4.3.1 CLI."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path
from typing import Any

from otterhelm.chart.loader import load
from otterhelm.kube import CONFIG_MAPS, SECRETS
from otterhelm.kube.errors import KubeNotFound
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.deploy import DeployOptions
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


def _shape(value: Any, path: str = "") -> set[str]:
    """Every key path with the kind of its value (list items merged), not the values."""
    if isinstance(value, dict):
        return {f"{path}/"} | {p for k, v in value.items() for p in _shape(v, f"{path}/{k}")}
    if isinstance(value, list):
        return {f"{path}[]"} | {p for item in value for p in _shape(item, f"{path}[]")}
    return {f"{path}:{type(value).__name__}"}


def test_records_written_by_both_tools_have_the_same_json_shape(
    kubeconfig: Path, make_namespace: Any, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    from otterhelm.release.codec import decode_record_json
    from otterhelm.release.storage import secret_name

    chart_dir = write_demo_chart(tmp_path)
    ours, theirs = make_namespace(), make_namespace()
    values = {"greeting": "same", "hook": "post-install", "hookPolicy": "before-hook-creation"}

    async def installed(ctx: ActionContext) -> None:
        await install(
            ctx,
            load(str(chart_dir)),
            values,
            InstallOptions(name="demo", deploy=DeployOptions(no_hooks=True), chart_reference=str(chart_dir)),
        )

    run_actions(kubeconfig, ours, installed)
    _helm(
        helm_binary,
        helm_env,
        "install",
        "demo",
        str(chart_dir),
        "-n",
        theirs,
        "--no-hooks",
        "--set",
        "greeting=same,hook=post-install,hookPolicy=before-hook-creation",
    )

    async def record(ctx: ActionContext) -> Any:
        secret = await ctx.client.get(SECRETS, secret_name("demo", 1), identity=None, namespace=ctx.namespace)
        labels = secret["metadata"]["labels"]
        document = json.loads(decode_record_json(base64.b64decode(secret["data"]["release"]).decode()))
        return secret["type"], sorted(labels), document

    our_type, our_labels, our_doc = run_actions(kubeconfig, ours, record)
    their_type, their_labels, their_doc = run_actions(kubeconfig, theirs, record)
    assert our_type == their_type == "helm.sh/release.v1"
    assert our_labels == their_labels
    assert _shape(our_doc) == _shape(their_doc)
    assert our_doc["manifest"] == their_doc["manifest"].replace(theirs, ours)
    assert our_doc["config"] == their_doc["config"]
    # The same chart directory on disk: the same modification times, to the nanosecond.
    assert our_doc["chart"]["modtime"] == their_doc["chart"]["modtime"]
    assert [(t["name"], t["modtime"]) for t in our_doc["chart"]["templates"]] == [
        (t["name"], t["modtime"]) for t in their_doc["chart"]["templates"]
    ]
