"""`otterhelm get all|values|manifest|notes|hooks|metadata NAME`: parts of a stored release,
like `helm get`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from otterhelm.release.actions import commandline as cl

if TYPE_CHECKING:
    from otterhelm.release.model import Release

PARTS = ("all", "values", "manifest", "notes", "hooks", "metadata")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("part", choices=PARTS, metavar="{" + ",".join(PARTS) + "}")
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
        if args.part == "all":
            cl.print_release_status(release, everything=True)
        elif args.part == "metadata":
            _print_metadata(release, args.output)
        elif args.part == "values":
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
    from otterhelm.codec.yaml import marshal
    from otterhelm.values.coalesce import deep_copy

    # Computed values are a map however empty; no user values at all are null.
    values = cl.computed_values(release) if args.all else deep_copy(release.config) or None
    if args.output != "table":
        cl.print_structured(values, args.output)
        return
    print("COMPUTED VALUES:" if args.all else "USER-SUPPLIED VALUES:")
    sys.stdout.write(marshal(values))


APPLY_METHODS = {"": "client-side apply (defaulted)", "csa": "client-side apply", "ssa": "server-side apply"}


def _print_metadata(release: Release, output: str) -> None:
    """pkg/cmd/get_metadata.go: the chart's identity and the record's labels and state."""
    chart = (release.chart.metadata if release.chart else None) or {}
    annotations = {str(k): str(v) for k, v in (chart.get("annotations") or {}).items()}
    dependencies = list(chart.get("dependencies") or [])
    deployed = release.info.last_deployed if release.info else ""
    fields: dict[str, Any] = {
        "name": release.name,
        "chart": chart.get("name", ""),
        "version": chart.get("version", ""),
        "appVersion": chart.get("appVersion", ""),
        # Go encodes maps with their keys sorted.
        "annotations": dict(sorted(annotations.items())),
        "labels": dict(sorted(release.labels.items())),
        "dependencies": dependencies,
        "namespace": release.namespace,
        "revision": release.version,
        "status": str(release.status),
        "deployedAt": rfc3339_seconds(deployed),
        "applyMethod": release.apply_method,
    }
    if output != "table":
        omitted = ("annotations", "labels", "dependencies", "applyMethod")  # omitempty
        shown = {k: v for k, v in fields.items() if v or k not in omitted}
        cl.print_structured(shown, output, struct=True)
        return
    method = release.apply_method
    names = sorted(str(d.get("name", "")) for d in dependencies if isinstance(d, dict))
    print(f"NAME: {release.name}")
    print(f"CHART: {fields['chart']}")
    print(f"VERSION: {fields['version']}")
    print(f"APP_VERSION: {fields['appVersion']}")
    print(f"ANNOTATIONS: {label_set(annotations)}")
    print(f"LABELS: {label_set(release.labels)}")
    print(f"DEPENDENCIES: {','.join(names)}")
    print(f"NAMESPACE: {release.namespace}")
    print(f"REVISION: {release.version}")
    print(f"STATUS: {release.status}")
    print(f"DEPLOYED_AT: {fields['deployedAt']}")
    print(f"APPLY_METHOD: {APPLY_METHODS.get(method, f'unknown ({json.dumps(method)})')}")


def label_set(labels: dict[str, str]) -> str:
    """k8s.io/apimachinery labels.Set.String(): sorted `key=value` pairs joined by commas."""
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def rfc3339_seconds(go_time: str) -> str:
    """A stored time as Go's time.RFC3339 prints it (whole seconds, `Z` for UTC)."""
    from otterhelm.release.model import parse_go_time

    moment = parse_go_time(go_time)
    if moment is None:
        return "0001-01-01T00:00:00Z"
    offset = moment.utcoffset()
    zone = "Z"
    if offset:
        minutes = int(offset.total_seconds()) // 60
        zone = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + zone
