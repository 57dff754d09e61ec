"""`otterhelm status NAME`: a release's state, like `helm status`."""

from __future__ import annotations

import argparse

from otterhelm.release.actions import commandline as cl


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME")
    cl.add_cluster_arguments(parser)
    cl.add_output_argument(parser)
    parser.add_argument("--revision", type=int, default=0, help="show this revision instead of the latest")


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.actions.status import release_status
    from otterhelm.release.model import Release

    async def act(ctx: ActionContext) -> Release:
        # A table shows the server's tables of the live objects; JSON and YAML the objects.
        return await release_status(ctx, args.name, args.revision, tables=args.output == "table")

    def body() -> int:
        cl.print_release(cl.run_action(args, act), args.output)
        return 0

    return cl.guarded("", body)
