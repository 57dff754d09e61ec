"""`otterhelm push CHART.tgz oci://host/namespace`: validate a chart archive as Helm would and
push it with Helm's media types, so `helm pull` and `otterhelm pull` both read it."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from otterhelm.errors import InvalidArgument, OtterhelmError
from otterhelm.sources import ChartSources, parse_chart_ref
from otterhelm.sources.archive import load_archive
from otterhelm.sources.cli_support import add_source_options, report_error, sources_config
from otterhelm.sources.reference import OciRef


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chart", type=Path, help="a packaged chart (.tgz)")
    parser.add_argument("remote", help="oci://host/namespace (the chart is pushed as namespace/NAME:VERSION)")
    add_source_options(parser)


def run(args: argparse.Namespace) -> int:
    try:
        target = parse_chart_ref(args.remote)
        if not isinstance(target, OciRef):
            raise InvalidArgument(f"{args.remote}: push needs an oci:// destination")
        archive = args.chart.read_bytes()
        chart = load_archive(archive, str(args.chart))
        config = sources_config(args, args.remote)

        async def push() -> tuple[str, str]:
            async with ChartSources(config) as sources, sources.oci(target.registry) as client:
                pushed = await client.push(archive, chart.metadata, target)
            return str(pushed.ref).removeprefix("oci://"), pushed.manifest_digest

        ref, digest = asyncio.run(push())
    except (OtterhelmError, OSError) as err:
        return report_error(err)
    print(f"Pushed: {ref}")
    print(f"Digest: {digest}")
    return 0
