"""`otterhelm devcluster up|down|env`: a local kube-apiserver and etcd for development."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from otterhelm import devcluster
from otterhelm.errors import OtterhelmError

STATE_DIR_VARIABLE = "OTTERHELM_DEVCLUSTER_DIR"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    state_help = "where certificates, data, logs and the kubeconfig live"
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(os.environ.get(STATE_DIR_VARIABLE, ".devcluster")),
        help=f"{state_help} (default: ${STATE_DIR_VARIABLE} or ./.devcluster)",
    )
    # Also accepted after the action (`devcluster up --state-dir X`); SUPPRESS keeps the value
    # given before the action when it is not repeated.
    per_action = argparse.ArgumentParser(add_help=False)
    per_action.add_argument("--state-dir", type=Path, default=argparse.SUPPRESS, help=state_help)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "up", parents=[per_action], help="start the control plane (building nothing: run scripts/tools first)"
    )
    down = actions.add_parser("down", parents=[per_action], help="stop the processes `up` started")
    down.add_argument("--purge", action="store_true", help="also delete the state directory")
    actions.add_parser(
        "env", parents=[per_action], help="print `export KUBECONFIG=...` for the running control plane"
    )


def _toolchain() -> devcluster.Toolchain:
    return devcluster.Toolchain(devcluster.default_tools_dir(os.environ, Path.home()))


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    state_dir: Path = args.state_dir
    try:
        if args.action == "up":
            cluster = devcluster.start(state_dir, _toolchain(), log=_log)
            print(f"export KUBECONFIG={shlex.quote(str(cluster.kubeconfig))}")
            return 0
        if args.action == "down":
            if not devcluster.stop(state_dir, purge=args.purge):
                _log(f"no devcluster recorded in {state_dir}")
            return 0
        recorded = devcluster.load(state_dir.resolve())
        if recorded is None or not recorded.is_running():
            _log(f"no devcluster running from {state_dir}: run `otterhelm devcluster up`")
            return 1
        print(f"export KUBECONFIG={shlex.quote(str(recorded.kubeconfig))}")
        return 0
    except OtterhelmError as error:
        _log(f"otterhelm devcluster {args.action}: {error}")
        return 1
