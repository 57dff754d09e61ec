"""Objects are matched across revisions by group and kind, not version (pkg/kube/resource.go
isMatchingInfo): an upgrade that only moves an object to another API version keeps it."""

from __future__ import annotations

from pathlib import Path

from otterhelm.chart.loader import load
from otterhelm.kube import Resource
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.install import InstallOptions, install
from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
from otterhelm.release.model import Status

from .support import run_actions

HPA = """apiVersion: autoscaling/{{ .Values.version }}
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .Release.Name }}-scaler
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: {{ .Values.max }}
"""

HPAS = Resource("autoscaling", "v2", "horizontalpodautoscalers", namespaced=True)


def _chart(root: Path) -> Path:
    chart = root / "scaler"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: scaler\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("version: v1\nmax: 3\n")
    (chart / "templates" / "hpa.yaml").write_text(HPA)
    return chart


def test_an_object_moved_to_another_api_version_survives_the_upgrade(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart = _chart(tmp_path)

    async def body(ctx: ActionContext) -> None:
        await install(ctx, load(str(chart)), {}, InstallOptions(name="moved"))
        release = await upgrade(
            ctx, load(str(chart)), {"version": "v2", "max": 5}, UpgradeOptions(name="moved")
        )
        assert release.status == Status.DEPLOYED
        live = await ctx.client.get(HPAS, "moved-scaler", identity=None, namespace=ctx.namespace)
        assert live["spec"]["maxReplicas"] == 5

    run_actions(kubeconfig, namespace, body)
