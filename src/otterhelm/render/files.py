"""`.Files` in templates: a chart's non-template files (Helm's pkg/engine/files.go).

A Go `map[string][]byte` with methods, so `.Files.Get "x"`, `index .Files "x"`, `range` and
`.Files.Glob "conf/*" | ...AsConfig` all behave as in Helm.
"""

from __future__ import annotations

import importlib
import posixpath
from collections.abc import Callable, Iterable, Mapping

from otterhelm.render.glob import helm_glob_matcher
from otterhelm.template.gotypes import STRING, STRINGS, Func, GoObject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeAlias

ToYaml: TypeAlias = "Callable[[Any], str]"


def _default_to_yaml(value: Any) -> str:
    # Imported on first use: most renders never call AsConfig/AsSecrets.
    codec = importlib.import_module("otterhelm.codec.yaml")
    return str(codec.to_yaml(value))


class Files(dict[str, bytes], GoObject):
    """The files of one chart, keyed by chart-relative path."""

    go_type: ClassVar[str] = "engine.files"

    def __init__(self, items: Iterable[tuple[str, bytes]] = (), to_yaml: ToYaml = _default_to_yaml) -> None:
        super().__init__(items)
        self._to_yaml = to_yaml

    def get_bytes(self, name: str) -> bytes:
        return self.get(name, b"")

    def get_string(self, name: str) -> str:
        return self.get_bytes(name).decode("utf-8", errors="surrogateescape")

    def glob(self, pattern: str) -> Files:
        matches = helm_glob_matcher(pattern)
        return Files(((k, v) for k, v in self.items() if matches(k)), self._to_yaml)

    def as_config(self) -> str:
        # Basename collisions overwrite each other, as in Helm (which one wins is unspecified there).
        return self._to_yaml(
            {posixpath.basename(k): v.decode("utf-8", errors="surrogateescape") for k, v in self.items()}
        )

    def as_secrets(self) -> str:
        import base64  # rarely used, and a start-up cost for every render otherwise

        return self._to_yaml(
            {posixpath.basename(k): base64.b64encode(v).decode("ascii") for k, v in self.items()}
        )

    def lines(self, name: str) -> list[str]:
        data = self.get(name, b"")
        if not data:
            return []
        text = data.decode("utf-8", errors="surrogateescape")
        if text.endswith("\n"):
            text = text[:-1]
        return text.split("\n")

    go_methods: ClassVar[Mapping[str, Func]] = {
        "Get": Func(lambda self, name: self.get_string(name), (STRING,)),
        "GetBytes": Func(lambda self, name: self.get_bytes(name), (STRING,)),
        "Glob": Func(lambda self, pattern: self.glob(pattern), (STRING,)),
        "AsConfig": Func(lambda self: self.as_config(), ()),
        "AsSecrets": Func(lambda self: self.as_secrets(), ()),
        "Lines": Func(lambda self, name: _StringList(self.lines(name)), (STRING,)),
    }


class _StringList(list[str], GoObject):
    """A Go []string (Lines' result), which `%T` and typeOf report as such."""

    go_type: ClassVar[str] = STRINGS
