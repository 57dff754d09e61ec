"""`otterhelm devcluster up|env|down` as a user runs it: the daemons outlive `up`, and `down`
leaves none of them behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from otterhelm.devcluster import Toolchain


def _alive(pid: int) -> bool:
    """Whether `pid` is a live process. A daemon whose `up` command has exited belongs to init,
    which reaps it on its own schedule, so a zombie counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return not stat[stat.rfind(")") + 2 :].startswith("Z")


def _otterhelm(
    state_dir: Path, toolchain: Toolchain, *args: str, state_dir_after_action: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OTTERHELM_TOOLS_DIR": str(toolchain.tools_dir)}
    state_option = ["--state-dir", str(state_dir)]
    arguments = [*args, *state_option] if state_dir_after_action else [*state_option, *args]
    return subprocess.run(
        [sys.executable, "-m", "otterhelm", "devcluster", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.usefixtures("devcluster")  # the tools are known to work once the session cluster runs
def test_up_env_down_leaves_no_process_behind(tmp_path: Path, toolchain: Toolchain) -> None:
    state_dir = tmp_path / "cluster"
    pids: list[int] = []
    up = _otterhelm(state_dir, toolchain, "up")
    try:
        assert up.returncode == 0, up.stderr
        kubeconfig = state_dir.resolve() / "kubeconfig.yaml"
        assert up.stdout.strip() == f"export KUBECONFIG={kubeconfig}"
        state = json.loads((state_dir / "state.json").read_text())
        pids += [state["etcd"]["pid"], state["apiserver"]["pid"]]
        for pid in pids:
            assert _alive(pid), "daemons must outlive the `up` command"

        env = _otterhelm(state_dir, toolchain, "env", state_dir_after_action=True)
        assert env.returncode == 0, env.stderr
        assert env.stdout.strip() == f"export KUBECONFIG={kubeconfig}"
    finally:
        down = _otterhelm(state_dir, toolchain, "down")
    assert down.returncode == 0, down.stderr
    for pid in pids:
        assert not _alive(pid)
    assert not (state_dir / "state.json").exists()

    after = _otterhelm(state_dir, toolchain, "env")
    assert after.returncode == 1
    assert "no devcluster running" in after.stderr

    purge = _otterhelm(state_dir, toolchain, "down", "--purge")
    assert purge.returncode == 0
    assert not state_dir.exists()


def test_up_without_built_tools_fails_with_instructions(tmp_path: Path) -> None:
    result = _otterhelm(tmp_path / "cluster", Toolchain(tmp_path / "no-tools"), "up")
    assert result.returncode == 1
    assert "run scripts/tools" in result.stderr
