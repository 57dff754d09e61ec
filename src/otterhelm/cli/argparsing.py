"""The argparse side of the command line: the help layout, helm-style usage errors, pflag's
list flags, and declaring a flag table on a parser. Imported only when a command line is
read by argparse (help, errors, the commands without a flag table, unusual spellings)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from otterhelm.cli.flagtable import Flag, csv_fields


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


class HelmStyleParser(argparse.ArgumentParser):
    """Reports usage errors as Helm does: `Error: ...` on stderr and exit code 1."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"Error: {message}\n")
        raise SystemExit(1)


class CsvAppend(argparse.Action):
    """pflag's StringSlice: each occurrence is a CSV record, all records accumulate."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option: str | None = None
    ) -> None:
        current = list(getattr(namespace, self.dest) or [])
        current.extend(csv_fields(str(values)))
        setattr(namespace, self.dest, current)


def add_flags(parser: argparse.ArgumentParser, flags: Sequence[Flag]) -> None:
    """Declare `flags` on `parser`, in order (the order --help lists them in)."""
    for flag in flags:
        help_text = argparse.SUPPRESS if flag.help is None else flag.help
        if flag.kind in ("true", "false"):
            action = "store_true" if flag.kind == "true" else "store_false"
            parser.add_argument(*flag.names, dest=flag.dest, action=action, help=help_text)
        elif flag.kind == "value":
            parser.add_argument(*flag.names, dest=flag.dest, default=flag.default, help=help_text)
        else:
            action_type: type[argparse.Action] | str = CsvAppend if flag.kind == "csv" else "append"
            parser.add_argument(*flag.names, dest=flag.dest, action=action_type, default=[], help=help_text)
