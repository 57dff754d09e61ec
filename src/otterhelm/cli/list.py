"""`otterhelm list`: releases (latest revision of each), like `helm list`."""

from __future__ import annotations

import argparse

from otterhelm.release.actions import commandline as cl

STATE_FLAGS = ("deployed", "failed", "pending", "superseded", "uninstalled", "uninstalling")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cl.add_cluster_arguments(parser)
    cl.add_output_argument(parser)
    parser.add_argument(
        "-A", "--all-namespaces", action="store_true", help="list releases across all namespaces"
    )
    parser.add_argument("-f", "--filter", default="", help="a regular expression releases names must match")
    parser.add_argument("-l", "--selector", default="", help="label selector over release labels")
    parser.add_argument("-d", "--date", action="store_true", help="sort by release date")
    parser.add_argument("-r", "--reverse", action="store_true", help="reverse the sort order")
    parser.add_argument("-m", "--max", type=int, default=256, help="maximum number of releases to fetch")
    parser.add_argument("--offset", type=int, default=0, help="index of the first release to show")
    parser.add_argument("-q", "--short", action="store_true", help="print names only")
    parser.add_argument("--no-headers", action="store_true", help="omit the table header")
    for state in STATE_FLAGS:
        parser.add_argument(f"--{state}", action="store_true", help=f"show {state} releases")


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.listing import (
        NO_STATES,
        PENDING,
        ListOptions,
        ListStates,
        SortOrder,
        list_releases,
    )
    from otterhelm.release.model import Release

    states = NO_STATES
    for state in STATE_FLAGS:
        if getattr(args, state):
            states |= PENDING if state == "pending" else ListStates[state.upper()]
    order = {
        (False, False): SortOrder.BY_NAME,
        (False, True): SortOrder.BY_NAME_DESC,
        (True, False): SortOrder.BY_DATE,
        (True, True): SortOrder.BY_DATE_DESC,
    }[(args.date, args.reverse)]
    options = ListOptions(
        all_namespaces=args.all_namespaces,
        filter=args.filter,
        states=states,
        selector=args.selector,
        sort=order,
        limit=args.max,
        offset=args.offset,
    )

    async def act(ctx: ActionContext) -> list[Release]:
        return await list_releases(ctx.storage, options)

    def body() -> int:
        releases = cl.run_action(args, act, namespace="" if args.all_namespaces else None)
        if args.short:
            for release in releases:
                print(release.name)
            return 0
        rows = [
            {
                "name": r.name,
                "namespace": r.namespace,
                "revision": str(r.version),
                "updated": cl.helm_list_time(r.info.last_deployed if r.info else ""),
                "status": str(r.status),
                "chart": cl.chart_label(r),
                "app_version": r.chart.app_version if r.chart else "",
            }
            for r in releases
        ]
        if args.output != "table":
            cl.print_structured(rows, args.output, struct=True)
            return 0
        header = (
            []
            if args.no_headers
            else [["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"]]
        )
        cl.print_table(header + [list(row.values()) for row in rows])
        return 0

    return cl.guarded("", body)
