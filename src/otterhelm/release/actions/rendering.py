"""Rendering a chart for a release revision: the render pipeline with cluster capabilities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from otterhelm.chart.model import Chart
from otterhelm.funcs import helm_functions
from otterhelm.release.model import Hook as StoredHook
from otterhelm.render.capabilities import Capabilities
from otterhelm.render.engine import Engine, TemplateCache
from otterhelm.render.manifests import Hook
from otterhelm.render.pipeline import (
    ReleaseOptions,
    RenderedRelease,
    prepare_chart,
    render_resources,
    render_values,
)

if TYPE_CHECKING:
    from otterhelm.render.engine import LookupReader
    from otterhelm.template.treecache import TreeCache


@dataclass(frozen=True, slots=True)
class RenderRequest:
    name: str
    namespace: str
    revision: int
    is_upgrade: bool
    capabilities: Capabilities
    skip_schema_validation: bool = False
    sub_notes: bool = False


def render_chart(
    chart: Chart,
    user_values: dict[str, Any],
    request: RenderRequest,
    lookup: LookupReader | None = None,
    tree_cache: TreeCache | None = None,
    template_cache: TemplateCache | None = None,
) -> RenderedRelease:
    """The manifest, hooks and notes of one revision (`chart` has its dependencies processed in place);
    `lookup` reads the live cluster for the template function of that name; `template_cache`
    keeps parsed template sets for the next render of the same templates."""
    prepare_chart(chart, user_values)
    release = ReleaseOptions(
        name=request.name,
        namespace=request.namespace,
        revision=request.revision,
        is_upgrade=request.is_upgrade,
    )
    top = render_values(
        chart,
        user_values,
        release,
        request.capabilities,
        skip_schema_validation=request.skip_schema_validation,
    )
    engine = Engine(helm_functions(), lookup=lookup, cache=template_cache, tree_cache=tree_cache)
    return render_resources(chart, top, engine, request.capabilities, sub_notes=request.sub_notes)


def stored_hooks(hooks: list[Hook]) -> list[StoredHook]:
    return [
        StoredHook(
            name=h.name,
            kind=h.kind,
            path=h.path,
            manifest=h.manifest,
            events=list(h.events),
            weight=h.weight,
            delete_policies=list(h.delete_policies),
            output_log_policies=list(h.output_log_policies),
        )
        for h in hooks
    ]
