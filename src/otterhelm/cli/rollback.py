"""`otterhelm rollback NAME [REVISION]`: roll a release back, like `helm rollback`."""

from __future__ import annotations

import argparse

from otterhelm.release.actions import commandline as cl


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("revision", metavar="REVISION", nargs="?", type=int, default=0)
    cl.add_cluster_arguments(parser)
    cl.add_deploy_arguments(parser)
    parser.add_argument(
        "--history-max", type=int, default=10, help="revisions kept per release (0: no limit)"
    )
    parser.add_argument(
        "--dry-run", nargs="?", const="server", default="", help="simulate with a server dry run"
    )


def run(args: argparse.Namespace) -> int:
    from otterhelm.release.actions.rollback import RollbackOptions, rollback

    def body() -> int:
        opts = RollbackOptions(
            name=args.name,
            revision=args.revision,
            deploy=cl.deploy_options(args),
            dry_run=args.dry_run not in ("", "none", "false"),
            max_history=args.history_max,
        )
        cl.run_action(args, lambda ctx: rollback(ctx, opts))
        print("Rollback was a success! Happy Helming!")
        return 0

    return cl.guarded("", body)
