"""crds/ installed first, namespace creation, upgrade dry run and delete hooks."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import yaml

from otterhelm.chart.loader import load
from otterhelm.kube import NAMESPACES, Resource
from otterhelm.kube.errors import KubeNotFound
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.discoverycache import MemoryDocumentCache
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.uninstall import UninstallOptions, uninstall
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.model import Status

from .charts import write_demo_chart
from .support import run_actions
from .test_lifecycle import JOBS, _set_job_condition

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.{group}
spec:
  group: {group}
  scope: Namespaced
  names: {{plural: gadgets, singular: gadget, kind: Gadget}}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}
"""

GADGET = """apiVersion: {group}/v1
kind: Gadget
metadata:
  name: {{{{ .Release.Name }}}}-gadget
spec:
  served: {{{{ .Capabilities.APIVersions.Has "{group}/v1/Gadget" | quote }}}}
"""


def test_crds_first_then_custom_resources_in_a_created_namespace(kubeconfig: Path, tmp_path: Path) -> None:
    group = f"g{secrets.token_hex(4)}.example.com"
    chart_dir = write_demo_chart(tmp_path)
    (chart_dir / "crds").mkdir()
    (chart_dir / "crds" / "gadget.yaml").write_text(CRD.format(group=group))
    (chart_dir / "templates" / "gadget.yaml").write_text(GADGET.format(group=group))
    target = f"t-crds-{secrets.token_hex(3)}"
    gadgets = Resource(group, "v1", "gadgets", namespaced=True)

    async def body(ctx: ActionContext) -> None:
        release = await install(
            ctx, load(str(chart_dir)), {}, InstallOptions(name="demo", create_namespace=True)
        )
        assert release.status == Status.DEPLOYED
        created = await ctx.client.get(NAMESPACES, target, identity=None)
        assert created["metadata"]["labels"]["name"] == target
        gadget = await ctx.client.get(gadgets, "demo-gadget", identity=None, namespace=target)
        # The CRD was served before rendering, so .Capabilities knew the new kind.
        assert gadget["spec"] == {"served": "true"}
        assert "CustomResourceDefinition" not in release.manifest
        await uninstall(ctx, "demo", UninstallOptions(name="demo"))
        try:
            await ctx.client.get(gadgets, "demo-gadget", identity=None, namespace=target)
            raise AssertionError("the custom resource outlived its release")
        except KubeNotFound:
            pass

    run_actions(kubeconfig, target, body)


def test_crds_installed_now_reach_capabilities_through_kept_discovery(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    # A service keeps discovery between requests; the root documents it kept from before the
    # CRD existed must not hide the new group from the render that follows.
    group = f"g{secrets.token_hex(4)}.example.com"
    chart_dir = write_demo_chart(tmp_path)
    (chart_dir / "crds").mkdir()
    (chart_dir / "crds" / "gadget.yaml").write_text(CRD.format(group=group))
    (chart_dir / "templates" / "gadget.yaml").write_text(GADGET.format(group=group))
    gadgets = Resource(group, "v1", "gadgets", namespaced=True)

    async def body(plain: ActionContext) -> None:
        documents = MemoryDocumentCache()
        earlier = ActionContext(plain.storage, documents=documents)
        assert f"{group}/v1" not in (await earlier.capabilities()).api_versions
        ctx = ActionContext(plain.storage, documents=documents)
        release = await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="kept"))
        assert release.status == Status.DEPLOYED
        gadget = await ctx.client.get(gadgets, "kept-gadget", identity=None, namespace=namespace)
        assert gadget["spec"] == {"served": "true"}

    run_actions(kubeconfig, namespace, body)


def test_crds_created_by_others_reach_capabilities_through_kept_discovery(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    """Helm reads discovery afresh for every action (pkg/action/action.go getCapabilities
    invalidates its cache), so a CRD someone else created a moment ago is in .Capabilities;
    documents kept for the cache's whole lifetime must not hide it."""
    group = f"g{secrets.token_hex(4)}.example.com"
    chart_dir = write_demo_chart(tmp_path)
    (chart_dir / "templates" / "gadget.yaml").write_text(
        '{{- if .Capabilities.APIVersions.Has "'
        + group
        + '/v1/Gadget" }}\n'
        + GADGET.format(group=group)
        + "{{- end }}\n"
    )
    crds = Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", namespaced=False)
    gadgets = Resource(group, "v1", "gadgets", namespaced=True)

    async def body(plain: ActionContext) -> None:
        documents = MemoryDocumentCache(ttl_seconds=3600)
        earlier = await install(
            ActionContext(plain.storage, documents=documents),
            load(str(chart_dir)),
            {},
            InstallOptions(name="a"),
        )
        assert "Gadget" not in earlier.manifest
        crd = yaml.safe_load(CRD.format(group=group))
        await plain.client.create(crds, crd, identity=None)
        for _ in range(300):  # established without any action looking (no discovery refreshed)
            live = await plain.client.get(crds, crd["metadata"]["name"], identity=None)
            if any(c["type"] == "Established" for c in (live.get("status") or {}).get("conditions") or []):
                break
            await asyncio.sleep(0.1)
        ctx = ActionContext(plain.storage, documents=documents)
        release = await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="b"))
        gadget = await ctx.client.get(gadgets, "b-gadget", identity=None, namespace=namespace)
        assert gadget["spec"] == {"served": "true"}
        assert "kind: Gadget" in release.manifest

    run_actions(kubeconfig, namespace, body)


def test_upgrade_dry_run_stores_nothing(kubeconfig: Path, namespace: str, tmp_path: Path) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(ctx, load(str(chart_dir)), {}, InstallOptions(name="demo"))
        trial = await upgrade(
            ctx, load(str(chart_dir)), {"greeting": "maybe"}, UpgradeOptions(name="demo", dry_run=True)
        )
        assert trial.version == 2 and trial.info is not None and trial.info.description == "Dry run complete"
        assert 'greeting: "maybe"' in trial.manifest
        assert [r.version for r in await ctx.storage.history("demo")] == [1]

    run_actions(kubeconfig, namespace, body)


def test_pre_delete_hook_runs_before_objects_are_deleted(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart_dir = write_demo_chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(
            ctx,
            load(str(chart_dir)),
            {"hook": "pre-delete", "hookPolicy": "hook-succeeded"},
            InstallOptions(name="demo"),
        )
        # A delete hook does not run at install.
        try:
            await ctx.client.get(JOBS, "demo-hook", identity=None, namespace=ctx.namespace)
            raise AssertionError("pre-delete hook ran at install")
        except KubeNotFound:
            pass
        task = asyncio.create_task(uninstall(ctx, "demo", UninstallOptions(name="demo", keep_history=True)))
        await _set_job_condition(ctx, "demo-hook", "Complete", "CompletionsReached")
        result = await task
        assert result.release.status == Status.UNINSTALLED
        assert (
            result.release.info is not None and result.release.info.description == "Uninstallation complete"
        )
        [hook] = result.release.hooks or []
        assert hook.last_run.phase == "Succeeded"

    run_actions(kubeconfig, namespace, body)
