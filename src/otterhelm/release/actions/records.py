"""Building and finishing release records the way Helm's actions do."""

from __future__ import annotations

from typing import Any

from otterhelm.chart.model import Chart
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.modtimes import CHART_FILE, SCHEMA_FILE
from otterhelm.release.actions.rendering import stored_hooks
from otterhelm.release.model import Info, Release, Status, StoredChart
from otterhelm.render.pipeline import RenderedRelease

APPLY_METHOD_SSA = "ssa"


def new_release(
    ctx: ActionContext,
    name: str,
    revision: int,
    chart: Chart,
    config: dict[str, Any],
    rendered: RenderedRelease,
    *,
    status: Status,
    description: str,
    first_deployed: str = "",
    mod_times: dict[str, str] | None = None,
) -> Release:
    now = ctx.clock()
    return Release(
        name=name,
        namespace=ctx.namespace,
        version=revision,
        info=Info(
            first_deployed=first_deployed or now,
            last_deployed=now,
            status=status,
            description=description,
            notes=rendered.notes,
        ),
        chart=stored_chart(chart, mod_times),
        config=config,
        manifest=rendered.manifest,
        hooks=stored_hooks(rendered.hooks),
        apply_method=APPLY_METHOD_SSA,
    )


def stored_chart(chart: Chart, mod_times: dict[str, str] | None) -> StoredChart:
    """The chart as Helm records it: nil (not empty) lists, and the files' modification times."""
    stored = StoredChart.from_chart(chart)
    times = mod_times or {}
    for file in [*(stored.templates or []), *(stored.files or [])]:
        file.modtime = times.get(file.name, "")
    stored.templates = stored.templates or None
    stored.files = stored.files or None
    stored.modtime = times.get(CHART_FILE, "")
    if stored.schema is not None:
        stored.schema_modtime = times.get(SCHEMA_FILE, "")
    return stored


async def save(ctx: ActionContext, release: Release) -> None:
    """Rewrites a stored revision (resourceVersion-guarded by the storage)."""
    await ctx.storage.update(release)


async def mark(ctx: ActionContext, release: Release, status: Status, description: str) -> None:
    release.set_status(status, description)
    if release.info is not None:
        release.info.last_deployed = ctx.clock()
    await save(ctx, release)


async def supersede(ctx: ActionContext, release: Release) -> None:
    """A replaced revision keeps its description and times; only its status changes."""
    release.lock_holder = ctx.holder
    release.set_status(Status.SUPERSEDED, release.info.description if release.info else "")
    await save(ctx, release)
