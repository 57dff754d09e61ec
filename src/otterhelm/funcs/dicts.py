"""Sprig's dict functions (dict.go), with `merge`/`mergeOverwrite` following
dario.cat/mergo v1.0.1 on map[string]interface{} values.

mergo's rules that charts observe: a destination value that is empty (nil, "", 0, false,
empty list or map) is replaced even without overwrite; nested maps merge in place, so the
destination shares and mutates maps it received; lists are never merged element-wise;
with overwrite every source value replaces the destination one, nil and "" included.
"""

from __future__ import annotations

from otterhelm.funcs.gokinds import StringList, is_empty, is_nil, strval
from otterhelm.template.gotypes import ANY, DICT, STRING, Func, FuncError, GoObject, go_type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NIL_MAP_ASSIGNMENT = "assignment to entry in nil map"


def make_dict(*values: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for index in range(0, len(values), 2):
        key = strval(values[index])
        result[key] = values[index + 1] if index + 1 < len(values) else ""
    return result


def get(mapping: dict[str, Any] | None, key: str) -> Any:
    if mapping is not None and key in mapping:
        return mapping[key]
    return ""


def set_(mapping: dict[str, Any] | None, key: str, value: Any) -> dict[str, Any]:
    if mapping is None:
        raise FuncError(_NIL_MAP_ASSIGNMENT)
    mapping[key] = value
    return mapping


def unset(mapping: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    if mapping is not None:
        mapping.pop(key, None)
    return mapping


def has_key(mapping: dict[str, Any] | None, key: str) -> bool:
    return mapping is not None and key in mapping


def pluck(key: str, *mappings: dict[str, Any] | None) -> list[Any]:
    return [mapping[key] for mapping in mappings if mapping is not None and key in mapping]


def keys(*mappings: dict[str, Any] | None) -> StringList:
    result = StringList()
    for mapping in mappings:
        if mapping is not None:
            result.extend(mapping)
    return result


def pick(mapping: dict[str, Any] | None, *names: str) -> dict[str, Any]:
    source = mapping or {}
    return {name: source[name] for name in names if name in source}


def omit(mapping: dict[str, Any] | None, *names: str) -> dict[str, Any]:
    excluded = set(names)
    return {key: value for key, value in (mapping or {}).items() if key not in excluded}


def values(mapping: dict[str, Any] | None) -> list[Any]:
    return list((mapping or {}).values())


def _is_map_like(value: Any) -> bool:
    # mergo recurses into maps, structs and pointers alike.
    return isinstance(value, dict) or (
        isinstance(value, GoObject) and not isinstance(value, (list, str, int, float, bytes))
    )


def merge_into(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    """mergo's deepMerge for two map[string]interface{} values."""
    for key, src_value in list(src.items()):
        dst_present = key in dst
        dst_value = dst.get(key)
        if is_nil(src_value):
            if overwrite:
                dst[key] = None
            continue
        if _is_map_like(src_value):
            if dst_present and isinstance(dst_value, dict) and isinstance(src_value, dict):
                merge_into(dst_value, src_value, overwrite)
        elif isinstance(src_value, list):
            # mergo tests the emptiness of the parent maps here, not of the elements.
            if overwrite or not dst:
                dst[key] = src_value
            elif not dst_present or is_nil(dst_value):
                dst[key] = type(src_value)()
        if dst_present and not is_empty(dst_value):
            if isinstance(src_value, list):
                continue
            if isinstance(src_value, dict) and isinstance(dst_value, dict):
                continue
        if overwrite or not dst_present or is_empty(dst_value):
            dst[key] = src_value


def _merge(dst: dict[str, Any] | None, sources: tuple[dict[str, Any] | None, ...], overwrite: bool) -> Any:
    # A nil destination is still a map to Go: it prints as map[] and merges into a new map.
    target: dict[str, Any] = {} if dst is None else dst
    for src in sources:
        if src is not None:
            merge_into(target, src, overwrite)
    return target


def merge(dst: dict[str, Any] | None, *sources: dict[str, Any] | None) -> Any:
    return _merge(dst, sources, overwrite=False)


def merge_overwrite(dst: dict[str, Any] | None, *sources: dict[str, Any] | None) -> Any:
    return _merge(dst, sources, overwrite=True)


def deep_copy(value: Any) -> Any:
    """copystructure.Copy: a deep copy of maps and slices; scalars are shared."""
    if is_nil(value):
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    import copy  # on first use: few renders deep-copy

    return copy.deepcopy(value)


def dig(*args: Any) -> Any:
    if len(args) < 3:
        raise FuncError("dig needs at least three arguments")
    mapping = args[-1]
    default = args[-2]
    path = args[:-2]
    if not isinstance(mapping, dict):
        raise FuncError(_interface_conversion(mapping, "map[string]interface {}"))
    for key in path:
        if not isinstance(key, str):
            raise FuncError(_interface_conversion(key, "string"))
    return _dig_from(mapping, default, list(path))


def _dig_from(mapping: dict[str, Any], default: Any, path: list[str]) -> Any:
    key, remaining = path[0], path[1:]
    if key not in mapping:
        return default
    step = mapping[key]
    if not remaining:
        return step
    if not isinstance(step, dict) or type(step) is not dict:
        raise FuncError(_interface_conversion(step, "map[string]interface {}"))
    return _dig_from(step, default, remaining)


def _interface_conversion(value: Any, wanted: str) -> str:
    actual = "nil" if is_nil(value) else go_type_name(value)
    return f"interface conversion: interface {{}} is {actual}, not {wanted}"


FUNCS: dict[str, Func] = {
    "dict": Func(make_dict, (), ANY),
    "get": Func(get, (DICT, STRING)),
    "set": Func(set_, (DICT, STRING, ANY)),
    "unset": Func(unset, (DICT, STRING)),
    "hasKey": Func(has_key, (DICT, STRING)),
    "pluck": Func(pluck, (STRING,), DICT),
    "keys": Func(keys, (), DICT),
    "pick": Func(pick, (DICT,), STRING),
    "omit": Func(omit, (DICT,), STRING),
    "merge": Func(merge, (DICT,), DICT),
    "mergeOverwrite": Func(merge_overwrite, (DICT,), DICT),
    "mustMerge": Func(merge, (DICT,), DICT),
    "mustMergeOverwrite": Func(merge_overwrite, (DICT,), DICT),
    "values": Func(values, (DICT,)),
    "dig": Func(dig, (), ANY),
    "deepCopy": Func(deep_copy, (ANY,)),
    "mustDeepCopy": Func(deep_copy, (ANY,)),
}
