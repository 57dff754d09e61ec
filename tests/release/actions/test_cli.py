"""The release commands run as a user would, with helm v4.3.1 reading what they leave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .charts import write_demo_chart


def _otterhelm(kubeconfig: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    env.pop("HELM_NAMESPACE", None)
    done = subprocess.run(
        [sys.executable, "-m", "otterhelm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode == 0) == ok, done.stderr
    return done


def _helm_json(helm_binary: Path, helm_env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [str(helm_binary), *args, "-o", "json"],
        env=helm_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_release_commands_end_to_end(
    kubeconfig: Path, namespace: str, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    chart = str(write_demo_chart(tmp_path))
    ns = ("-n", namespace)
    installed = _otterhelm(kubeconfig, "install", "demo", chart, "--set", "greeting=cli", *ns)
    assert installed.stdout.startswith("NAME: demo\nLAST DEPLOYED: ")
    assert f"NAMESPACE: {namespace}\nSTATUS: deployed\nREVISION: 1\n" in installed.stdout
    assert installed.stdout.endswith("NOTES:\nInstalled demo.\n")
    again = _otterhelm(kubeconfig, "install", "demo", chart, *ns, ok=False)
    assert again.stderr == "Error: INSTALLATION FAILED: cannot reuse a name that is still in use\n"

    upgraded = _otterhelm(kubeconfig, "upgrade", "demo", chart, "--reuse-values", "--set", "port=81", *ns)
    assert upgraded.stdout.startswith('Release "demo" has been upgraded. Happy Helming!\nNAME: demo\n')
    values = json.loads(_otterhelm(kubeconfig, "get", "values", "demo", "-o", "json", *ns).stdout)
    assert values == {"greeting": "cli", "port": 81}
    assert _helm_json(helm_binary, helm_env, "get", "values", "demo", *ns) == values

    rolled = _otterhelm(kubeconfig, "rollback", "demo", *ns)
    assert rolled.stdout == "Rollback was a success! Happy Helming!\n"
    history = json.loads(_otterhelm(kubeconfig, "history", "demo", "-o", "json", *ns).stdout)
    assert [(h["revision"], h["status"], h["description"]) for h in history] == [
        (1, "superseded", "Install complete"),
        (2, "superseded", "Upgrade complete"),
        (3, "deployed", "Rollback to 1"),
    ]
    helm_history = _helm_json(helm_binary, helm_env, "history", "demo", *ns)
    assert [(h["revision"], h["status"], h["description"]) for h in helm_history] == [
        (h["revision"], h["status"], h["description"]) for h in history
    ]

    listed = json.loads(_otterhelm(kubeconfig, "list", "-o", "json", *ns).stdout)
    helm_listed = _helm_json(helm_binary, helm_env, "list", *ns)
    keys = ("name", "namespace", "revision", "updated", "status", "chart", "app_version")
    assert [{k: r[k] for k in keys} for r in listed] == [{k: r[k] for k in keys} for r in helm_listed]
    table = _otterhelm(kubeconfig, "list", *ns).stdout.splitlines()
    assert table[0].split() == [
        "NAME",
        "NAMESPACE",
        "REVISION",
        "UPDATED",
        "STATUS",
        "CHART",
        "APP",
        "VERSION",
    ]

    manifest = _otterhelm(kubeconfig, "get", "manifest", "demo", *ns).stdout
    assert "# Source: demo/templates/configmap.yaml" in manifest
    status = json.loads(_otterhelm(kubeconfig, "status", "demo", "-o", "json", *ns).stdout)
    assert (status["name"], status["version"], status["info"]["status"]) == ("demo", 3, "deployed")

    removed = _otterhelm(kubeconfig, "uninstall", "demo", *ns)
    assert removed.stdout == 'release "demo" uninstalled\n'
    assert _helm_json(helm_binary, helm_env, "list", *ns) == []
    missing = _otterhelm(kubeconfig, "status", "demo", *ns, ok=False)
    assert missing.stderr == "Error: release: not found\n"


def test_upgrade_install_creates_then_reuses_an_uninstalled_name(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    chart = str(write_demo_chart(tmp_path))
    ns = ("-n", namespace)
    first = _otterhelm(kubeconfig, "upgrade", "--install", "demo", chart, *ns)
    assert first.stdout.startswith('Release "demo" does not exist. Installing it now.\nNAME: demo\n')
    assert "REVISION: 1\n" in first.stdout
    kept = _otterhelm(kubeconfig, "uninstall", "demo", "--keep-history", *ns)
    assert kept.stdout == 'release "demo" uninstalled\n'
    again = _otterhelm(kubeconfig, "upgrade", "-i", "demo", chart, *ns)
    assert again.stdout.startswith('Release "demo" does not exist. Installing it now.\nNAME: demo\n')
    assert "STATUS: deployed\nREVISION: 2\n" in again.stdout
    history = json.loads(_otterhelm(kubeconfig, "history", "demo", "-o", "json", *ns).stdout)
    assert [(h["revision"], h["status"]) for h in history] == [(1, "uninstalled"), (2, "deployed")]
    gone = _otterhelm(kubeconfig, "upgrade", "other", chart, *ns, ok=False)
    assert gone.stderr == 'Error: UPGRADE FAILED: "other" has no deployed releases\n'


def _summary(stdout: str, namespace: str) -> list[str]:
    """A release summary with what legitimately differs between two runs masked: the
    deployment time and the namespace the run used."""
    lines = []
    for line in stdout.replace(namespace, "<namespace>").splitlines():
        lines.append("LAST DEPLOYED: <time>" if line.startswith("LAST DEPLOYED: ") else line)
    return lines


def test_install_and_dry_run_summaries_match_helm(
    kubeconfig: Path,
    make_namespace: Any,
    tmp_path: Path,
    helm_binary: Path,
    helm_env: dict[str, str],
) -> None:
    """pkg/cmd/status.go statusPrinter.WriteTable: DESCRIPTION always, and a dry run shows
    its hooks and manifest."""
    chart = str(write_demo_chart(tmp_path))
    ours, theirs = make_namespace(), make_namespace()

    def both(*args: str) -> tuple[list[str], list[str]]:
        mine = _otterhelm(kubeconfig, *args, "-n", ours)
        helms = subprocess.run(
            [str(helm_binary), *args, "-n", theirs],
            env=helm_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return _summary(mine.stdout, ours), _summary(helms.stdout, theirs)

    installed, helm_installed = both("install", "demo", chart, "--set", "greeting=cli")
    assert "DESCRIPTION: Install complete" in installed
    assert installed == helm_installed

    dry_run = ("upgrade", "demo", chart, "--set", "hook=pre-upgrade", "--dry-run=server")
    upgraded, helm_upgraded = both(*dry_run)
    assert "HOOKS:" in upgraded and "MANIFEST:" in upgraded
    assert any(line == "# Source: demo/templates/hook.yaml" for line in upgraded)
    assert upgraded == helm_upgraded


CAPABILITIES_TEMPLATE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: capabilities
data:
  versions: {{ .Capabilities.APIVersions | toJson | quote }}
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
"""


def _dry_run_capabilities(stdout: str) -> tuple[set[str], str]:
    import yaml

    manifest = stdout.split("MANIFEST:\n", 1)[1]
    for document in yaml.safe_load_all(manifest):
        if document and document.get("kind") == "ConfigMap":
            data = document["data"]
            return set(json.loads(data["versions"])), data["kube"]
    raise AssertionError(f"no ConfigMap in the dry run's manifest:\n{stdout}")


def test_dry_run_into_a_namespace_to_create_sees_helms_capabilities(
    kubeconfig: Path, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    """A server dry run with --create-namespace into a namespace that does not exist succeeds,
    and `.Capabilities.APIVersions` holds what Helm's GetVersionSet lists (subresource kinds
    such as apps/v1/Scale and v1/TokenRequest included)."""
    import uuid

    chart = tmp_path / "capabilities"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: capabilities\nversion: 0.1.0\n")
    (chart / "templates" / "capabilities.yaml").write_text(CAPABILITIES_TEMPLATE)
    args = ("install", "caps", str(chart), "--dry-run=server", "--create-namespace")
    ours = _otterhelm(kubeconfig, *args, "-n", f"absent-{uuid.uuid4().hex[:8]}")
    helms = subprocess.run(
        [str(helm_binary), *args, "-n", f"absent-{uuid.uuid4().hex[:8]}"],
        env=helm_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    versions, kube = _dry_run_capabilities(ours.stdout)
    assert (versions, kube) == _dry_run_capabilities(helms.stdout)
    assert {"apps/v1/Scale", "v1/TokenRequest", "apps/v1/Deployment", "v1"} <= versions


def test_client_dry_run_installs_like_helm_without_a_cluster(
    tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    """`install --dry-run[=client|=true]` renders as `helm template` does and contacts no
    cluster (the kubeconfig points nowhere); the deprecated spellings warn as helm does
    (pkg/cmd/helpers.go cmdGetDryRunFlagStrategy) and a bad value is refused."""
    chart = str(write_demo_chart(tmp_path))
    nowhere = tmp_path / "no-kubeconfig"
    env = {**helm_env, "KUBECONFIG": str(nowhere)}
    for flag in ("--dry-run", "--dry-run=client", "--dry-run=true", "--dry-run=bogus"):
        args = ("install", "demo", chart, "--set", "hook=pre-install", flag, "-n", "preview")
        mine = _otterhelm(nowhere, *args, ok=flag != "--dry-run=bogus")
        helms = subprocess.run(
            [str(helm_binary), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert mine.returncode == helms.returncode, flag
        assert _summary(mine.stdout, "preview") == _summary(helms.stdout, "preview"), flag
        assert mine.stderr == helms.stderr, flag
        if flag != "--dry-run=bogus":
            assert "DESCRIPTION: Dry run complete\n" in mine.stdout
            assert "# Source: demo/templates/hook.yaml\n" in mine.stdout


def _without_ages(text: str) -> str:
    """Status output with what changes from second to second masked: table ages, times."""
    import re

    text = re.sub(r"\b\d+[smhdy]\w*$", "<age>", text, flags=re.M)
    text = re.sub(r'"(creationTimestamp|time|first_deployed|last_deployed)":"[^"]*"', r'"\1":"<t>"', text)
    if "RESOURCES:\n" in text:
        # helm prints the kinds in Go map order, which changes from run to run.
        head, rest = text.split("RESOURCES:\n", 1)
        blocks, tail = rest.split("\n\nTEST SUITE:", 1)
        kinds = sorted(block.strip("\n") for block in blocks.split("==> ") if block.strip())
        text = head + "RESOURCES:\n" + "\n\n".join(kinds) + "\n\nTEST SUITE:" + tail
    return "\n".join(_summary(text, "<none>"))


def test_status_shows_live_objects_and_related_pods_as_helm_does(
    kubeconfig: Path, namespace: str, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    """pkg/action/status.go: the live objects by version/Kind (server tables for a table, the
    objects for JSON), a workload followed by the pods its selector matches, no chart."""
    chart = str(write_demo_chart(tmp_path))
    ns = ("-n", namespace)
    _otterhelm(kubeconfig, "install", "demo", chart, "--set", "extra=true,deployment=true", *ns)
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "demo-pod", "labels": {"app": "demo"}},
        "spec": {"containers": [{"name": "app", "image": "registry.invalid/app:1"}]},
    }
    from otterhelm.kube import KubeClient, load_kubeconfig

    async def create_pod() -> None:
        client = KubeClient(load_kubeconfig(kubeconfig))
        try:
            await client.request("POST", f"/api/v1/namespaces/{namespace}/pods", identity=None, body=pod)
        finally:
            await client.aclose()

    import asyncio

    asyncio.run(create_pod())
    for output in ("table", "json", "yaml"):
        ours = _otterhelm(kubeconfig, "status", "demo", "-o", output, *ns).stdout
        helms = subprocess.run(
            [str(helm_binary), "status", "demo", "-o", output, *ns],
            env=helm_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        if output == "json":
            assert '"chart"' not in ours and '"v1/Pod(related)"' in ours
        assert _without_ages(ours) == _without_ages(helms), output
    table = _otterhelm(kubeconfig, "status", "demo", *ns).stdout
    assert "==> v1/Deployment\n" in table and "==> v1/Pod(related)\n" in table


def test_reading_commands_print_byte_for_byte_what_helm_prints(
    kubeconfig: Path, namespace: str, tmp_path: Path, helm_binary: Path, helm_env: dict[str, str]
) -> None:
    """The same stored releases read by both: `get all|metadata|values`, history and list in
    every output format (pkg/cmd/get_*.go, history.go, list.go)."""
    chart = str(write_demo_chart(tmp_path))
    ns = ("-n", namespace)
    _otterhelm(kubeconfig, "install", "demo", chart, "--set", "greeting=hi,port=81", *ns)
    _otterhelm(kubeconfig, "install", "bare", chart, *ns)
    commands: list[tuple[str, ...]] = []
    for name in ("demo", "bare"):
        commands += [("get", "all", name), ("get", "values", name), ("get", "values", name, "-a")]
        for output in ("table", "json", "yaml"):
            commands += [
                ("get", "metadata", name, "-o", output),
                ("get", "values", name, "-o", output),
                ("get", "values", name, "-a", "-o", output),
                ("history", name, "-o", output),
            ]
    commands += [("list", "-o", output) for output in ("table", "json", "yaml")]
    for command in commands:
        ours = _otterhelm(kubeconfig, *command, *ns).stdout
        helms = subprocess.run(
            [str(helm_binary), *command, *ns], env=helm_env, capture_output=True, text=True, check=True
        ).stdout
        assert ours == helms, command


def test_a_release_command_whose_output_nobody_reads_ends_quietly(
    kubeconfig: Path, namespace: str, tmp_path: Path
) -> None:
    """`otterhelm get all NAME | head` with the reader gone: SIGPIPE ends the command, as it
    ends helm, instead of a BrokenPipeError traceback."""
    chart = str(write_demo_chart(tmp_path))
    _otterhelm(kubeconfig, "install", "demo", chart, "-n", namespace)
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    command = [sys.executable, "-c", "from otterhelm.cli.main import main; main()", "get", "all", "demo"]
    writer = subprocess.Popen(
        [*command, "-n", namespace], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()
    assert writer.stderr.read() == b""
    assert writer.wait(timeout=120) == -13
