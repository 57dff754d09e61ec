"""`otterhelm template` against the real helm v4.3.1 on a chart written to exercise the
pipeline: subcharts (aliased, disabled, library), hooks (weights, tests, unknown events),
CRDs, NOTES.txt, glued and comment-only documents, .Files, tpl, capabilities and flags."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHART = Path(__file__).parent / "data" / "charts" / "demo"
BASE = ["template", "myrel", str(CHART), "--namespace", "demo", "--kube-version", "1.34.0"]

VARIANTS = {
    "defaults": [],
    "crds-and-values": [
        "--include-crds",
        "--set",
        "worker.enabled=true",
        "--set",
        "image.tag=2.0,replicaCount=3",
    ],
    "set-string-and-json": [
        "--set-string",
        "replicaCount=5",
        "--set-json",
        'config={"greeting":"hi","n":[1,2]}',
    ],
    "show-only": ["--show-only", "templates/sub/role.yaml", "--show-only", "templates/s*.yaml"],
    "show-only-subchart": ["-s", "charts/backend/templates/service.yaml"],
    "no-hooks": ["--no-hooks"],
    "skip-tests-upgrade": ["--skip-tests", "--is-upgrade"],
    "api-versions": ["--api-versions", "example.com/v1,other/v2"],
    "disable-backend": ["--set", "backend.enabled=false"],
    "old-kube": ["--kube-version", "1.19.0"],
    "missing-show-only": ["--show-only", "templates/nope.yaml"],
    "bad-values-file": ["-f", "/nonexistent/values.yaml"],
    "bad-set": ["--set", "a=b,c"],
}


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    # Compare bytes exactly: rendered text may hold bytes that are not UTF-8.
    done = subprocess.run(cmd, capture_output=True, check=False, timeout=120)
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "surrogateescape"),
        done.stderr.decode("utf-8", "surrogateescape"),
    )


def otterhelm() -> list[str]:
    return [str(Path(sys.executable).parent / "otterhelm")]


def first_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Error:")]
    return lines[0] if lines else ""


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_same_output_as_helm(helm_binary: Path, variant: str) -> None:
    args = BASE + VARIANTS[variant]
    want = run([str(helm_binary), *args])
    got = run([*otterhelm(), *args])
    assert got.returncode == want.returncode, got.stderr
    assert got.stdout == want.stdout
    assert first_error_line(got.stderr) == first_error_line(want.stderr)


def test_name_template(helm_binary: Path) -> None:
    args = [
        "template",
        str(CHART),
        "--name-template",
        'x-{{ "ABC" | lower }}-{{ b64enc "abc" }}',
        "-n",
        "demo",
    ]
    want = run([str(helm_binary), *args])
    got = run([*otterhelm(), *args])
    assert (got.returncode, got.stdout) == (want.returncode, want.stdout)


def test_output_dir(helm_binary: Path, tmp_path: Path) -> None:
    outputs = {}
    for tool, cmd in (("helm", [str(helm_binary)]), ("otterhelm", otterhelm())):
        target = tmp_path / tool
        result = run([*cmd, *BASE, "--include-crds", "--output-dir", str(target), "--release-name"])
        assert result.returncode == 0, result.stderr
        files = {str(p.relative_to(target)): p.read_text() for p in sorted(target.rglob("*")) if p.is_file()}
        outputs[tool] = (result.stdout.replace(str(target), "<dir>"), files)
        shutil.rmtree(target)
    assert outputs["otterhelm"] == outputs["helm"]
