"""`otterhelm template NAME CHART [flags]`: a drop-in for `helm template` (Helm v4.3.1's
pkg/cmd/template.go and the install flags it shares), same flags, output, errors and exit codes.

Imports stay inside `run` so that starting the command costs little more than Python itself:
the flags are a table (TEMPLATE_FLAGS) that `parse_exact` reads without argparse, which is
built only for --help, errors and unusual spellings.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from types import SimpleNamespace

from otterhelm.cli.flags import VALUE_FLAGS
from otterhelm.cli.flags import user_values as flag_user_values
from otterhelm.cli.flagtable import Flag, parse_exact

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from otterhelm.cli.flagtable import ParsedArgs
    from otterhelm.render.engine import TemplateCache
    from otterhelm.render.pipeline import RenderedRelease

COMMAND = "otterhelm template"
DEFAULT_RELEASE_NAME = "release-name"
DEBUG_HINT = "\n\nUse --debug flag to render out invalid YAML"

# Boolean flags, which pflag also accepts as `--flag=true|false`, with their help lines
# (None: accepted but left out of --help).
BOOL_FLAGS: dict[str, str | None] = {
    "include-crds": "include CRDs in the templated output",
    "skip-crds": "if set, no CRDs will be installed",
    "no-hooks": "prevent hooks from running during install",
    "skip-tests": "skip tests from templated output",
    "is-upgrade": "set .Release.IsUpgrade instead of .Release.IsInstall",
    "release-name": "use release name in the output-dir path.",
    "generate-name": "generate the name (and omit the NAME parameter)",
    "skip-schema-validation": "if set, disables JSON schema validation",
    "strict": "fail on missing template values (missingkey=error)",
    "debug": "enable verbose output",
    "validate": None,
    "create-namespace": None,
    "force": None,
    "force-replace": None,
    "force-conflicts": None,
    "server-side": None,
    "replace": None,
    "wait-for-jobs": None,
    "devel": None,
    "dependency-update": None,
    "disable-openapi-validation": None,
    "rollback-on-failure": None,
    "atomic": None,
    "render-subchart-notes": None,
    "enable-dns": None,
    "hide-notes": None,
    "take-ownership": None,
    "verify": None,
    "insecure-skip-tls-verify": None,
    "plain-http": None,
    "pass-credentials": None,
}
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
_NEGATED_PREFIX = "no-value-"
# install's flags that `helm template` accepts and otterhelm reads no further.
_IGNORED_FLAGS = ("version", "description", "repo", "username", "password", "ca-file", "cert-file", "key-file",
                  "keyring", "timeout", "wait", "kubeconfig", "kube-context", "labels", "l")  # fmt: skip

# Every flag in --help order; `args` (the NAME and CHART positionals) is declared apart.
TEMPLATE_FLAGS: tuple[Flag, ...] = (
    Flag(("-n", "--namespace"), "namespace", help="namespace scope for this request"),
    Flag(("--kube-version",), "kube_version", default="", help="Kubernetes version used for Capabilities.KubeVersion"),
    Flag(("-a", "--api-versions"), "api_versions", "csv", help="Kubernetes api versions used for Capabilities.APIVersions"),
    *VALUE_FLAGS,
    Flag(("-s", "--show-only"), "show_only", "append", help="only show manifests rendered from the given templates"),
    Flag(("--output-dir",), "output_dir", default="", help="writes the executed templates to files in output-dir instead of stdout"),
    Flag(("--name-template",), "name_template", default="", help="specify template used to name the release"),
    Flag(("--post-renderer",), "post_renderer", default=""),
    Flag(("--post-renderer-args",), "post_renderer_args", "append"),
    Flag(("--dry-run",), "dry_run", default="client"),
    *(Flag((f"--{name}" if len(name) > 1 else f"-{name}",), f"ignored_{name}") for name in _IGNORED_FLAGS),
    *(
        flag
        for name, help_text in BOOL_FLAGS.items()
        for flag in (
            Flag(("-g", f"--{name}") if name == "generate-name" else (f"--{name}",), name.replace("-", "_"), "true", help=help_text),
            Flag((f"--{_NEGATED_PREFIX}{name}",), name.replace("-", "_"), "false"),
        )
    ),
)  # fmt: skip
POSITIONALS = "args"


def _normalise_bool_flags(argv: Sequence[str]) -> list[str]:
    out: list[str] = []
    for arg in argv:
        if arg == "--dry-run":
            # pflag's NoOptDefVal: a bare --dry-run never takes the next argument.
            out.append("--dry-run=unset")
            continue
        name, eq, value = arg.partition("=")
        if eq and name.startswith("--") and name[2:] in BOOL_FLAGS:
            if value in _TRUE:
                out.append(name)
                continue
            if value in _FALSE:
                out.append(f"--{_NEGATED_PREFIX}{name[2:]}")
                continue
            sys.stderr.write(
                f'Error: invalid argument "{value}" for "{name}" flag: strconv.ParseBool: parsing "{value}": invalid syntax\n'
            )
            raise SystemExit(1)
        out.append(arg)
    return out


def parse_usual(argv: Sequence[str]) -> SimpleNamespace | None:
    """The command line read without argparse when every flag in it is spelled exactly;
    None otherwise (then `add_arguments`' parser reads it)."""
    return parse_exact(_normalise_bool_flags(argv), TEMPLATE_FLAGS, POSITIONALS)


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None, namespace: Any = None) -> Any:
    args = list(sys.argv[1:] if argv is None else argv)
    return parser.parse_intermixed_args(_normalise_bool_flags(args), namespace)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from otterhelm.cli.argparsing import HelmStyleParser, add_flags

    parser.__class__ = HelmStyleParser
    # pflag lets flags and arguments interleave and accepts `--bool=false`; argparse's
    # default parse does neither, so this parser parses intermixed, normalised arguments.
    parser.parse_args = lambda args=None, namespace=None: _parse(parser, args, namespace)  # type: ignore[method-assign]
    parser.add_argument(POSITIONALS, nargs="*", metavar="[NAME] [CHART]")
    add_flags(parser, TEMPLATE_FLAGS)


class CommandError(Exception):
    """A failure to print as `Error: <message>`."""


def name_and_chart(args: Sequence[str], *, generate_name: bool, name_template: str) -> tuple[str, str]:
    """Install.NameAndChart as `helm template` drives it (its release name is preset)."""
    if len(args) > 2:
        raise CommandError(f"expected at most two arguments, unexpected arguments: {', '.join(args[2:])}")
    if len(args) == 2:
        if generate_name:
            raise CommandError("cannot set --generate-name and also specify a name")
        if name_template:
            raise CommandError("cannot set --name-template and also specify a name")
        return args[0], args[1]
    if name_template:
        return render_name_template(name_template), args[0]
    return DEFAULT_RELEASE_NAME, args[0]


def render_name_template(text: str) -> str:
    """`--name-template`: a Go template with sprig's functions and no data."""
    from otterhelm.funcs import deferred_helm_functions
    from otterhelm.template import TemplateSet

    tset = TemplateSet(deferred_helm_functions())
    try:
        tset.parse("name-template", text)
        return str(tset.execute("name-template", None))
    except Exception as err:
        raise CommandError(str(err)) from err


def locate_chart(name: str) -> str:
    name = name.strip()
    if os.path.exists(name):
        return os.path.abspath(name)
    if os.path.isabs(name) or name.startswith("."):
        raise CommandError(f'path "{name}" not found')
    raise CommandError(f"non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}")


def check_dependencies_present(chart: Any) -> None:
    """action.CheckDependencies: every declared dependency has a chart under charts/."""
    present = {sub.name for sub in chart.subcharts}
    missing = [d.name for d in chart.metadata.active_dependencies() if d.name not in present]
    if missing:
        raise CommandError(
            "an error occurred while checking for chart dependencies. You may need to run "
            "'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in "
            f"charts/ directory: {', '.join(missing)}"
        )


def go_filepath_match(pattern: str, name: str) -> bool:
    """Go's filepath.Match on `/` paths; a malformed pattern matches nothing."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\":
            i += 1
            if i >= len(pattern):
                return False
            out.append(re.escape(pattern[i]))
        elif char == "[":
            end = i + 1
            if end < len(pattern) and pattern[end] == "^":
                end += 1
            start = end
            while end < len(pattern) and (pattern[end] != "]" or end == start):
                end += 2 if pattern[end] == "\\" else 1
            if end >= len(pattern):
                return False
            body = pattern[i + 1 : end]
            negate = body.startswith("^")
            if negate:
                body = body[1:]
            if not body:
                return False
            out.append("[" + ("^/" if negate else "") + body.replace("[", "\\[") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    try:
        return re.fullmatch("".join(out), name, re.DOTALL) is not None
    except re.error:
        return False


# Compiled by `re` on first use (only --show-only needs it).
_SOURCE = r"# Source: [^/\n]+/([^\n]+)"


def show_only(manifests: str, patterns: Sequence[str]) -> str:
    from otterhelm.render.manifests import split_manifests

    docs = split_manifests(manifests)
    chosen: list[str] = []
    for pattern in patterns:
        pattern = pattern.replace(os.sep, "/")
        missing = True
        for doc in docs:
            found = re.search(_SOURCE, doc)
            if found is None or not go_filepath_match(pattern, found.group(1)):
                continue
            chosen.append(doc)
            missing = False
        if missing:
            raise CommandError(f"could not find template {pattern} in chart")
    return "".join(f"---\n{doc}\n" for doc in chosen)


def format_output(
    release: RenderedRelease, *, no_hooks: bool, skip_tests: bool, output_dir: str, hook_dir: str
) -> str:
    """TrimSpace(manifest) + newline, then the hooks (unless --no-hooks)."""
    from otterhelm.render.manifests import go_trim_space
    from otterhelm.render.pipeline import write_output_file

    out = [go_trim_space(release.manifest) + "\n"]
    if not no_hooks:
        written: set[str] = set()
        for hook in release.hooks:
            if skip_tests and hook.is_test:
                continue
            if not output_dir:
                out.append(f"---\n# Source: {hook.path}\n{hook.manifest}\n")
                continue
            append = hook.path in written or os.path.exists(os.path.join(hook_dir, hook.path))
            write_output_file(hook_dir, hook.path, hook.manifest, append)
            written.add(hook.path)
    return "".join(out)


def run(args: ParsedArgs) -> int:
    # The cyclic collector stays off for the whole command: loading and rendering build a
    # large heap of acyclic objects that each collection rescans (about half the run time
    # on the largest corpus charts), and a command process is short-lived, so what little
    # cyclic garbage it makes is reclaimed at exit (peak memory rises by about 2%).
    from otterhelm.template.gcpause import collector_paused

    with collector_paused():
        return run_with_cache(args, None)


def run_with_cache(args: ParsedArgs, cache: TemplateCache | None) -> int:
    """The command's work: output on stdout, `Error: ...` on stderr, the exit code."""
    try:
        from otterhelm.render.pipeline import write_text

        write_text(sys.stdout, render_text(args, cache))
        return 0
    except CommandError as err:
        sys.stdout.flush()
        sys.stderr.write(f"Error: {err}\n")
        return 1


def refuse_unsupported(args: ParsedArgs) -> None:
    """Flags whose work otterhelm does not do here fail loudly instead of being ignored."""
    if args.post_renderer:
        raise CommandError("--post-renderer is not supported by otterhelm template")
    if args.validate or args.dry_run not in ("client", "unset", "true", "false", "none"):
        raise CommandError(
            "server-side validation needs a cluster; otterhelm template renders client-side only"
        )
    if args.ignored_repo:
        raise CommandError(
            "--repo is not supported by otterhelm template: fetch the chart first and pass its path"
        )


def render_text(args: ParsedArgs, cache: TemplateCache | None = None) -> str:
    """Everything `otterhelm template` prints on success; raises CommandError otherwise.
    `cache` keeps parsed templates between calls (benchmarks, long-lived callers)."""
    from otterhelm.errors import OtterhelmError

    try:
        return render_loaded(args, load_request(args), cache)
    except CommandError:
        raise
    except OtterhelmError as err:
        raise CommandError(str(err)) from err


class LoadedRequest:
    """What the command renders once its flags are read and its chart is loaded."""

    __slots__ = ("capabilities", "chart", "documents", "name", "namespace", "user_values")

    def __init__(
        self,
        chart: Any,
        user_values: dict[str, Any],
        name: str,
        namespace: str,
        capabilities: Any,
        documents: Any = None,
    ) -> None:
        self.chart = chart
        self.documents = documents  # codec.yaml_cache.YamlDocuments the chart was read with
        self.user_values = user_values
        self.name = name
        self.namespace = namespace
        self.capabilities = capabilities


def load_request(args: ParsedArgs) -> LoadedRequest:
    """Check the flags, read the values and load the chart; raises CommandError (or, for
    a chart that does not load, the OtterhelmError that render_text reports)."""
    from otterhelm.render.capabilities import KubeVersionError, template_capabilities

    if not args.args:
        raise CommandError(
            f'"{COMMAND}" requires at least 1 argument\n\nUsage:  {COMMAND} [NAME] [CHART] [flags]'
        )
    refuse_unsupported(args)
    try:
        capabilities = template_capabilities(args.kube_version or None, args.api_versions)
    except KubeVersionError as err:
        raise CommandError(f"invalid kube version '{args.kube_version}': {err}") from err
    name, chart_ref = name_and_chart(
        args.args, generate_name=args.generate_name, name_template=args.name_template
    )
    chart_path = locate_chart(chart_ref)

    from otterhelm.chart.loader import load
    from otterhelm.codec.yaml_cache import kept_documents

    documents = kept_documents()
    user_values = flag_user_values(args, documents)
    chart = load(chart_path, documents=documents)
    chart_type = chart.metadata.type
    if chart_type not in ("", "application"):
        raise CommandError(f"{chart_type} charts are not installable")
    if chart.metadata.active_dependencies():
        check_dependencies_present(chart)

    namespace = args.namespace or os.environ.get("HELM_NAMESPACE") or "default"
    return LoadedRequest(chart, user_values, name, namespace, capabilities, documents)


def render_loaded(args: ParsedArgs, request: LoadedRequest, cache: TemplateCache | None = None) -> str:
    """Render a loaded request as the command prints it (the chart is changed in place:
    disabled subcharts are removed). Raises CommandError or an OtterhelmError."""
    return _render_chart(
        args,
        request.chart,
        request.user_values,
        request.name,
        request.namespace,
        request.capabilities,
        cache,
        request.documents,
    )


def _render_chart(
    args: ParsedArgs,
    chart: Any,
    user_values: dict[str, Any],
    name: str,
    namespace: str,
    capabilities: Any,
    cache: TemplateCache | None,
    documents: Any = None,
) -> str:
    from otterhelm.funcs import deferred_helm_functions
    from otterhelm.render.engine import Engine, EngineOptions
    from otterhelm.render.pipeline import (
        InstallRender,
        OutputDir,
        ReleaseOptions,
        ReleaseRenderError,
        render_install,
    )
    from otterhelm.render.yamlhead import head_reader
    from otterhelm.template import DiskTreeCache, default_cache_directory

    engine = Engine(
        deferred_helm_functions(),
        EngineOptions(strict=args.strict, enable_dns=args.enable_dns),
        cache=cache,
        # Parse trees persist between runs, keyed by template name, text and function set.
        tree_cache=DiskTreeCache(default_cache_directory()),
    )
    output_dir = OutputDir(args.output_dir, use_release_name=args.release_name) if args.output_dir else None
    opts = InstallRender(
        release=ReleaseOptions(name=name, namespace=namespace, is_upgrade=args.is_upgrade),
        capabilities=capabilities,
        skip_schema_validation=args.skip_schema_validation,
        include_crds=args.include_crds,
        output_dir=output_dir,
        read_head=head_reader(documents),
    )
    try:
        release = render_install(chart, user_values, engine, opts)
    except ReleaseRenderError as err:
        if args.debug:
            from otterhelm.render.pipeline import write_text

            write_text(sys.stdout, err.partial_manifest.strip() + "\n")
            raise CommandError(str(err)) from err
        raise CommandError(f"{err}{DEBUG_HINT}") from err
    hook_dir = (
        os.path.join(args.output_dir, name) if args.output_dir and args.release_name else args.output_dir
    )
    text = format_output(
        release,
        no_hooks=args.no_hooks,
        skip_tests=args.skip_tests,
        output_dir=args.output_dir,
        hook_dir=hook_dir,
    )
    if args.show_only:
        return show_only(text, args.show_only)
    return text
