"""`otterhelm pull REF [--version C] [-d DIR]`: download a chart archive from an OCI registry,
a chart repository, or a URL, verified and checked like an install would."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from otterhelm.errors import OtterhelmError
from otterhelm.sources import ChartSources
from otterhelm.sources.cli_support import add_source_options, report_error, sources_config


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ref", help="oci://host/path/chart[:tag|@digest], repo/chart[@version], or an archive URL"
    )
    parser.add_argument("--version", help="a version or semver constraint (newest match wins)")
    parser.add_argument("-d", "--destination", type=Path, default=Path("."), help="directory to write into")
    add_source_options(parser)


def run(args: argparse.Namespace) -> int:
    try:
        config = sources_config(args, args.ref)

        async def fetch() -> tuple[str, str, str, bytes]:
            async with ChartSources(config) as sources:
                chart = await sources.resolve(args.ref, args.version)
            return chart.ref, chart.digest, f"{chart.chart.name}-{chart.version}.tgz", chart.archive

        ref, digest, filename, archive = asyncio.run(fetch())
        args.destination.mkdir(parents=True, exist_ok=True)
        (args.destination / filename).write_bytes(archive)
    except (OtterhelmError, OSError) as err:
        return report_error(err)
    print(f"Pulled: {ref}")
    print(f"Digest: {digest}")
    return 0
