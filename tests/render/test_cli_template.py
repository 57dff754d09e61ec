"""The pure parts of `otterhelm template`: argument handling, --show-only matching and output."""

from __future__ import annotations

import argparse

import pytest

from otterhelm.cli.template import (
    CommandError,
    add_arguments,
    format_output,
    go_filepath_match,
    name_and_chart,
    refuse_unsupported,
    show_only,
)
from otterhelm.render.manifests import Hook
from otterhelm.render.pipeline import RenderedRelease


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="otterhelm template")
    add_arguments(p)
    return p


def test_flags_interleave_and_accept_bool_values() -> None:
    args = parser().parse_args(
        [
            "rel",
            "--include-crds=false",
            "./chart",
            "-f",
            "a.yaml,b.yaml",
            "--set",
            "x=1,y=2",
            "--no-hooks=true",
            "-a",
            "v1",
            "-a",
            "x/v1,y/v2",
        ]
    )
    assert args.args == ["rel", "./chart"]
    assert args.include_crds is False and args.no_hooks is True
    assert args.values == ["a.yaml", "b.yaml"]
    assert args.set == ["x=1,y=2"]
    assert args.api_versions == ["v1", "x/v1", "y/v2"]


def test_bad_bool_value_exits_like_helm(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["c", "--skip-tests=maybe"])
    assert exc.value.code == 1
    assert capsys.readouterr().err.startswith('Error: invalid argument "maybe" for "--skip-tests" flag')


@pytest.mark.parametrize(
    ("argv", "generate", "template", "expected"),
    [
        (["rel", "chart"], False, "", ("rel", "chart")),
        (["chart"], False, "", ("release-name", "chart")),
        (["chart"], True, "", ("release-name", "chart")),
    ],
)
def test_name_and_chart(argv: list[str], generate: bool, template: str, expected: tuple[str, str]) -> None:
    assert name_and_chart(argv, generate_name=generate, name_template=template) == expected


@pytest.mark.parametrize(
    ("argv", "generate", "template", "message"),
    [
        (["a", "b", "c"], False, "", "expected at most two arguments, unexpected arguments: c"),
        (["a", "b"], True, "", "cannot set --generate-name and also specify a name"),
        (["a", "b"], False, "x", "cannot set --name-template and also specify a name"),
    ],
)
def test_name_and_chart_errors(argv: list[str], generate: bool, template: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        name_and_chart(argv, generate_name=generate, name_template=template)


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("templates/service.yaml", "templates/service.yaml", True),
        ("templates/*", "templates/service.yaml", True),
        ("templates/*", "templates/sub/role.yaml", False),
        ("templates/sub/role*", "templates/sub/role.yaml", True),
        ("templates/[rs]*.yaml", "templates/service.yaml", True),
        ("templates/[^s]*.yaml", "templates/service.yaml", False),
        ("templates/?ervice.yaml", "templates/service.yaml", True),
        ("templates/[", "templates/[", False),
        ("templates/\\*", "templates/*", True),
    ],
)
def test_go_filepath_match(pattern: str, name: str, matches: bool) -> None:
    assert go_filepath_match(pattern, name) is matches


MANIFESTS = (
    "---\n# Source: c/templates/a.yaml\nkind: A\n\n"
    "---\n# Source: c/templates/sub/b.yaml\nkind: B\n\n"
    "---\n# Source: c/charts/s/templates/a.yaml\nkind: C\n"
)


def test_show_only_keeps_order_of_patterns_then_documents() -> None:
    out = show_only(MANIFESTS, ["templates/sub/*", "templates/a.yaml"])
    assert out == (
        "---\n# Source: c/templates/sub/b.yaml\nkind: B\n\n\n---\n# Source: c/templates/a.yaml\nkind: A\n\n\n"
    )
    assert (
        show_only(MANIFESTS, ["charts/s/templates/a.yaml"])
        == "---\n# Source: c/charts/s/templates/a.yaml\nkind: C\n\n"
    )


def test_show_only_missing_template() -> None:
    with pytest.raises(CommandError, match=r"could not find template templates/x\.yaml in chart"):
        show_only(MANIFESTS, ["templates/x.yaml"])


def test_format_output_appends_hooks() -> None:
    hooks = [
        Hook(name="t", kind="Pod", path="c/templates/t.yaml", manifest="kind: Pod\n", events=["test"]),
        Hook(name="j", kind="Job", path="c/templates/j.yaml", manifest="kind: Job", events=["pre-install"]),
    ]
    release = RenderedRelease(
        manifest="---\n# Source: c/templates/a.yaml\nkind: A\n\n", hooks=hooks, notes=""
    )
    assert format_output(release, no_hooks=False, skip_tests=False, output_dir="", hook_dir="") == (
        "---\n# Source: c/templates/a.yaml\nkind: A\n"
        "---\n# Source: c/templates/t.yaml\nkind: Pod\n\n"
        "---\n# Source: c/templates/j.yaml\nkind: Job\n"
    )
    assert (
        format_output(release, no_hooks=False, skip_tests=True, output_dir="", hook_dir="").count("---") == 2
    )
    assert format_output(release, no_hooks=True, skip_tests=False, output_dir="", hook_dir="") == (
        "---\n# Source: c/templates/a.yaml\nkind: A\n"
    )
    empty = RenderedRelease(manifest="", hooks=[], notes="")
    assert format_output(empty, no_hooks=False, skip_tests=False, output_dir="", hook_dir="") == "\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["c", "--post-renderer", "kustomize"], "--post-renderer is not supported"),
        (["c", "--dry-run=server"], "server-side validation needs a cluster"),
        (["c", "--validate"], "server-side validation needs a cluster"),
        (["c", "--repo", "https://charts.example"], "--repo is not supported"),
    ],
)
def test_unsupported_flags_fail_loudly(argv: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        refuse_unsupported(parser().parse_args(argv))
