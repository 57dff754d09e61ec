"""Building and finishing release records the way Helm's actions do."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from otterhelm.chart.model import Chart
from otterhelm.release.actions.context import ActionContext
from otterhelm.release.actions.modtimes import CHART_FILE, SCHEMA_FILE
from otterhelm.release.actions.rendering import stored_hooks
from otterhelm.release.model import Info, Release, Status, StoredChart
from otterhelm.render.pipeline import RenderedRelease

APPLY_METHOD_SSA = "ssa"


def new_release(
    namespace: str,
    now: str,
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
    """A revision's record before it is stored; `now` (Go RFC3339Nano) is its deployment time."""
    return Release(
        name=name,
        namespace=namespace,
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


async def save(ctx: ActionContext, release: Release, record: str | None = None) -> None:
    """Rewrites a stored revision (resourceVersion-guarded by the storage); `record` is its
    encoding when made already."""
    await ctx.storage.update(release, record=record)


async def mark(
    ctx: ActionContext, release: Release, status: Status, description: str, record: str | None = None
) -> None:
    """Helm's SetStatus then a record update: status and description change, the times stay
    those the revision was created with (pkg/release/v1/release.go SetStatus)."""
    release.set_status(status, description)
    await save(ctx, release, record)


def encode_outcome(
    ctx: ActionContext, release: Release, status: Status, description: str, *, no_hooks: bool
) -> asyncio.Future[str] | None:
    """Starts encoding the record `mark(release, status, description)` will write, while the
    deploy runs (so that the final write does not wait for it). None when the release's hooks
    would change the release meanwhile (their last runs are recorded in it)."""
    if release.hooks and not no_hooks:
        return None
    outcome = replace(release, info=replace(release.info or Info(), status=status, description=description))
    return asyncio.ensure_future(ctx.storage.encode(outcome))


async def supersede(ctx: ActionContext, release: Release) -> None:
    """A replaced revision keeps its description and times; only its status changes."""
    release.lock_holder = ctx.holder
    release.set_status(Status.SUPERSEDED, release.info.description if release.info else "")
    await save(ctx, release)
