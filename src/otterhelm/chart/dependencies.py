"""Dependency processing before rendering (pkg/chart/v2/util/dependencies.go): aliases,
`condition`/`tags` enabling, removal of disabled subcharts, and `import-values`."""

from __future__ import annotations

from otterhelm.chart.model import Chart, Dependency
from otterhelm.chart.semver import is_compatible_range
from otterhelm.values.coalesce import (
    Warn,
    coalesce_tables,
    coalesce_values,
    deep_copy,
    go_value_text,
    merge_tables,
    merge_values,
)
from otterhelm.values.table import NoTable, NoValue, path_value, table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _ignore(_: str) -> None:
    return None


def process_dependencies(chart: Chart, user_values: dict[str, Any] | None, warn: Warn = _ignore) -> None:
    """ProcessDependencies: changes `chart` in place (subcharts, metadata, values)."""
    process_enabled(chart, user_values or {}, warn=warn)
    process_import_values(chart, merge=True, warn=warn)


def _matches(chart: Chart, req: Dependency) -> bool:
    return chart.name == req.name and is_compatible_range(req.version, chart.metadata.version)


def _alias_copy(charts: list[Chart], req: Dependency) -> Chart | None:
    for candidate in charts:
        if not _matches(candidate, req):
            continue
        copied = candidate.shallow_copy()
        if req.alias:
            copied.metadata.name = req.alias
        return copied
    return None


def process_enabled(chart: Chart, values: dict[str, Any], path: str = "", warn: Warn = _ignore) -> None:
    """processDependencyEnabled: resolve aliases, apply tags and conditions, drop disabled
    subcharts, recursively."""
    if not chart.metadata.has_dependency_list():
        return
    reqs = chart.metadata.active_dependencies()
    kept = [sub for sub in chart.subcharts if not any(_matches(sub, req) for req in reqs)]
    for req in reqs:
        aliased = _alias_copy(chart.subcharts, req)
        if aliased is not None:
            kept.append(aliased)
        if req.alias:
            req.name = req.alias
    chart.set_subcharts(kept)
    for req in reqs:
        req.enabled = True
    cvals = coalesce_values(chart, values, warn)
    _apply_tags(reqs, cvals, warn)
    _apply_conditions(reqs, cvals, path, warn)
    disabled = {req.name for req in reqs if not req.enabled}
    remaining = [sub for sub in chart.subcharts if sub.metadata.name not in disabled]
    for sub in remaining:
        process_enabled(sub, cvals, f"{path}{sub.metadata.name}.", warn)
    chart.metadata.dependencies = [req for req in reqs if req.name not in disabled]
    chart.metadata.declares_empty_dependencies = False
    chart.set_subcharts(remaining)


def _apply_tags(reqs: list[Dependency], cvals: dict[str, Any], warn: Warn) -> None:
    try:
        tags = table(cvals, "tags")
    except NoTable:
        return
    for req in reqs:
        has_true = has_false = False
        for tag in req.tags:
            if tag not in tags:
                continue
            flag = tags[tag]
            if isinstance(flag, bool):
                has_true, has_false = has_true or flag, has_false or not flag
            else:
                warn(f"returned non-bool value tag={tag} chart={req.name}")
        if not has_true and has_false:
            req.enabled = False
        else:
            req.enabled = True


def _apply_conditions(reqs: list[Dependency], cvals: dict[str, Any], path: str, warn: Warn) -> None:
    for req in reqs:
        for condition in req.condition.strip().split(","):
            if not condition:
                continue
            try:
                value = path_value(cvals, path + condition)
            except NoValue:
                continue
            if isinstance(value, bool):
                req.enabled = value
                break
            warn(f"returned non-bool value path={condition} chart={req.name}")


def _path_to_map(path: str, data: dict[str, Any]) -> dict[str, Any]:
    if path == ".":
        return data
    out = data
    for part in reversed(path.split(".")):
        out = {part: out}
    return out


def _process_import_values(chart: Chart, merge: bool, warn: Warn) -> None:
    if not chart.metadata.has_dependency_list():
        return
    combine = merge_tables if merge else coalesce_tables
    cvals = merge_values(chart, None, warn) if merge else coalesce_values(chart, None, warn)
    imported: dict[str, Any] = {}
    for req in chart.metadata.active_dependencies():
        normalised: list[Any] = []
        for entry in req.import_values:
            if isinstance(entry, dict):
                child = go_value_text(entry.get("child"))
                parent = go_value_text(entry.get("parent"))
                normalised.append({"child": child, "parent": parent})
                try:
                    found = table(cvals, f"{req.name}.{child}")
                except NoTable as err:
                    warn(f"ImportValues missing table from chart chart={req.name} error={err}")
                    continue
                imported = combine(imported, _path_to_map(parent, found), warn)
            elif isinstance(entry, str):
                child = f"exports.{entry}"
                normalised.append({"child": child, "parent": "."})
                try:
                    found = table(cvals, f"{req.name}.{child}")
                except NoTable as err:
                    warn(f"ImportValues missing table error={err}")
                    continue
                imported = combine(imported, found, warn)
        req.import_values = normalised
    if merge:
        chart.values = merge_tables(deep_copy(cvals), imported, warn)
    else:
        chart.values = coalesce_tables(_without_nils(cvals), imported, warn)


def _without_nils(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _without_nils(v) if isinstance(v, dict) else v for k, v in values.items() if v is not None}


def process_import_values(chart: Chart, merge: bool = True, warn: Warn = _ignore) -> None:
    """processDependencyImportValues: children first, each chart's values gain what its
    dependencies export (`merge` keeps nulls, as install and upgrade do)."""
    for sub in chart.subcharts:
        process_import_values(sub, merge, warn)
    _process_import_values(chart, merge, warn)
