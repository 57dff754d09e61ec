"""The reference helm works against the devcluster (interop tests elsewhere rely on it)."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
from pathlib import Path

from otterhelm.devcluster import DevCluster

CHART_YAML = """\
apiVersion: v2
name: tiny
version: 0.1.0
"""

CONFIGMAP_TEMPLATE = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  greeting: {{ .Values.greeting | quote }}
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
"""


def _helm(helm_binary: Path, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(helm_binary), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_helm_version_is_the_reference_release(helm_binary: Path, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = _helm(helm_binary, env, "version", "--template", "{{ .Version }}")
    assert out == "v4.3.1"


def test_helm_install_of_a_local_chart_creates_objects_and_release(
    devcluster: DevCluster, namespace: str, helm_binary: Path, helm_env: dict[str, str], tmp_path: Path
) -> None:
    chart = tmp_path / "tiny"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(CHART_YAML)
    (chart / "values.yaml").write_text("greeting: hello\n")
    (chart / "templates" / "configmap.yaml").write_text(CONFIGMAP_TEMPLATE)

    _helm(
        helm_binary, helm_env, "install", "demo", str(chart), "--namespace", namespace, "--set", "greeting=hi"
    )

    with devcluster.http_client() as client:
        configmap = client.get(f"/api/v1/namespaces/{namespace}/configmaps/demo-settings").json()
        release_secret = client.get(
            f"/api/v1/namespaces/{namespace}/secrets/sh.helm.release.v1.demo.v1"
        ).json()
    assert configmap["data"] == {"greeting": "hi", "kube": devcluster.kubernetes_version}
    assert release_secret["type"] == "helm.sh/release.v1"
    assert release_secret["metadata"]["labels"]["status"] == "deployed"
    # Helm stores the release as base64(gzip(JSON)) inside the secret's base64 data.
    stored = json.loads(
        gzip.decompress(base64.b64decode(base64.b64decode(release_secret["data"]["release"])))
    )
    assert stored["name"] == "demo"
    assert stored["config"] == {"greeting": "hi"}

    listed = json.loads(_helm(helm_binary, helm_env, "list", "--namespace", namespace, "--output", "json"))
    assert [(r["name"], r["status"]) for r in listed] == [("demo", "deployed")]
