"""Helm v4.3 value coalescing (pkg/chart/common/util/coalesce.go).

`coalesce_values(chart, user)` fills user values with chart defaults, subchart defaults and
globals; a user `null` deletes a default. `merge_values` is the same but keeps nulls (used by
import-values). Since v4.2 chart-default nulls are not copied into coalesced values.
Warnings go to the `warn` callable, worded as Helm logs them."""

from __future__ import annotations

from collections.abc import Callable

from otterhelm.errors import InvalidArgument
from otterhelm.values.table import GLOBAL_KEY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from otterhelm.chart.model import Chart

Warn = Callable[[str], None]


class CoalesceError(InvalidArgument):
    """A subchart's values slot holds something other than a map."""


def _ignore(_: str) -> None:
    return None


def deep_copy(value: Any) -> Any:
    """copystructure.Copy for values: maps and lists are copied, scalars shared."""
    if isinstance(value, dict):
        return {k: deep_copy(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) if isinstance(v, (dict, list)) else v for v in value]
    return value


def _prefixed(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def go_value_text(value: Any) -> str:
    """Go's %v of a value, enough for warning texts."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, dict):
        inner = " ".join(f"{k}:{go_value_text(value[k])}" for k in sorted(value))
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(go_value_text(v) for v in value) + "]"
    return str(value)


def _go_float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    text = repr(value)
    if "e" in text or "E" in text:
        mantissa, exp = text.split("e")
        mantissa = mantissa.removesuffix(".0")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mantissa}e{sign}{abs(int(exp)):02d}"
    if abs(value) >= 1e21:
        return f"{value:e}"
    return text.removesuffix(".0")


def coalesce_values(chart: Chart, values: dict[str, Any] | None, warn: Warn = _ignore) -> dict[str, Any]:
    """CoalesceValues: a new map; `values` is not modified."""
    dest = deep_copy(values) if values else {}
    return _coalesce(warn, chart, dest, "", merge=False)


def merge_values(chart: Chart, values: dict[str, Any] | None, warn: Warn = _ignore) -> dict[str, Any]:
    """MergeValues: like coalesce_values but nulls are kept."""
    dest = deep_copy(values) if values else {}
    return _coalesce(warn, chart, dest, "", merge=True)


def _coalesce(warn: Warn, chart: Chart, dest: dict[str, Any], prefix: str, merge: bool) -> dict[str, Any]:
    _coalesce_chart_values(warn, chart, dest, prefix, merge)
    return _coalesce_deps(warn, chart, dest, prefix, merge)


def _coalesce_deps(
    warn: Warn, chart: Chart, dest: dict[str, Any], prefix: str, merge: bool
) -> dict[str, Any]:
    for sub in chart.subcharts:
        name = sub.name
        if name not in dest:
            dest[name] = {}
        elif not isinstance(dest[name], dict):
            raise CoalesceError(
                f"type mismatch on {name}: %!t({_go_type(dest[name])}={go_value_text(dest[name])})"
            )
        sub_values = dest[name]
        sub_prefix = _prefixed(prefix, chart.name)
        _coalesce_globals(warn, sub_values, dest, sub_prefix)
        dest[name] = _coalesce(warn, sub, sub_values, sub_prefix, merge)
    return dest


def _go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    return "map[string]interface {}"


def _coalesce_globals(warn: Warn, dest: dict[str, Any], src: dict[str, Any], prefix: str) -> None:
    dest_globals = dest.get(GLOBAL_KEY, {}) if GLOBAL_KEY in dest else {}
    if not isinstance(dest_globals, dict):
        warn(f"warning: skipping globals because destination {GLOBAL_KEY} is not a table.")
        return
    src_globals = src.get(GLOBAL_KEY, {}) if GLOBAL_KEY in src else {}
    if not isinstance(src_globals, dict):
        warn(f"warning: skipping globals because source {GLOBAL_KEY} is not a table.")
        return
    for key, val in src_globals.items():
        if isinstance(val, dict):
            copied = dict(val)
            if key not in dest_globals:
                dest_globals[key] = copied
            elif not isinstance(dest_globals[key], dict):
                warn(f'Conflict: cannot merge map onto non-map for "{key}". Skipping.')
            else:
                _coalesce_tables(warn, copied, dest_globals[key], _prefixed(prefix, key), True)
                dest_globals[key] = copied
        elif isinstance(dest_globals.get(key), dict):
            warn(f"key {key} is table. Skipping")
        else:
            dest_globals[key] = val
    dest[GLOBAL_KEY] = dest_globals


def _coalesce_chart_values(warn: Warn, chart: Chart, dest: dict[str, Any], prefix: str, merge: bool) -> None:
    sub_prefix = _prefixed(prefix, chart.name)
    defaults = deep_copy(chart.values) if chart.values else {}
    for key, default in defaults.items():
        if key in dest:
            value = dest[key]
            if value is None and not merge:
                del dest[key]
            elif isinstance(value, dict):
                if not isinstance(default, dict):
                    if default is not None:
                        warn(f"warning: skipped value for {sub_prefix}.{key}: Not a table.")
                else:
                    key_merge = merge or any(s.name == key for s in chart.subcharts)
                    if not key_merge:
                        _clean_nils(default)
                    _coalesce_tables(warn, value, default, _prefixed(sub_prefix, key), key_merge)
        else:
            if not merge:
                if default is None:
                    continue
                if isinstance(default, dict):
                    _clean_nils(default)
            dest[key] = default


def coalesce_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None, warn: Warn = _ignore) -> Any:
    """CoalesceTables: merge src into dst (dst wins; a null in dst deletes the key)."""
    return _coalesce_tables(warn, dst, src, "", False)


def merge_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None, warn: Warn = _ignore) -> Any:
    """MergeTables: merge src into dst (dst wins; nulls kept)."""
    return _coalesce_tables(warn, dst, src, "", True)


def _coalesce_tables(
    warn: Warn, dst: dict[str, Any] | None, src: dict[str, Any] | None, prefix: str, merge: bool
) -> Any:
    if src is None:
        return dst
    if dst is None:
        return src
    src_non_nil = {key for key, val in src.items() if val is not None}
    for key, val in dst.items():
        if val is None:
            src[key] = None
    for key, val in src.items():
        full_key = _prefixed(prefix, key)
        present = key in dst
        dv = dst.get(key)
        if present and not merge and dv is None and key in src_non_nil:
            del dst[key]
        elif not present:
            dst[key] = val
        elif isinstance(val, dict):
            if isinstance(dv, dict):
                _coalesce_tables(warn, dv, val, full_key, merge)
            else:
                warn(f"warning: cannot overwrite table with non table for {full_key} ({go_value_text(val)})")
        elif isinstance(dv, dict) and val is not None:
            warn(
                f"warning: destination for {full_key} is a table. Ignoring non-table value ({go_value_text(val)})"
            )
    return dst


def _clean_nils(values: dict[str, Any]) -> None:
    for key in [k for k, v in values.items() if v is None]:
        del values[key]
    for val in values.values():
        if isinstance(val, dict):
            _clean_nils(val)
