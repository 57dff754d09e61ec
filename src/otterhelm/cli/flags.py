"""Command-line flags that several commands share, spelled and parsed as helm's are."""

from __future__ import annotations

import argparse
from typing import Any


class CsvAppend(argparse.Action):
    """pflag's StringSlice: each occurrence is a CSV record, all records accumulate."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option: str | None = None
    ) -> None:
        current = list(getattr(namespace, self.dest) or [])
        import csv  # only when a list flag is given

        for record in csv.reader([str(values)]):
            current.extend(record)
        setattr(namespace, self.dest, current)


def add_value_arguments(parser: argparse.ArgumentParser) -> None:
    """helm's values flags (pkg/cli/values): -f files, then --set-json, --set, --set-string,
    --set-file and --set-literal, merged in that order by `user_values`."""
    parser.add_argument(
        "-f",
        "--values",
        action=CsvAppend,
        default=[],
        help="specify values in a YAML file (can specify multiple)",
    )
    parser.add_argument("--set", action="append", default=[], help="set values on the command line")
    parser.add_argument(
        "--set-string", action="append", default=[], help="set STRING values on the command line"
    )
    parser.add_argument("--set-file", action="append", default=[], help="set values from files")
    parser.add_argument("--set-json", action="append", default=[], help="set JSON values on the command line")
    parser.add_argument("--set-literal", action="append", default=[], help="set a literal STRING value")


def user_values(args: argparse.Namespace) -> dict[str, Any]:
    """The user-supplied values the flags of `add_value_arguments` describe."""
    from otterhelm.values.options import ValueOptions

    return ValueOptions(
        value_files=list(args.values),
        json_values=list(args.set_json),
        values=list(args.set),
        string_values=list(args.set_string),
        file_values=list(args.set_file),
        literal_values=list(args.set_literal),
    ).merge()
