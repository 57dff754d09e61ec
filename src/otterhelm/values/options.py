"""User-supplied values from the command line, merged in Helm's order
(pkg/cli/values/options.go MergeValues): `-f` files, `--set-json`, `--set`,
`--set-string`, `--set-file`, `--set-literal`."""

from __future__ import annotations

import sys
from collections.abc import Callable

from otterhelm.codec import json as codec_json
from otterhelm.codec import yaml as codec_yaml
from otterhelm.codec.yaml_cache import YamlDocuments
from otterhelm.errors import InvalidArgument
from otterhelm.template.records import Record
from otterhelm.values import strvals

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FileReader = Callable[[str], bytes]


class ValuesError(InvalidArgument):
    """User values that cannot be read or parsed; str() is Helm's message."""


def read_local_file(path: str) -> bytes:
    """Helm's readFile for local paths, with `-` meaning standard input."""
    if path.strip() == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ValuesError(f"open {path}: no such file or directory") from None
    except IsADirectoryError:
        raise ValuesError(f"read {path}: is a directory") from None
    except PermissionError:
        raise ValuesError(f"open {path}: permission denied") from None


class ValueOptions(Record):
    __slots__ = ("file_values", "json_values", "literal_values", "string_values", "value_files", "values")

    def __init__(
        self,
        value_files: list[str] | None = None,
        json_values: list[str] | None = None,
        values: list[str] | None = None,
        string_values: list[str] | None = None,
        file_values: list[str] | None = None,
        literal_values: list[str] | None = None,
    ) -> None:
        self.value_files: list[str] = [] if value_files is None else value_files
        self.json_values: list[str] = [] if json_values is None else json_values
        self.values: list[str] = [] if values is None else values
        self.string_values: list[str] = [] if string_values is None else string_values
        self.file_values: list[str] = [] if file_values is None else file_values
        self.literal_values: list[str] = [] if literal_values is None else literal_values

    def merge(
        self, read_file: FileReader = read_local_file, documents: YamlDocuments | None = None
    ) -> dict[str, Any]:
        """The user values map (chart defaults not included); `documents` decodes the `-f`
        files (give it a cache to keep decodes between runs)."""
        documents = documents if documents is not None else YamlDocuments()
        base: dict[str, Any] = {}
        for path in self.value_files:
            raw = read_file(path)
            try:
                current = documents.values(raw)
            except InvalidArgument as err:
                raise ValuesError(f"failed to parse {path}: {err}") from None
            base = codec_yaml.merge_maps(base, current)
        for value in self.json_values:
            trimmed = value.strip()
            if trimmed.startswith("{"):
                try:
                    loaded = codec_json.load(trimmed)
                except InvalidArgument:
                    raise ValuesError(f"failed parsing --set-json data JSON: {value}") from None
                if not isinstance(loaded, dict):
                    raise ValuesError(f"failed parsing --set-json data JSON: {value}")
                base = codec_yaml.merge_maps(base, loaded)
            else:
                try:
                    strvals.parse_json(value, base)
                except strvals.StrvalsError:
                    raise ValuesError(f"failed parsing --set-json data {value}") from None
        for value in self.values:
            try:
                strvals.parse_into(value, base)
            except strvals.StrvalsError as err:
                raise ValuesError(f"failed parsing --set data: {err}") from None
        for value in self.string_values:
            try:
                strvals.parse_into_string(value, base)
            except strvals.StrvalsError as err:
                raise ValuesError(f"failed parsing --set-string data: {err}") from None

        def file_value(path: str) -> Any:
            return read_file(path).decode("utf-8", errors="replace")

        for value in self.file_values:
            try:
                strvals.parse_into_file(value, base, file_value)
            except (strvals.StrvalsError, ValuesError) as err:
                raise ValuesError(f"failed parsing --set-file data: {err}") from None
        for value in self.literal_values:
            try:
                strvals.parse_literal_into(value, base)
            except strvals.StrvalsError as err:
                raise ValuesError(f"failed parsing --set-literal data: {err}") from None
        return base
