"""What the release commands (`otterhelm install|upgrade|...`) share: cluster and namespace
flags, value flags, chart loading, running an action, Helm's output formats and errors."""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from otterhelm.errors import OtterhelmError

# The action modules (and through them the kube client, httpx and the template engine) load
# only when a command runs an action: `--help`, argument errors and output formatting start
# without them.
if TYPE_CHECKING:
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.actions.deploy import DeployOptions
    from otterhelm.release.model import Release

T = TypeVar("T")
_DURATION_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


class CommandFailed(Exception):
    """Printed as `Error: <message>` with exit code 1."""


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-n", "--namespace", default=None, help="namespace scope for this request")
    parser.add_argument("--kubeconfig", default=None, help="path to the kubeconfig file")
    parser.add_argument("--kube-context", default=None, help="name of the kubeconfig context to use")


def add_deploy_arguments(parser: argparse.ArgumentParser, *, hooks: bool = True) -> None:
    parser.add_argument(
        "--wait", nargs="?", const="watcher", default="", help="wait until resources are ready"
    )
    parser.add_argument(
        "--timeout", default="5m0s", help="time to wait for any individual Kubernetes operation"
    )
    if hooks:
        parser.add_argument("--no-hooks", action="store_true", help="disable hooks")
    parser.add_argument(
        "--force-conflicts", action="store_true", help="take over fields owned by other managers"
    )


DRY_RUN_NONE, DRY_RUN_CLIENT, DRY_RUN_SERVER = "none", "client", "server"
# What a bare `--dry-run` reads as (pflag's NoOptDefVal in helm).
_DRY_RUN_BARE = "unset"


def add_dry_run_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run",
        nargs="?",
        const=_DRY_RUN_BARE,
        default=DRY_RUN_NONE,
        help='simulate without persisting: "none" (default), "client" (no cluster) or "server"',
    )


def dry_run_strategy(value: str) -> str:
    """none, client or server for the flag's value, as pkg/cmd/helpers.go
    cmdGetDryRunFlagStrategy reads it: a bare flag and booleans are deprecated spellings
    (warned about on stderr, in helm's log format)."""
    if value == _DRY_RUN_BARE:
        warn("--dry-run is deprecated and should be replaced with '--dry-run=client'")
        return DRY_RUN_CLIENT
    if value in (DRY_RUN_NONE, DRY_RUN_CLIENT, DRY_RUN_SERVER):
        return value
    truth = go_parse_bool(value)
    if truth is None:
        raise CommandFailed(f'invalid dry-run value ("{value}"). Must be "none", "server", or "client"')
    strategy = DRY_RUN_CLIENT if truth else DRY_RUN_NONE
    warn(f"boolean '--dry-run={value}' flag is deprecated and must be replaced with '--dry-run={strategy}'")
    return strategy


def go_parse_bool(text: str) -> bool | None:
    """strconv.ParseBool; None where Go returns an error."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return None


def warn(message: str) -> None:
    """A warning as helm's default slog text handler writes it to stderr."""
    escaped = message.replace("\\", "\\\\").replace('"', '\\"')
    print(f'level=WARN msg="{escaped}"', file=sys.stderr)


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", default="table", choices=("table", "json", "yaml"))


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration for the usual forms (`300s`, `5m0s`, `1h30m`, `90`)."""
    if text.replace(".", "", 1).isdigit():
        return float(text)
    total, number = 0.0, ""
    index = 0
    while index < len(text):
        char = text[index]
        if char.isdigit() or char == ".":
            number += char
            index += 1
            continue
        unit = "ms" if text.startswith("ms", index) else char
        if unit not in _DURATION_UNITS or not number:
            raise CommandFailed(f'time: invalid duration "{text}"')
        total += float(number) * _DURATION_UNITS[unit]
        number = ""
        index += len(unit)
    if number:
        raise CommandFailed(f'time: missing unit in duration "{text}"')
    return total


def deploy_options(args: argparse.Namespace) -> DeployOptions:
    from otterhelm.release.actions.deploy import DEFAULT_TIMEOUT_SECONDS, DeployOptions

    timeout = parse_duration(args.timeout) if args.timeout else DEFAULT_TIMEOUT_SECONDS
    return DeployOptions(
        wait=bool(args.wait) and args.wait not in ("false", "hookOnly"),
        timeout_seconds=timeout,
        no_hooks=bool(getattr(args, "no_hooks", False)),
        force_conflicts=args.force_conflicts,
    )


def load_chart(reference: str) -> Any:
    """A chart from a local directory or archive (its YAML decodes kept between runs)."""
    from otterhelm.chart.loader import load
    from otterhelm.codec.yaml_cache import kept_documents

    if not os.path.exists(reference):
        raise CommandFailed(f'path "{reference}" not found')
    return load(os.path.abspath(reference), documents=kept_documents())


def namespace_of(args: argparse.Namespace) -> str:
    return str(args.namespace or os.environ.get("HELM_NAMESPACE") or "default")


def kubeconfig_path(args: argparse.Namespace) -> Path:
    chosen = args.kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0]
    return Path(chosen) if chosen else Path.home() / ".kube" / "config"


def run_action(
    args: argparse.Namespace, action: Callable[[ActionContext], Awaitable[T]], *, namespace: str | None = None
) -> T:
    """Runs one action against the cluster of the kubeconfig, in `namespace` (or the flag's)."""
    import asyncio

    from otterhelm.kube import KubeClient, load_kubeconfig
    from otterhelm.release.actions.context import ActionContext
    from otterhelm.release.actions.discoverycache import DiskDocumentCache, default_discovery_directory
    from otterhelm.release.storage import ReleaseStorage
    from otterhelm.template import DiskTreeCache, default_cache_directory

    async def run() -> T:
        credentials = load_kubeconfig(kubeconfig_path(args), args.kube_context)
        client = KubeClient(credentials)
        documents = DiskDocumentCache(default_discovery_directory(credentials.server))
        try:
            storage = ReleaseStorage(client, namespace_of(args) if namespace is None else namespace)
            trees = DiskTreeCache(default_cache_directory())
            return await action(ActionContext(storage, documents=documents, tree_cache=trees))
        finally:
            await client.aclose()

    # The cyclic collector stays off while the action runs: rendering and parsing allocate
    # millions of short-lived acyclic objects, which reference counting frees anyway, and a
    # command's process is short. It is back on (as it was) once the action is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return asyncio.run(run())
    finally:
        if collecting:
            gc.enable()


def guarded(prefix: str, body: Callable[[], int]) -> int:
    """Runs a command body, printing `Error: [PREFIX: ]message` for otterhelm's errors."""
    try:
        return body()
    except (OtterhelmError, CommandFailed) as err:
        lead = f"{prefix}: " if prefix and isinstance(err, OtterhelmError) else ""
        print(f"Error: {lead}{err}", file=sys.stderr)
        return 1


def ansic(go_time: str) -> str:
    """Go's time.ANSIC layout in local time, as `helm status` prints LAST DEPLOYED."""
    from otterhelm.release.model import parse_go_time

    moment = parse_go_time(go_time)
    if moment is None:
        return ""
    local = moment.astimezone()
    return local.strftime("%a %b ") + f"{local.day:2d}" + local.strftime(" %H:%M:%S %Y")


def helm_list_time(go_time: str) -> str:
    """`helm list` UPDATED column: Go's Time.String() of the stored time as time.Parse reads
    it (pkg/cmd/list.go): "Z" is UTC, an offset that Local has at that moment takes Local's
    zone name, any other offset prints as a nameless fixed zone (`+0800 +0800`). The fraction
    keeps the stored nanosecond digits with trailing zeros trimmed (layout .999999999)."""
    from otterhelm.release.model import parse_go_time

    moment = parse_go_time(go_time)
    if moment is None:
        return "-"
    offset = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    numeric = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    if go_time.endswith(("Z", "z")):
        zone = "UTC"
    else:
        local = moment.astimezone()
        same = local.utcoffset() == offset
        zone = (local.tzname() or numeric) if same else numeric
    return f"{moment.strftime('%Y-%m-%d %H:%M:%S')}{_go_fraction(go_time)} {numeric} {zone}"


def _go_fraction(go_time: str) -> str:
    """The stored fraction of a second as Go's `.999999999` prints it ("" when zero)."""
    _, dot, rest = go_time.partition(".")
    if not dot:
        return ""
    digits = rest[: len(rest) - len(rest.lstrip("0123456789"))][:9].rstrip("0")
    return f".{digits}" if digits else ""


def chart_label(release: Release) -> str:
    if release.chart is None:
        return ""
    return f"{release.chart.name}-{release.chart.version}"


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Helm's uitable output: every cell, the last one too, padded with spaces to its
    column's display width and joined by tabs (gosuri/uitable table.go, strutil.Resize)."""
    if not rows:
        return
    measured = [[_display_width(cell) for cell in row] for row in rows]
    widths = [max(row[i] for row in measured) for i in range(len(rows[0]))]
    for row, sizes in zip(rows, measured, strict=True):
        cells = (cell + " " * (widths[i] - sizes[i]) for i, cell in enumerate(row))
        print("\t".join(cells))


def _display_width(text: str) -> int:
    """go-runewidth's StringWidth for the common cases: East Asian wide and fullwidth
    characters take two columns, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def print_structured(value: Any, output: str, *, struct: bool = False) -> None:
    """JSON as Go's json.Encoder writes it (map keys sorted; a `struct` keeps its keys in
    the order given, as a Go struct's fields) or YAML as sigs.k8s.io/yaml writes it."""
    if output == "json":
        from otterhelm.codec import json as gojson

        print(gojson.to_struct_json(value) if struct else gojson.to_json(value))
    else:
        from otterhelm.codec.yaml import marshal

        sys.stdout.write(marshal(value))


def print_release_status(release: Release, *, show_notes: bool = True, everything: bool = False) -> None:
    """The `helm install/upgrade/status` summary (pkg/cmd/status.go statusPrinter.WriteTable):
    a dry run also prints its hooks and manifest, since nothing else shows what it would do.
    `everything` is `helm get all`: the chart's name and versions, the user-supplied and
    computed values, hooks and manifest too."""
    from otterhelm.release.model import parse_go_time

    info = release.info
    print(f"NAME: {release.name}")
    if info is not None and info.last_deployed and parse_go_time(info.last_deployed) is not None:
        print(f"LAST DEPLOYED: {ansic(info.last_deployed)}")
    print(f"NAMESPACE: {release.namespace}")
    print(f"STATUS: {release.status}")
    print(f"REVISION: {release.version}")
    if everything:
        metadata = (release.chart.metadata if release.chart else None) or {}
        print(f"CHART: {metadata.get('name', '')}")
        print(f"VERSION: {metadata.get('version', '')}")
        print(f"APP_VERSION: {metadata.get('appVersion', '')}")
    description = info.description if info is not None else ""
    print(f"DESCRIPTION: {description}")
    if info is not None and info.resources:
        from otterhelm.release.actions.resourcetable import format_resources

        print(f"RESOURCES:\n{format_resources(info.resources)}")
    print_test_suite(release)
    if everything:
        from otterhelm.codec.yaml import marshal

        print("USER-SUPPLIED VALUES:")
        print(marshal(release.config) if release.config is not None else "null\n")
        print("COMPUTED VALUES:")
        print(marshal(computed_values(release)))
    if everything or description.lower() == "dry run complete":
        print("HOOKS:")
        for hook in release.hooks or []:
            print(f"---\n# Source: {hook.path}\n{hook.manifest}")
        print(f"MANIFEST:\n{release.manifest}")
    if show_notes and info is not None and info.notes:
        print("NOTES:")
        print(info.notes.strip())


def computed_values(release: Release) -> dict[str, Any]:
    """The release's values over its chart's defaults (chartutil.CoalesceValues of the stored
    chart, which holds no subcharts)."""
    from otterhelm.values.coalesce import coalesce_tables, deep_copy

    values: dict[str, Any] = deep_copy(release.config or {})
    defaults: dict[str, Any] = deep_copy((release.chart.values if release.chart else None) or {})
    computed: dict[str, Any] = coalesce_tables(values, defaults)
    return computed


def print_test_suite(release: Release) -> None:
    """The TEST SUITE lines: the test hooks that have run, in the release's hook order."""
    from otterhelm.release.model import parse_go_time

    tests = [hook for hook in release.hooks or [] if "test" in hook.events]
    if not tests:
        print("TEST SUITE: None")
        return
    for hook in tests:
        run = hook.last_run
        if parse_go_time(run.started_at) is None:
            continue
        print(f"TEST SUITE:     {hook.name}")
        print(f"Last Started:   {ansic(run.started_at)}")
        print(f"Last Completed: {ansic(run.completed_at)}")
        print(f"Phase:          {run.phase}")


def print_release(release: Release, output: str) -> None:
    """A release as `helm install/upgrade/status -o` print it: the summary, or the release as JSON/YAML."""
    if output == "table":
        print_release_status(release)
        return
    from otterhelm.release.codec import release_to_json

    document = json.loads(release_to_json(release))
    if output == "json":
        print(release_to_json(release))
    else:
        print_structured(document, output)
