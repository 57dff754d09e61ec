"""Reading into nested values the way Helm's common.Values does (Table, PathValue)."""

from __future__ import annotations

from otterhelm.errors import InvalidArgument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

GLOBAL_KEY = "global"


class NoTable(InvalidArgument):
    """ErrNoTable: a path element is missing or is not a map."""

    def __init__(self, key: str) -> None:
        super().__init__(f'"{key}" is not a table')
        self.key = key


class NoValue(InvalidArgument):
    """ErrNoValue: the path does not end at a non-table value."""

    def __init__(self, key: str) -> None:
        super().__init__(f'"{key}" is not a value')
        self.key = key


def table(values: dict[str, Any], name: str) -> dict[str, Any]:
    """Values.Table: the map at dotted path `name`, or NoTable."""
    current = values
    for part in name.split("."):
        found = current.get(part)
        if part not in current or not isinstance(found, dict):
            raise NoTable(part)
        current = found
    return current


def path_value(values: dict[str, Any], path: str) -> Any:
    """Values.PathValue: the non-table value at dotted `path`, or NoValue."""
    if path == "":
        raise InvalidArgument("YAML path cannot be empty")
    parts = path.split(".")
    key = parts[-1]
    if len(parts) == 1:
        container = values
    else:
        try:
            container = table(values, ".".join(parts[:-1]))
        except NoTable:
            raise NoValue(key) from None
    if key in container and not isinstance(container[key], dict):
        return container[key]
    raise NoValue(key)
