"""The `otterhelm` command: a thin dispatcher that imports a subcommand only when it runs,
so that short commands such as `otterhelm template` start fast."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

    from otterhelm.cli.flagtable import ParsedArgs

# subcommand -> (module, one-line help). Each module defines
# `add_arguments(parser: argparse.ArgumentParser) -> None` and `run(args: ParsedArgs) -> int`,
# and may define `parse_usual(argv) -> SimpleNamespace | None`, which reads the command's
# usual command lines without argparse (see flagtable) and returns None for the others.
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

# Commands that fill the template and document caches (and keep them within bounds).
CACHE_USERS = frozenset({"template", "install", "upgrade"})

# Commands whose process may end without the interpreter's teardown: they hold nothing that
# needs finalising (no child processes, temporary files or sockets) once their output is out,
# and teardown frees the whole heap object by object (about 0.2 s after the largest charts).
# The release commands run their action to the end inside asyncio.run, which closes the
# connections and joins the worker threads before returning.
SHORT_LIVED = frozenset(
    {"template", "install", "upgrade", "rollback", "uninstall", "list", "history", "status", "get"}
)


def main(argv: Sequence[str] | None = None, *, finish: Callable[[], None] | None = None) -> int:
    """Run one command. `finish` runs once the command is done, before the process ends (the
    launcher brings its module bundle up to date there)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None:
        # Output piped into `head` and the like ends the process quietly, as it ends helm
        # (Go leaves SIGPIPE's default action on stdout), not with a Python traceback.
        # `_signal` rather than `signal`, whose enum classes cost every command a millisecond.
        if TYPE_CHECKING:
            import signal as _signal
        else:
            import _signal
        _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    if not args or args[0] in ("-h", "--help") or args[0] not in COMMANDS:
        import argparse

        from otterhelm.cli.argparsing import HelpFormatter

        parser = argparse.ArgumentParser(prog="otterhelm", formatter_class=HelpFormatter)
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name, (_, help_text) in COMMANDS.items():
            sub.add_parser(name, help=help_text)
        if not args or args[0] in ("-h", "--help"):
            parser.print_help()
            return 0 if args else 2
        parser.error(f"unknown command {args[0]!r}")
    name = args[0]
    short_lived = argv is None and name in SHORT_LIVED
    if short_lived:
        # The cyclic collector is off for good: the process ends right after the command.
        gc.disable()
    elif argv is None:
        gc.enable()  # the launcher pauses it while importing; a long-running command needs it
    module = importlib.import_module(COMMANDS[name][0])
    parsed = parse_command_line(name, module, args[1:])
    if short_lived:
        status: int = module.run(parsed)
        if name in CACHE_USERS:
            tidy_caches()
        if finish is not None:
            finish()
        end_process(status)
    code: int = module.run(parsed)
    if finish is not None:
        finish()
    return code


def tidy_caches() -> None:
    """Keeps the caches a command filled within bounds (cachedir.prune_if_due: a stat per
    directory on most runs, a sweep once a day), after the command's output is out."""
    import time

    from otterhelm.cachedir import prune_if_due
    from otterhelm.codec.yaml_cache import default_document_cache_directory
    from otterhelm.startup import default_bundle_directory
    from otterhelm.template.treecache import default_cache_directory

    try:
        sys.stdout.flush()
    except OSError:
        return
    now = time.time()
    for directory in (
        default_cache_directory(),
        default_document_cache_directory(),
        default_bundle_directory(),
    ):
        prune_if_due(directory, now=now)


def parse_command_line(name: str, module: ModuleType, argv: list[str]) -> ParsedArgs:
    """The command's arguments: read by its `parse_usual` when it has one that accepts them,
    else by an argparse parser (which prints help and usage errors and exits for those)."""
    parse_usual = getattr(module, "parse_usual", None)
    if parse_usual is not None:
        usual: ParsedArgs | None = parse_usual(argv)
        if usual is not None:
            return usual
    import argparse

    from otterhelm.cli.argparsing import HelpFormatter

    parser = argparse.ArgumentParser(
        prog=f"otterhelm {name}", description=COMMANDS[name][1], formatter_class=HelpFormatter
    )
    module.add_arguments(parser)
    parsed: ParsedArgs = parser.parse_args(argv)
    return parsed


def end_process(code: int) -> NoReturn:
    """Flush what was printed and leave at once, skipping teardown."""
    try:
        sys.stdout.flush()
    except OSError:
        code = code or 1
    sys.stderr.flush()
    os._exit(code)
