"""Command-line flags declared as data, so that a command's usual command lines are read
without argparse.

Building an argparse parser for a command with a hundred flags, and importing argparse with
gettext and locale behind it, costs a short command such as `otterhelm template` several
milliseconds before it does any work. A command declares its flags once, as a table of
`Flag`s: `argparsing.add_flags` declares the table on an argparse parser (for --help, error
messages and every unusual spelling), and `parse_exact` reads a command line in which every
flag is spelled out exactly, giving what argparse would, or declines so that argparse parses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, Literal, TypeAlias

# What a command's `run` receives: argparse's result or `parse_exact`'s, read by attribute.
ParsedArgs: TypeAlias = "argparse.Namespace | SimpleNamespace"

# value: one argument, the last given wins; append: every argument, in order; csv: every
# argument read as a CSV record (pflag's StringSlice); true / false: takes no argument, sets
# the destination to True / False.
FlagKind: TypeAlias = 'Literal["value", "append", "csv", "true", "false"]'


class Flag:
    """One flag: its spellings (`-n`, `--namespace`), where its value goes, how it is read,
    its default (for `value` flags) and its help line (None: left out of --help).

    A plain slotted class: a NamedTuple or dataclass costs the start of every command more
    to define (typing compiles each annotation) than the table costs to build."""

    __slots__ = ("default", "dest", "help", "kind", "names")

    def __init__(
        self,
        names: tuple[str, ...],
        dest: str,
        kind: FlagKind = "value",
        default: str | None = None,
        help: str | None = None,
    ) -> None:
        self.names = names
        self.dest = dest
        self.kind = kind
        self.default = default
        self.help = help


def csv_fields(text: str) -> list[str]:
    """The fields of `text` read as one CSV record, as Python's csv module (and pflag's
    StringSlice, through Go's encoding/csv) reads them; an empty text has none."""
    if not text:
        return []
    if '"' in text or "\r" in text or "\n" in text or "\0" in text:
        import csv  # quoting and line breaks: only when a value has them

        return [field for record in csv.reader([text]) for field in record]
    return text.split(",")


def parse_exact(argv: Sequence[str], flags: Sequence[Flag], positionals: str) -> SimpleNamespace | None:
    """What argparse's parse_intermixed_args gives for `argv` on a parser declaring `flags`
    and one `nargs="*"` positional stored in `positionals`, when every argument is either a
    positional not starting with `-`, an exactly spelled flag (`--name`, `--name=value`,
    `--name value`, `-n value`) or a value following one. Anything else (help, abbreviated or
    unknown flags, `-nvalue`, `--`, values starting with `-`, a missing value) gives None:
    argparse then reads the command line and reports what it finds wrong."""
    by_name = {name: flag for flag in flags for name in flag.names}
    parsed: dict[str, Any] = {}
    for declared in flags:
        # Flags that share a destination (--x and its negation) take the first one's default.
        if declared.dest not in parsed:
            parsed[declared.dest] = _default(declared)
    parsed[positionals] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        index += 1
        if not arg.startswith("-"):
            parsed[positionals].append(arg)
            continue
        name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        flag = by_name.get(name)
        if flag is None:
            return None
        if flag.kind in ("true", "false"):
            if equals:
                return None
            parsed[flag.dest] = flag.kind == "true"
            continue
        if not equals:
            if index == len(argv) or argv[index].startswith("-"):
                return None
            value = argv[index]
            index += 1
        if flag.kind == "value":
            parsed[flag.dest] = value
        elif flag.kind == "append":
            parsed[flag.dest].append(value)
        else:
            parsed[flag.dest].extend(csv_fields(value))
    return SimpleNamespace(**parsed)


def _default(flag: Flag) -> Any:
    if flag.kind == "value":
        return flag.default
    if flag.kind in ("append", "csv"):
        return []
    return flag.kind == "false"
