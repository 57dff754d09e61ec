"""Command-line flags that several commands share, spelled and parsed as helm's are."""

from __future__ import annotations

from otterhelm.cli.flagtable import Flag

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from otterhelm.cli.flagtable import ParsedArgs
    from otterhelm.codec.yaml_cache import YamlDocuments

# helm's values flags (pkg/cli/values): -f files, then --set-json, --set, --set-string,
# --set-file and --set-literal, merged in that order by `user_values`.
VALUE_FLAGS = (
    Flag(("-f", "--values"), "values", "csv", help="specify values in a YAML file (can specify multiple)"),
    Flag(("--set",), "set", "append", help="set values on the command line"),
    Flag(("--set-string",), "set_string", "append", help="set STRING values on the command line"),
    Flag(("--set-file",), "set_file", "append", help="set values from files"),
    Flag(("--set-json",), "set_json", "append", help="set JSON values on the command line"),
    Flag(("--set-literal",), "set_literal", "append", help="set a literal STRING value"),
)


def add_value_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare VALUE_FLAGS on an argparse parser."""
    from otterhelm.cli.argparsing import add_flags

    add_flags(parser, VALUE_FLAGS)


def user_values(args: ParsedArgs, documents: YamlDocuments | None = None) -> dict[str, Any]:
    """The user-supplied values the flags of `add_value_arguments` describe; `documents`
    decodes the -f files."""
    from otterhelm.values.options import ValueOptions

    return ValueOptions(
        value_files=list(args.values),
        json_values=list(args.set_json),
        values=list(args.set),
        string_values=list(args.set_string),
        file_values=list(args.set_file),
        literal_values=list(args.set_literal),
    ).merge(documents=documents)
