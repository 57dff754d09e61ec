"""The `otterhelm` command: a thin dispatcher that imports a subcommand only when it runs,
so that short commands such as `otterhelm template` start fast."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

# subcommand -> (module, one-line help). Each module defines
# `add_arguments(parser: argparse.ArgumentParser) -> None` and `run(args: argparse.Namespace) -> int`.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("otterhelm.cli.serve", "run the ApplicationService (Connect, gRPC, gRPC-Web) on one port"),
    "devcluster": ("otterhelm.cli.devcluster", "start, stop or describe a local kube-apiserver and etcd"),
    "template": ("otterhelm.cli.template", "render a chart locally, like `helm template`"),
    "pull": ("otterhelm.cli.pull", "download a chart from an OCI registry, a chart repository or a URL"),
    "push": ("otterhelm.cli.push", "push a packaged chart to an OCI registry as helm does"),
    "repo": ("otterhelm.cli.repo", "chart repository tools (`repo index DIR`)"),
    "install": ("otterhelm.cli.install", "install a chart as a release, like `helm install`"),
    "upgrade": ("otterhelm.cli.upgrade", "upgrade a release to a chart or values, like `helm upgrade`"),
    "rollback": ("otterhelm.cli.rollback", "roll a release back to an earlier revision"),
    "uninstall": ("otterhelm.cli.uninstall", "uninstall releases, like `helm uninstall`"),
    "list": ("otterhelm.cli.list", "list releases, like `helm list`"),
    "history": ("otterhelm.cli.history", "show a release's revisions"),
    "status": ("otterhelm.cli.status", "show a release's status"),
    "get": ("otterhelm.cli.get", "show a release's values, manifest, notes or hooks"),
}

# Commands whose process may end without the interpreter's teardown: they hold nothing that
# needs finalising (no child processes, temporary files or sockets) once their output is out,
# and teardown frees the whole heap object by object (about 0.2 s after the largest charts).
# The release commands run their action to the end inside asyncio.run, which closes the
# connections and joins the worker threads before returning.
SHORT_LIVED = frozenset(
    {"template", "install", "upgrade", "rollback", "uninstall", "list", "history", "status", "get"}
)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as $COLUMNS or the terminal like argparse's own, found
    without importing shutil (and with it bz2 and lzma), which argparse does every time a
    parser checks a new argument."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width
        )


def terminal_columns() -> int:
    """shutil.get_terminal_size's columns: $COLUMNS, else the terminal of stdout, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        parser = argparse.ArgumentParser(prog="otterhelm", formatter_class=HelpFormatter)
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name, (_, help_text) in COMMANDS.items():
            sub.add_parser(name, help=help_text)
        if not args or args[0] in ("-h", "--help"):
            parser.print_help()
            return 0 if args else 2
        parser.error(f"unknown command {args[0]!r}")
    name = args[0]
    module = importlib.import_module(COMMANDS[name][0])
    parser = argparse.ArgumentParser(
        prog=f"otterhelm {name}", description=COMMANDS[name][1], formatter_class=HelpFormatter
    )
    module.add_arguments(parser)
    parsed = parser.parse_args(args[1:])
    if argv is None and name in SHORT_LIVED:
        # The cyclic collector is off for good: the process ends right after the command.
        gc.disable()
        end_process(module.run(parsed))
    code: int = module.run(parsed)
    return code


def end_process(code: int) -> NoReturn:
    """Flush what was printed and leave at once, skipping teardown."""
    try:
        sys.stdout.flush()
    except OSError:
        code = code or 1
    sys.stderr.flush()
    os._exit(code)
