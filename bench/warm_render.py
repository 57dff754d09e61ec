"""The warm in-process render a long-lived service does: the chart loaded once, then rendered
again and again with one TemplateCache (parsed template sets kept between renders)."""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from otterhelm.chart.loader import load
from otterhelm.cli import template
from otterhelm.cli.flags import user_values
from otterhelm.errors import OtterhelmError
from otterhelm.funcs import helm_functions
from otterhelm.render.capabilities import template_capabilities
from otterhelm.render.engine import Engine, TemplateCache
from otterhelm.render.pipeline import InstallRender, ReleaseOptions, render_install


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    # Values files in a case's flags are relative to the corpus folder.
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def warm_render_seconds(case_args: list[str], corpus: Path, repeat: int) -> float | None:
    """Median time of `repeat` renders of one chart (after one untimed render that fills the
    cache); None when the case does not render. Chart loading and flag parsing happen once,
    outside the timing; each render gets its own copy of the chart and values, since rendering
    prunes disabled subcharts in place."""
    parser = argparse.ArgumentParser(prog="otterhelm template")
    template.add_arguments(parser)
    with working_directory(corpus):
        args = parser.parse_args(case_args[1:])
        try:
            name, chart_ref = template.name_and_chart(
                args.args, generate_name=args.generate_name, name_template=args.name_template
            )
            chart = load(template.locate_chart(chart_ref))
            values = user_values(args)
            capabilities = template_capabilities(args.kube_version or None, args.api_versions)
        except (OtterhelmError, template.CommandError):
            return None
    namespace = args.namespace or "default"
    options = InstallRender(
        release=ReleaseOptions(name=name, namespace=namespace),
        capabilities=capabilities,
        skip_schema_validation=args.skip_schema_validation,
    )
    engine = Engine(helm_functions(), cache=TemplateCache())
    samples: list[float] = []
    for attempt in range(repeat + 1):
        chart_copy, values_copy = copy.deepcopy(chart), copy.deepcopy(values)
        started = time.perf_counter()
        try:
            render_install(chart_copy, values_copy, engine, options)
        except OtterhelmError:
            return None
        if attempt:
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)
