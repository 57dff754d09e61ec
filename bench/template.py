"""Benchmark of the template engine alone: parse a real chart's templates once, then
render every manifest template of the chart (and its subcharts) repeatedly.

    .venv/bin/python bench/template.py [CHART_DIR] [--repeat N]

The chart (default: bitnami's postgresql with its `common` library subchart, from the
shared corpus) is loaded and its values coalesced by otterhelm's own chart code; only
TemplateSet.parse and TemplateSet.execute are timed. include/tpl/required/fail/lookup are
minimal stand-ins for the renderer's engine-bound functions. With --tree-cache DIR the
parse goes through a DiskTreeCache (the second run shows warm figures). Reported: parse time, time
per whole render (all templates), time per template, and time per parse-tree node
(render time divided by the number of nodes in the executed trees).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from otterhelm.template import DiskTreeCache, TemplateError, TemplateSet
from otterhelm.template.gotypes import ANY, STRING, Func, FuncError
from otterhelm.template.nodes import BranchNode, ListNode, Node, TemplateNode

DEFAULT_CHART = Path(__file__).resolve().parents[2] / "shared/charts/src/bitnami+charts/postgresql"


def count_nodes(node: Node | None) -> int:
    """Nodes a walk visits: list items, actions, branches and their bodies."""
    if node is None:
        return 0
    if isinstance(node, ListNode):
        return 1 + sum(count_nodes(child) for child in node.nodes)
    if isinstance(node, BranchNode):
        return 1 + count_nodes(node.body) + count_nodes(node.else_list)
    if isinstance(node, TemplateNode):
        return 1
    return 1


def engine_functions(tset: TemplateSet) -> dict[str, Func]:
    def include(name: str, data: Any) -> str:
        return tset.execute(name, data)

    def tpl(text: str, data: Any) -> str:
        scratch = tset.clone()
        scratch.parse("tpl", text)
        return scratch.execute("tpl", data)

    def required(message: str, value: Any) -> Any:
        if value is None or value == "":
            raise FuncError(message)
        return value

    def fail(message: str) -> str:
        raise FuncError(message)

    return {
        "include": Func(include, (STRING, ANY)),
        "tpl": Func(tpl, (STRING, ANY)),
        "required": Func(required, (STRING, ANY)),
        "fail": Func(fail, (STRING,)),
        "lookup": Func(lambda *args: {}, (STRING, STRING, STRING, STRING)),
    }


_UNDEFINED = re.compile(r'function "([^"]+)" not defined')


def stub_missing_functions(tset: TemplateSet, templates: dict[str, Any]) -> set[str]:
    """Functions the library does not provide yet become stubs returning "", so the
    benchmark can run while the function families are still being filled in."""
    stubbed: set[str] = set()
    for name, template in templates.items():
        while True:
            try:
                # A cache-free copy: this pass only discovers missing functions.
                probe = tset.clone()
                probe.tree_cache = None
                probe.parse(name, template.text)
                break
            except TemplateError as err:
                match = _UNDEFINED.search(str(err))
                if match is None:
                    raise
                stubbed.add(match.group(1))
                tset.add_funcs({match.group(1): Func(lambda *args: "")})
    return stubbed


def load_chart(chart_dir: Path) -> dict[str, Any]:
    """The chart's templates with the data each renders with, as the renderer builds them."""
    from otterhelm.chart.loader import load
    from otterhelm.render.capabilities import template_capabilities
    from otterhelm.render.engine import all_templates
    from otterhelm.render.pipeline import ReleaseOptions, prepare_chart, render_values

    chart = load(str(chart_dir))
    prepare_chart(chart, {})
    top = render_values(
        chart,
        {},
        ReleaseOptions(name="bench", namespace="demo"),
        template_capabilities("1.34.0"),
        skip_schema_validation=True,
    )
    return all_templates(chart, top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chart", nargs="?", type=Path, default=DEFAULT_CHART)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--tree-cache",
        type=Path,
        default=None,
        help="a DiskTreeCache directory (run twice to see warm parsing)",
    )
    args = parser.parse_args()

    from otterhelm.funcs import helm_functions

    templates = load_chart(args.chart)
    tree_cache = DiskTreeCache(args.tree_cache) if args.tree_cache else None
    tset = TemplateSet(helm_functions(), missingkey="zero", tree_cache=tree_cache)
    tset.add_funcs(engine_functions(tset))

    stubbed = stub_missing_functions(tset, templates)
    started, cpu_started = time.perf_counter(), time.process_time()
    tset.parse_all(
        (name, templates[name].text) for name in sorted(templates, key=lambda n: (-n.count("/"), n))
    )
    tset.compile_all()
    if tree_cache is not None:
        tree_cache.flush()  # as a render's end does
    parse_seconds = time.perf_counter() - started
    parse_cpu = time.process_time() - cpu_started

    manifests = [name for name in templates if not name.rsplit("/", 1)[-1].startswith("_")]
    data = {
        name: {**templates[name].data, "Template": {"Name": name, "BasePath": templates[name].base_path}}
        for name in manifests
    }
    failures: dict[str, str] = {}
    for name in manifests:
        try:
            tset.execute(name, data[name])
        except TemplateError as err:
            failures[name] = str(err).splitlines()[0]
    ok = [name for name in manifests if name not in failures]
    nodes = sum(
        count_nodes(tree.root) for tree in (tset.template(n) for n in tset.names()) if tree is not None
    )

    timings = []
    cpu_timings = []
    output_bytes = 0
    for _ in range(args.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        output_bytes = sum(len(tset.execute(name, data[name])) for name in ok)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu_started)
    median = statistics.median(timings)
    cpu_median = statistics.median(cpu_timings)

    print(f"chart: {args.chart}")
    print(
        f"templates: {len(templates)} parsed ({len(manifests)} manifests, {len(ok)} rendered), {nodes} nodes"
    )
    size = sum(len(t.text) for t in templates.values())
    print(
        f"parse+compile of {size} characters: {parse_seconds * 1000:.1f} ms wall, {parse_cpu * 1000:.1f} ms CPU"
    )
    print(
        f"render (all manifests, median of {args.repeat}): {median * 1000:.2f} ms wall, "
        f"{cpu_median * 1000:.2f} ms CPU, {output_bytes} bytes out"
    )
    if ok:
        print(f"per template: {cpu_median / len(ok) * 1e6:.1f} us CPU")
    print(f"per node (render CPU time / nodes in the set): {cpu_median / max(nodes, 1) * 1e9:.0f} ns")
    if stubbed:
        print(f"stubbed (not yet in helm_functions): {', '.join(sorted(stubbed))}")
    for name, message in sorted(failures.items()):
        print(f"not rendered: {name}: {message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
