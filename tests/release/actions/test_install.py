"""Install and uninstall against the real API server."""

from __future__ import annotations

from pathlib import Path

import pytest

from otterhelm.chart.loader import load
from otterhelm.kube import CONFIG_MAPS
from otterhelm.kube.apply import OwnershipConflict
from otterhelm.kube.errors import KubeNotFound
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, NameInUse, install
from otterhelm.release.actions.uninstall import UninstallOptions, uninstall
from otterhelm.release.model import Status

from .charts import write_demo_chart
from .support import run_actions


def test_install_stores_deployed_release_and_uninstall_removes_everything(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        release = await install(ctx, load(str(chart_dir)), {"greeting": "hi"}, InstallOptions(name="demo"))
        assert release.version == 1
        assert release.status == Status.DEPLOYED
        assert release.info is not None and release.info.description == "Install complete"
        assert release.info.notes == "Installed demo.\n"
        stored = await ctx.storage.get("demo", 1)
        assert stored.status == Status.DEPLOYED and stored.config == {"greeting": "hi"}
        assert "# Source: demo/templates/configmap.yaml" in stored.manifest
        assert "managed-by" not in stored.manifest
        cm = await ctx.client.get(CONFIG_MAPS, "demo-settings", identity=None, namespace=ctx.namespace)
        assert cm["data"] == {"greeting": "hi", "revision": "1"}
        with pytest.raises(NameInUse, match=r"^cannot reuse a name that is still in use$"):
            await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="demo"))
        result = await uninstall(ctx, "demo", UninstallOptions(name="demo"))
        assert result.release.status == Status.UNINSTALLED
        assert await ctx.storage.history("demo") == []
        with pytest.raises(KubeNotFound):
            await ctx.client.get(CONFIG_MAPS, "demo-settings", identity=None, namespace=ctx.namespace)

    run_actions(kubeconfig, namespace, body)


def test_install_refuses_objects_owned_by_something_else(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> str:
        await ctx.client.create(
            CONFIG_MAPS,
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "demo-settings"}},
            identity=None,
            namespace=ctx.namespace,
        )
        with pytest.raises(OwnershipConflict) as caught:
            await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="demo"))
        assert await ctx.storage.history("demo") == []
        return str(caught.value)

    message = run_actions(kubeconfig, namespace, body)
    assert message.startswith(
        # pkg/action/install.go wraps existingResourceConflict's error this way in helm v4.
        "unable to continue with install: "
        f'ConfigMap "demo-settings" in namespace "{namespace}" exists and cannot be imported into the current '
        "release: invalid ownership metadata; label validation error: missing key"
    )


def test_lookup_reads_the_live_cluster(kubeconfig: Path, namespace: str, tmp_path: Path) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> dict[str, str]:
        await ctx.client.create(
            CONFIG_MAPS,
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "paint"},
                "data": {"color": "blue"},
            },
            identity=None,
            namespace=ctx.namespace,
        )
        await install(ctx, load(str(chart_dir)), {"lookupName": "paint"}, InstallOptions(name="demo"))
        cm = await ctx.client.get(CONFIG_MAPS, "demo-looked-up", identity=None, namespace=ctx.namespace)
        return dict(cm["data"])

    # Listed before the release's own ConfigMaps exist: only "paint" (and the namespace's root CA,
    # which no controller publishes on the devcluster).
    assert run_actions(kubeconfig, namespace, body) == {"found": "blue", "missing": "0", "listed": "1"}
