"""`otterhelm uninstall NAME...`: remove releases, like `helm uninstall`."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

from otterhelm.release.actions import commandline as cl


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", metavar="NAME", nargs="+")
    cl.add_cluster_arguments(parser)
    cl.add_deploy_arguments(parser)
    parser.add_argument("--keep-history", action="store_true", help="keep the records, marked uninstalled")
    parser.add_argument("--dry-run", action="store_true", help="simulate an uninstall")
    parser.add_argument("--description", default="", help="a custom description")
    parser.add_argument(
        "--ignore-not-found", action="store_true", help="treat a missing release as uninstalled"
    )


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.actions.uninstall import UninstallOptions, UninstallResult, uninstall
    from otterhelm.release.storage import ReleaseNotFound

    def action(name: str, opts: UninstallOptions) -> Callable[[ActionContext], Awaitable[UninstallResult]]:
        return lambda ctx: uninstall(ctx, name, opts)

    def body() -> int:
        for name in args.names:
            opts = UninstallOptions(
                name=name,
                keep_history=args.keep_history,
                dry_run=args.dry_run,
                description=args.description,
                deploy=cl.deploy_options(args),
            )
            try:
                result = cl.run_action(args, action(name, opts))
            except ReleaseNotFound:
                if args.ignore_not_found:
                    continue
                raise
            if result.info:
                print(result.info, end="")
            print(f'release "{name}" uninstalled')
        return 0

    return cl.guarded("", body)
