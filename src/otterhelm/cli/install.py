"""`otterhelm install [NAME] [CHART]`: install a chart as a release, like `helm install`."""

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
        "--create-namespace", action="store_true", help="create the release namespace if absent"
    )
    cl.add_dry_run_argument(parser)
    parser.add_argument("--skip-crds", action="store_true", help="do not install the chart's crds/")
    parser.add_argument(
        "--replace", action="store_true", help="reuse the name of a failed or uninstalled release"
    )
    parser.add_argument("--take-ownership", action="store_true", help="adopt existing objects without checks")
    parser.add_argument("--rollback-on-failure", "--atomic", action="store_true", help="uninstall on failure")
    parser.add_argument("--description", default="", help="a custom description")
    parser.add_argument(
        "-l", "--labels", action="append", default=[], help="labels added to the release record"
    )
    parser.add_argument("--skip-schema-validation", action="store_true", help="do not validate values")


def parse_labels(items: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            key, sep, value = pair.partition("=")
            if not sep:
                raise cl.CommandFailed(f"{pair} must be formatted as key=value")
            labels[key] = value
    return labels


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.install import InstallOptions, install, install_client_only

    def body() -> int:
        strategy = cl.dry_run_strategy(args.dry_run)
        chart = cl.load_chart(args.chart)
        values = user_values(args)
        opts = InstallOptions(
            name=args.name,
            deploy=cl.deploy_options(args),
            create_namespace=args.create_namespace,
            dry_run=strategy != cl.DRY_RUN_NONE,
            skip_crds=args.skip_crds,
            replace=args.replace,
            take_ownership=args.take_ownership,
            rollback_on_failure=args.rollback_on_failure,
            description=args.description,
            chart_reference=os.path.abspath(args.chart),
            labels=parse_labels(args.labels),
            skip_schema_validation=args.skip_schema_validation,
        )
        if strategy == cl.DRY_RUN_CLIENT:
            from otterhelm.render.capabilities import template_capabilities
            from otterhelm.template import DiskTreeCache, default_cache_directory

            trees = DiskTreeCache(default_cache_directory())
            release = install_client_only(
                chart, values, opts, cl.namespace_of(args), template_capabilities(), tree_cache=trees
            )
        else:
            release = cl.run_action(args, lambda ctx: install(ctx, chart, values, opts))
        cl.print_release(release, args.output)
        return 0

    return cl.guarded("INSTALLATION FAILED", body)
