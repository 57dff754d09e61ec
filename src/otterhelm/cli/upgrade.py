"""`otterhelm upgrade NAME CHART`: upgrade a release (or install it with --install), like `helm upgrade`."""

from __future__ import annotations

import argparse
import os

from otterhelm.cli.flags import add_value_arguments, user_values
from otterhelm.release.actions import commandline as cl


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("chart", metavar="CHART")
    cl.add_cluster_arguments(parser)
    add_value_arguments(parser)
    cl.add_deploy_arguments(parser)
    cl.add_output_argument(parser)
    parser.add_argument(
        "-i", "--install", action="store_true", help="install when no release of this name exists"
    )
    parser.add_argument(
        "--create-namespace", action="store_true", help="with --install, create the namespace"
    )
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument(
        "--reuse-values", action="store_true", help="merge the given values over the last ones"
    )
    modes.add_argument(
        "--reset-values", action="store_true", help="use only the given values and chart defaults"
    )
    modes.add_argument(
        "--reset-then-reuse-values",
        action="store_true",
        help="reuse the last values over the new chart defaults",
    )
    parser.add_argument(
        "--history-max", type=int, default=10, help="revisions kept per release (0: no limit)"
    )
    cl.add_dry_run_argument(parser)
    parser.add_argument("--take-ownership", action="store_true", help="adopt existing objects without checks")
    parser.add_argument("--rollback-on-failure", "--atomic", action="store_true", help="roll back on failure")
    parser.add_argument("--description", default="", help="a custom description")
    parser.add_argument("--skip-schema-validation", action="store_true", help="do not validate values")


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.actions.install import InstallOptions, install
    from otterhelm.release.actions.upgrade import UpgradeOptions, upgrade
    from otterhelm.release.actions.values import ValuesMode
    from otterhelm.release.model import Release, Status
    from otterhelm.release.storage import ReleaseNotFound

    mode = ValuesMode.DEFAULT
    if args.reuse_values:
        mode = ValuesMode.REUSE
    elif args.reset_values:
        mode = ValuesMode.RESET
    elif args.reset_then_reuse_values:
        mode = ValuesMode.RESET_THEN_REUSE

    def body() -> int:
        # A client dry run of an upgrade still reads the release and .Capabilities from the
        # cluster; here it is also validated there, as a server dry run is.
        dry_run = cl.dry_run_strategy(args.dry_run) != cl.DRY_RUN_NONE
        chart = cl.load_chart(args.chart)
        values = user_values(args)
        opts = UpgradeOptions(
            name=args.name,
            deploy=cl.deploy_options(args),
            values_mode=mode,
            dry_run=dry_run,
            take_ownership=args.take_ownership,
            rollback_on_failure=args.rollback_on_failure,
            description=args.description,
            max_history=args.history_max,
            chart_reference=os.path.abspath(args.chart),
            skip_schema_validation=args.skip_schema_validation,
        )

        installed_name: str | None = None

        async def act(ctx: ActionContext) -> Release:
            nonlocal installed_name
            history = await ctx.storage.history(args.name) if args.install else []
            if args.install and (not history or history[-1].status == Status.UNINSTALLED):
                print(f'Release "{args.name}" does not exist. Installing it now.')
                installed_name = args.name
                install_opts = InstallOptions(
                    name=args.name,
                    deploy=opts.deploy,
                    create_namespace=args.create_namespace,
                    dry_run=dry_run,
                    # A name whose last revision was uninstalled with --keep-history is reused.
                    replace=bool(history),
                    take_ownership=args.take_ownership,
                    rollback_on_failure=args.rollback_on_failure,
                    description=args.description,
                    chart_reference=os.path.abspath(args.chart),
                    skip_schema_validation=args.skip_schema_validation,
                )
                return await install(ctx, chart, values, install_opts)
            return await upgrade(ctx, chart, values, opts)

        try:
            release = cl.run_action(args, act)
        except ReleaseNotFound as err:
            raise cl.CommandFailed(f'UPGRADE FAILED: "{args.name}" has no deployed releases') from err
        if args.output == "table" and installed_name is None:
            print(f'Release "{release.name}" has been upgraded. Happy Helming!')
        cl.print_release(release, args.output)
        return 0

    return cl.guarded("UPGRADE FAILED", body)
