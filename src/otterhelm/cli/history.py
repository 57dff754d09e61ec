"""`otterhelm history NAME`: a release's revisions, like `helm history`."""

from __future__ import annotations

import argparse

from otterhelm.release.actions import commandline as cl


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME")
    cl.add_cluster_arguments(parser)
    cl.add_output_argument(parser)
    parser.add_argument("--max", type=int, default=256, help="maximum number of revisions to show")


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.model import Release

    async def act(ctx: ActionContext) -> list[Release]:
        return await ctx.storage.history(args.name)

    def body() -> int:
        history = cl.run_action(args, act)
        if not history:
            raise cl.CommandFailed("release: not found")
        shown = history[-args.max :] if args.max > 0 else history
        rows = [
            {
                "revision": r.version,
                "updated": r.info.last_deployed if r.info else "",
                "status": str(r.status),
                "chart": cl.chart_label(r),
                "app_version": r.chart.app_version if r.chart else "",
                "description": r.info.description if r.info else "",
            }
            for r in shown
        ]
        if args.output != "table":
            cl.print_structured(rows, args.output, struct=True)
            return 0
        table = [["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"]]
        for row in rows:
            table.append(
                [
                    str(row["revision"]),
                    cl.ansic(str(row["updated"])),
                    str(row["status"]),
                    str(row["chart"]),
                    str(row["app_version"]),
                    str(row["description"]),
                ]
            )
        cl.print_table(table)
        return 0

    return cl.guarded("", body)
