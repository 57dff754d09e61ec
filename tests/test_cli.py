import argparse
import csv
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otterhelm.cachedir import PrivateDirectory
from otterhelm.cli import template
from otterhelm.cli.flagtable import csv_fields
from otterhelm.cli.main import main
from otterhelm.errors import InvalidArgument
from otterhelm.render.capabilities import generic_version_number
from otterhelm.render.pipeline import validate_release_name


def test_help_lists_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "otterhelm", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("serve", "devcluster", "template"):
        assert command in out


def test_unknown_command_exits_2() -> None:
    proc = subprocess.run([sys.executable, "-m", "otterhelm", "nope"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "unknown command" in proc.stderr


# -- release names (Helm's ValidateReleaseName, pkg/chart/common/util/validate_name.go) -------

# The pattern Helm's error message quotes; the check itself is written without a regex.
HELM_RELEASE_NAME = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"


def release_name_accepted(name: str) -> bool:
    try:
        validate_release_name(name)
    except InvalidArgument:
        return False
    return True


@pytest.mark.parametrize(
    ("name", "accepted"),
    [
        ("myrel", True),
        ("a", True),
        ("0", True),
        ("a-b.c-d", True),
        ("a.b.c", True),
        ("a" * 53, True),
        ("a" * 54, False),
        ("", False),
        ("-a", False),
        ("a-", False),
        ("a..b", False),
        (".a", False),
        ("a.", False),
        ("a.-b", False),
        ("My-Rel", False),
        ("a_b", False),
        ("a b", False),
        ("é", False),
        ("a\n", False),
    ],
)
def test_release_name_check(name: str, accepted: bool) -> None:
    assert release_name_accepted(name) is accepted
    assert release_name_accepted(name) == bool(len(name) <= 53 and re.fullmatch(HELM_RELEASE_NAME, name))


@given(st.text(alphabet="ab9-.Z_\n", max_size=12))
def test_release_name_check_agrees_with_helms_pattern(name: str) -> None:
    assert release_name_accepted(name) == bool(name and re.fullmatch(HELM_RELEASE_NAME, name))


def test_template_reports_an_invalid_release_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = tmp_path / "demo"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n")
    assert main(["template", "Bad_Name", str(chart)]) == 1
    assert capsys.readouterr().err == (
        'Error: release name check failed: release name "Bad_Name": invalid release name, must match regex '
        f"^{HELM_RELEASE_NAME}$ and the length must not be longer than 53\n"
    )
    assert main(["template", "good.name", str(chart)]) == 0
    assert "name: good.name" in capsys.readouterr().out


# -- the template command line read without argparse -------------------------------------------


def argparse_template_args(argv: list[str]) -> dict[str, Any] | None:
    """What the template command's argparse parser makes of `argv`; None for a usage error."""
    parser = argparse.ArgumentParser(prog="otterhelm template")
    template.add_arguments(parser)
    try:
        return vars(parser.parse_args(argv))
    except SystemExit:
        return None


USUAL_COMMAND_LINES = [
    ["myrel", "./chart", "--namespace", "demo", "--kube-version", "1.34.0"],
    ["./chart"],
    ["myrel", "./chart", "-n", "demo", "-f", "a.yaml,b.yaml", "--values", "c.yaml", "--set", "a=1,b=2"],
    [
        "--set-string",
        "x=1",
        "rel",
        "--set-json",
        '{"a":1}',
        "chart",
        "--set-file",
        "k=f",
        "--set-literal",
        "l=,",
    ],
    [
        "rel",
        "chart",
        "-a",
        "v1",
        "--api-versions",
        "x/v1,y/v2",
        "--api-versions=z/v1",
        "-s",
        "templates/a.yaml",
    ],
    [
        "rel",
        "chart",
        "--include-crds",
        "--skip-tests=true",
        "--no-hooks=false",
        "--debug",
        "-g",
        "--strict=0",
    ],
    ["rel", "chart", "--dry-run", "server", "--is-upgrade", "--output-dir", "out", "--release-name"],
    ["rel", "chart", "--dry-run=client", "--version", "1.0", "--timeout=5m", "-l", "x", "--labels", "a=b"],
    ["rel", "chart", "--namespace=", "--kube-version=v1.30.0", "--name-template", "n", "--enable-dns"],
    ["rel", "chart", "-a", '"a,b",c', "-f", "", "--set", "", "--namespace", "a", "--namespace", "b"],
    ["rel", "chart", "--post-renderer", "p", "--post-renderer-args", "x", "--repo", "r", "--validate"],
]


@pytest.mark.parametrize("argv", USUAL_COMMAND_LINES)
def test_usual_template_command_lines_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    usual = template.parse_usual(argv)
    assert usual is not None
    assert vars(usual) == argparse_template_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["-h"],
        ["rel", "chart", "--help"],
        ["rel", "chart", "--names", "demo"],  # an abbreviation argparse accepts
        ["rel", "chart", "-ndemo"],
        ["rel", "chart", "-n=demo"],
        ["rel", "chart", "--namespace"],
        ["rel", "chart", "--namespace", "-x"],
        ["rel", "chart", "--set", "--debug"],
        ["rel", "chart", "--", "--x"],
        ["rel", "-", "chart"],
        ["rel", "chart", "--bogus"],
        ["rel", "chart", "--no-value-debug=x"],
        ["rel", "chart", "-gn", "demo"],
    ],
)
def test_unusual_template_command_lines_are_left_to_argparse(argv: list[str]) -> None:
    assert template.parse_usual(argv) is None


TOKENS = [
    "rel", "./chart", "demo", "x=1,y=2", "a.yaml", "v1", "", " -x", "a b", "-1",
    "-n", "--namespace", "--namespace=demo", "-a", "--api-versions", '--api-versions="a,b",c',
    "-f", "--values=v.yaml", "--set", "--set-string", "--set-json", "--set-file", "--set-literal",
    "-s", "--show-only", "--output-dir", "--name-template", "--kube-version", "--kube-version=",
    "--debug", "--debug=false", "--include-crds=1", "-g", "--generate-name=F", "--no-value-strict",
    "--dry-run", "--dry-run=server", "--post-renderer-args", "--version", "-l", "--labels",
    "--names", "-ndemo", "-n=demo", "--", "-", "--bogus", "-h", "--no-value-debug=1",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=8))
def test_template_command_lines_read_without_argparse_agree_with_it(argv: list[str]) -> None:
    usual = template.parse_usual(argv)
    if usual is not None:
        assert vars(usual) == argparse_template_args(argv)


@given(st.text(alphabet='ab,"\n\r \t', max_size=10))
def test_csv_fields_are_what_the_csv_module_reads(text: str) -> None:
    try:
        expected = [field for record in csv.reader([text]) for field in record]
    except csv.Error:
        with pytest.raises(csv.Error):
            csv_fields(text)
        return
    assert csv_fields(text) == expected


def test_a_usual_template_command_line_does_not_import_argparse() -> None:
    code = (
        "import sys; from otterhelm.cli.main import parse_command_line; "
        "from otterhelm.cli import template; "
        "args = parse_command_line('template', template, ['rel', 'chart', '-n', 'demo', '--set', 'a=1']); "
        "print(args.namespace, args.set, 'argparse' in sys.modules, 'gettext' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "demo ['a=1'] False False\n"


# -- --kube-version (k8s.io/apimachinery/pkg/util/version ParseGeneric, as Helm calls it) ------

GENERIC_VERSION = re.compile(r"^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$", re.DOTALL)


@pytest.mark.parametrize(
    "text",
    [
        "1.34.0",
        "v1.30.2-gke.1",
        " \t\nv1.2",
        "1",
        "1.",
        "1..2",
        "1.2.x",
        "v",
        "vv1.2",
        "V1.2",
        "",
        "x1.2",
        "1.2.3.4",
    ],
)
def test_generic_version_number_reads_what_the_pattern_reads(text: str) -> None:
    match = GENERIC_VERSION.match(text)
    assert generic_version_number(text) == (match.group(1) if match else None)


@given(st.text(alphabet="v0129.-+ \t\n\x1c\u00a0\u0663x", max_size=12))
def test_generic_version_number_agrees_with_the_pattern(text: str) -> None:
    match = GENERIC_VERSION.match(text)
    assert generic_version_number(text) == (match.group(1) if match else None)


def _small_chart(root: Path) -> Path:
    chart = root / "small"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: small\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n")
    return chart


def _template_command(chart: Path) -> list[str]:
    """`otterhelm template r CHART` as its own process, the way the launcher runs main()."""
    return [
        sys.executable,
        "-c",
        "from otterhelm.startup import launch; launch()",
        "template",
        "r",
        str(chart),
    ]


def test_output_nobody_reads_ends_the_command_quietly(tmp_path: Path) -> None:
    """`otterhelm template ... | head`: a reader gone before the output is written ends the
    command as it ends helm, with nothing on stderr (no Python traceback)."""
    writer = subprocess.Popen(
        _template_command(_small_chart(tmp_path)), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()
    assert writer.stderr.read() == b""
    assert writer.wait(timeout=120) in (0, -13)  # -13: ended by SIGPIPE, as a Go program is


def test_template_command_tidies_its_caches(tmp_path: Path) -> None:
    """A command keeps the caches it fills within bounds (cachedir.prune_if_due)."""
    cache = tmp_path / "cache"
    stale = PrivateDirectory(cache / "otterhelm" / "templates")
    stale.write("dd01", b"x")
    os.utime(stale.path("dd01"), (1_000_000.0, 1_000_000.0))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        _template_command(_small_chart(tmp_path)),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "kind: ConfigMap" in done.stdout
    assert not os.path.exists(stale.path("dd01"))
    assert (cache / "otterhelm" / "templates" / ".pruned").exists()
    assert (cache / "otterhelm" / "documents" / ".pruned").exists()
    assert (cache / "otterhelm" / "startup" / ".pruned").exists()


def test_the_command_runs_the_same_from_empty_and_filled_start_up_files(tmp_path: Path) -> None:
    """The launcher's module bundle and regular expression programs (otterhelm.startup) change
    nothing a command prints, whether they are being made or used."""
    chart = _small_chart(tmp_path)
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | sha256sum | trunc 8 }}\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    outputs = [
        subprocess.run(
            _template_command(chart), env=env, capture_output=True, text=True, timeout=120, check=True
        ).stdout
        for _ in range(3)
    ]
    assert outputs[0] == outputs[1] == outputs[2]
    assert "name: 454349e4" in outputs[0]  # hashlib.sha256(b"r"), first 8 hex digits
    startup = tmp_path / "cache" / "otterhelm" / "startup"
    assert [p for p in startup.rglob("*") if p.is_file()]
