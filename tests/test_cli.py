import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otterhelm.cli.main import main
from otterhelm.errors import InvalidArgument
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
