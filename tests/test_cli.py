import subprocess
import sys


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
