"""`otterhelm get values|manifest|notes|hooks NAME`: parts of a stored release, like `helm get`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from otterhelm.release.actions import commandline as cl

if TYPE_CHECKING:
    from otterhelm.release.model import Release

PARTS = ("values", "manifest", "notes", "hooks")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("part", choices=PARTS, metavar="{values,manifest,notes,hooks}")
    parser.add_argument("name", metavar="NAME")
    cl.add_cluster_arguments(parser)
    cl.add_output_argument(parser)
    parser.add_argument("--revision", type=int, default=0, help="read this revision instead of the latest")
    parser.add_argument("-a", "--all", action="store_true", help="values: all computed values")


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.context import ActionContext

    async def act(ctx: ActionContext) -> Release:
        if args.revision:
            return await ctx.storage.get(args.name, args.revision)
        return await ctx.storage.last(args.name)

    def body() -> int:
        release = cl.run_action(args, act)
        if args.part == "values":
            _print_values(release, args)
        elif args.part == "manifest":
            sys.stdout.write(release.manifest)
        elif args.part == "notes":
            if release.info is not None and release.info.notes:
                print("NOTES:")
                print(release.info.notes)
        else:
            for hook in release.hooks or []:
                print(f"---\n# Source: {hook.path}\n{hook.manifest}")
        return 0

    return cl.guarded("", body)


def _print_values(release: Release, args: argparse.Namespace) -> None:
    from otterhelm.codec.yaml import to_yaml
    from otterhelm.values.coalesce import coalesce_tables, deep_copy

    values = deep_copy(release.config or {})
    if args.all:
        values = coalesce_tables(values, deep_copy((release.chart.values if release.chart else None) or {}))
    if args.output != "table":
        cl.print_structured(values, args.output)
        return
    print("COMPUTED VALUES:" if args.all else "USER-SUPPLIED VALUES:")
    sys.stdout.write(to_yaml(values) if values else "null\n")
