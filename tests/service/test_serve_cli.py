"""`otterhelm serve` as a command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from otterhelm.devcluster import DevCluster

from .conftest import SERVICE, running_service


def test_insecure_no_auth_serves_without_tokens(
    devcluster: DevCluster, tmp_path: Path, namespace: str
) -> None:
    with running_service(tmp_path, devcluster.kubeconfig, "--insecure-no-auth") as service:
        response = httpx.post(f"{service.base_url}/{SERVICE}/ListNamespaces", json={}, timeout=30)
        assert response.status_code == 200
        assert namespace in [item["name"] for item in response.json()["namespaces"]]
    first = json.loads(service.log.read_text().splitlines()[0])
    assert first["level"] == "warning"
    assert first["msg"] == "authentication is disabled (--insecure-no-auth)"


def test_bad_configuration_exits_2_with_a_json_error(tmp_path: Path) -> None:
    config = tmp_path / "otterhelm.yaml"
    config.write_text("scopes:\n  dev: {}\n")
    result = subprocess.run(
        [sys.executable, "-m", "otterhelm", "serve", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    error = json.loads(result.stderr.strip().splitlines()[-1])
    assert error["level"] == "error"
    assert error["msg"] == "scopes.dev needs exactly one of kubeconfig or in_cluster"


def test_unusable_kubeconfig_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "otterhelm.yaml"
    config.write_text("scopes:\n  dev:\n    kubeconfig: missing.yaml\n")
    result = subprocess.run(
        [sys.executable, "-m", "otterhelm", "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot read kubeconfig" in result.stderr
