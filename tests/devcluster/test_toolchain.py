"""The pinned tool versions agree with the wrapper modules scripts/tools.d/go-tools builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otterhelm.devcluster import ETCD, HELM, KUBE_APISERVER, Toolchain, ToolMissing
from otterhelm.devcluster.toolchain import ETCD_VERSION, HELM_VERSION, KUBERNETES_VERSION, default_tools_dir

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def _required_version(go_mod: Path, module: str) -> str:
    match = re.search(rf"^\s*(?:require\s+)?{re.escape(module)} (v\S+)", go_mod.read_text(), re.MULTILINE)
    assert match, f"{module} not required in {go_mod}"
    return match.group(1)


def test_pinned_versions_are_the_ones_the_wrapper_modules_build() -> None:
    assert _required_version(TOOLS / "kube" / "go.mod", "k8s.io/kubernetes") == KUBERNETES_VERSION
    assert _required_version(TOOLS / "etcd" / "go.mod", "go.etcd.io/etcd/server/v3") == ETCD_VERSION
    assert _required_version(TOOLS / "helm" / "go.mod", "helm.sh/helm/v4") == HELM_VERSION
    assert KUBERNETES_VERSION.startswith("v1.") and int(KUBERNETES_VERSION.split(".")[1]) >= 34
    assert ETCD_VERSION.startswith("v3.6.")
    assert HELM_VERSION == "v4.3.1"


def test_every_staging_module_is_pinned_to_the_matching_published_release() -> None:
    go_mod = (TOOLS / "kube" / "go.mod").read_text()
    replacements = re.findall(
        r"^\s*(?:replace\s+)?(k8s\.io/\S+) => (k8s\.io/\S+) (v\S+)$", go_mod, re.MULTILINE
    )
    staging_version = "v0." + KUBERNETES_VERSION.removeprefix("v1.")
    assert len(replacements) >= 30
    for source, target, version in replacements:
        assert source == target
        assert version == staging_version, source


def test_tools_live_in_versioned_directories(tmp_path: Path) -> None:
    toolchain = Toolchain(tmp_path)
    assert (
        toolchain.path(KUBE_APISERVER)
        == tmp_path / f"kube-apiserver-{KUBERNETES_VERSION}" / "bin" / "kube-apiserver"
    )
    assert toolchain.path(ETCD) == tmp_path / f"etcd-{ETCD_VERSION}" / "bin" / "etcd"
    assert toolchain.path(HELM) == tmp_path / f"helm-{HELM_VERSION}" / "bin" / "helm"


def test_a_tool_not_built_yet_is_an_error_that_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ToolMissing, match="run scripts/tools"):
        Toolchain(tmp_path).binary(HELM)


def test_tools_dir_comes_from_the_environment_or_the_user_cache(tmp_path: Path) -> None:
    assert default_tools_dir({"OTTERHELM_TOOLS_DIR": str(tmp_path)}, Path("/home/x")) == tmp_path
    assert default_tools_dir({}, Path("/home/x")) == Path("/home/x/.cache/otterhelm/tools")
