"""The warm `otterhelm template` server gives exactly the in-process results."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHART = Path(__file__).parent / "data" / "charts" / "demo"
OTTERHELM = str(Path(sys.executable).parent / "otterhelm")


def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    p = subprocess.run([OTTERHELM, *args], capture_output=True, text=True, env=env, check=False, timeout=120)
    return p.returncode, p.stdout, p.stderr


def test_warm_server_matches_in_process() -> None:
    # Unix socket paths are limited to about 100 bytes, so not pytest's long tmp_path.
    tmp_path = Path(tempfile.mkdtemp(prefix="ohw", dir="/tmp"))
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}
    env.pop("OTTERHELM_NO_WARM_SERVER", None)
    cold = {**env, "OTTERHELM_NO_WARM_SERVER": "1"}
    cases = [
        ["template", "rel", str(CHART), "-n", "ns", "--include-crds"],
        ["template", "rel", str(CHART), "--show-only", "templates/nope.yaml"],
        ["template", "rel", str(CHART), "--set", "a=b,c"],
    ]
    expected = [run(args, cold) for args in cases]
    run(cases[0], env)  # starts the server in the background
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("otterhelm-template-*.sock")):
        assert time.monotonic() < deadline, "warm server did not start"
        time.sleep(0.2)
    socket_file = next(tmp_path.glob("otterhelm-template-*.sock"))
    try:
        for args, want in zip(cases, expected, strict=True):
            assert run(args, env) == want
        # Relative paths resolve against the caller's working directory.
        relative = ["template", "rel", CHART.name, "-n", "ns"]
        want_rel = subprocess.run(
            [OTTERHELM, *relative], capture_output=True, text=True, env=cold, cwd=CHART.parent, check=False
        )
        got_rel = subprocess.run(
            [OTTERHELM, *relative], capture_output=True, text=True, env=env, cwd=CHART.parent, check=False
        )
        assert (got_rel.returncode, got_rel.stdout, got_rel.stderr) == (
            want_rel.returncode,
            want_rel.stdout,
            want_rel.stderr,
        )
        assert want_rel.returncode == 0
    finally:
        socket_file.unlink()  # the server notices and exits
        shutil.rmtree(tmp_path, ignore_errors=True)
