"""Helm's serialization functions (pkg/engine/funcs.go, v4.3.1) and the JSON ones sprig keeps.

Helm's versions replace sprig's `toJson`, `fromJson` and `mustToJson`. The lenient ones return
"" (toYaml, toJson, toYamlPretty), an error map (`fromYaml`, `fromJson`, `fromToml`: the
message under "Error") or a one-element list (`fromYamlArray`, `fromJsonArray`); the `must`
forms raise. `toToml` returns the error text itself. sprig's `toRawJson` panics on error, which
the template reports like any function error.
"""

from __future__ import annotations

from otterhelm.codec import json as go_json
from otterhelm.codec import yaml as go_yaml
from otterhelm.codec.errors import CodecError
from otterhelm.template.gotypes import ANY, STRING, Func, FuncError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def to_yaml(value: Any) -> str:
    try:
        return go_yaml.to_yaml(value)
    except CodecError:
        return ""


def must_to_yaml(value: Any) -> str:
    try:
        return go_yaml.to_yaml(value)
    except CodecError as error:
        raise FuncError(str(error)) from None


def to_yaml_pretty(value: Any) -> str:
    try:
        return go_yaml.to_yaml_pretty(value)
    except CodecError:
        return ""


def from_yaml(text: str) -> dict[str, Any]:
    try:
        return go_yaml.load_map(text)
    except CodecError as error:
        return {"Error": str(error)}


def from_yaml_array(text: str) -> list[Any]:
    try:
        return go_yaml.load_list(text)
    except CodecError as error:
        return [str(error)]


def to_json(value: Any) -> str:
    try:
        return go_json.to_json(value)
    except CodecError:
        return ""


def must_to_json(value: Any) -> str:
    try:
        return go_json.to_json(value)
    except CodecError as error:
        raise FuncError(str(error)) from None


def from_json(text: str) -> dict[str, Any]:
    value, error = go_json.unmarshal(text, go_json.MAP_TYPE)
    result: dict[str, Any] = {} if value is None else value
    if error is not None:
        result["Error"] = error
    return result


def from_json_array(text: str) -> list[Any]:
    value, error = go_json.unmarshal(text, go_json.LIST_TYPE)
    if error is not None:
        return [error]
    return [] if value is None else list(value)


def must_from_json(text: str) -> Any:
    """sprig's mustFromJson: any JSON value, or the decoding error."""
    try:
        return go_json.load(text)
    except CodecError as error:
        raise FuncError(str(error)) from None


def to_pretty_json(value: Any) -> str:
    try:
        return go_json.to_pretty_json(value)
    except CodecError:
        return ""


def must_to_pretty_json(value: Any) -> str:
    try:
        return go_json.to_pretty_json(value)
    except CodecError as error:
        raise FuncError(str(error)) from None


def to_raw_json(value: Any) -> str:
    try:
        return go_json.to_raw_json(value)
    except CodecError as error:
        raise FuncError(str(error)) from None


def to_toml(value: Any) -> str:
    from otterhelm.codec import toml as go_toml

    try:
        return go_toml.to_toml(value)
    except go_toml.TomlPanic as error:
        raise FuncError(str(error)) from None
    except CodecError as error:
        return str(error)


def must_to_toml(value: Any) -> str:
    from otterhelm.codec import toml as go_toml

    try:
        return go_toml.to_toml(value)
    except CodecError as error:
        raise FuncError(str(error)) from None


def from_toml(text: str) -> dict[str, Any]:
    from otterhelm.codec import toml as go_toml

    try:
        result: dict[str, Any] = _with_go_times(go_toml.load(text))
    except CodecError as error:
        return {"Error": str(error)}
    return result


def _with_go_times(value: Any) -> Any:
    """TOML dates and times as the time.Time values BurntSushi gives: offset date-times in
    UTC or a fixed zone, local ones in its "datetime-local", "date-local" and "time-local"
    zones (local times on 0000-01-01)."""
    import datetime  # loaded by tomllib already; only fromToml gets here

    if isinstance(value, dict):
        return {key: _with_go_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_go_times(item) for item in value]
    if not isinstance(value, (datetime.date, datetime.time)):
        return value
    from otterhelm.funcs import gotime

    if isinstance(value, datetime.datetime):
        offset = value.utcoffset()
        if offset is None:
            location = gotime.fixed_zone("datetime-local", 0)
        elif offset:
            location = gotime.fixed_zone("", int(offset.total_seconds()))
        else:
            location = gotime.UTC_LOCATION
        fields = (value.year, value.month, value.day, value.hour, value.minute, value.second)
        return gotime.make_time(*fields, value.microsecond * 1000, location)
    if isinstance(value, datetime.time):
        clock = (value.hour, value.minute, value.second, value.microsecond * 1000)
        return gotime.make_time(0, 1, 1, *clock, gotime.fixed_zone("time-local", 0))
    return gotime.make_time(
        value.year, value.month, value.day, 0, 0, 0, 0, gotime.fixed_zone("date-local", 0)
    )


FUNCS: dict[str, Func] = {
    "toYaml": Func(to_yaml, (ANY,)),
    "mustToYaml": Func(must_to_yaml, (ANY,)),
    "toYamlPretty": Func(to_yaml_pretty, (ANY,)),
    "fromYaml": Func(from_yaml, (STRING,)),
    "fromYamlArray": Func(from_yaml_array, (STRING,)),
    "toJson": Func(to_json, (ANY,)),
    "mustToJson": Func(must_to_json, (ANY,)),
    "fromJson": Func(from_json, (STRING,)),
    "fromJsonArray": Func(from_json_array, (STRING,)),
    "mustFromJson": Func(must_from_json, (STRING,)),
    "toPrettyJson": Func(to_pretty_json, (ANY,)),
    "mustToPrettyJson": Func(must_to_pretty_json, (ANY,)),
    "toRawJson": Func(to_raw_json, (ANY,)),
    "mustToRawJson": Func(to_raw_json, (ANY,)),
    "toToml": Func(to_toml, (ANY,)),
    "mustToToml": Func(must_to_toml, (ANY,)),
    "fromToml": Func(from_toml, (STRING,)),
}
