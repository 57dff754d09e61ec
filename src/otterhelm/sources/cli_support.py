"""What `otterhelm pull` and `otterhelm push` share: options that describe where charts come
from, turned into a SourcesConfig, and errors printed the way users read them."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import yaml

from otterhelm.errors import InvalidArgument

from .config import AddressPolicy, ChartRepository, Credentials, Registry, SourcesConfig, TLSOptions
from .reference import OciRef, parse_chart_ref
from .settings import parse_sources_config

# A user's own machine: loopback registries are normal there (cloud metadata stays refused).
CLI_ALLOWED_NETWORKS = ("127.0.0.0/8", "::1/128")


def add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="a configuration file whose `sources` section is used")
    parser.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="a chart repository for NAME/chart references",
    )
    parser.add_argument("--username", help="registry or repository user name")
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    parser.add_argument(
        "--ca-file", type=Path, help="trust this CA bundle for the registry's TLS certificate"
    )
    parser.add_argument("--plain-http", action="store_true", help="speak plain HTTP to the OCI registry")
    parser.add_argument(
        "--allow-network",
        action="append",
        default=[],
        metavar="CIDR",
        help=f"also allow connections to this network (loopback {', '.join(CLI_ALLOWED_NETWORKS)} is allowed)",
    )


def sources_config(args: argparse.Namespace, ref: str) -> SourcesConfig:
    if args.config is not None:
        try:
            document = yaml.safe_load(args.config.read_text()) or {}
        except (OSError, yaml.YAMLError) as err:
            raise InvalidArgument(f"cannot read {args.config}: {err}") from None
        section = document.get("sources", document) if isinstance(document, dict) else {}
        config = parse_sources_config(section, base=args.config.parent)
    else:
        config = SourcesConfig()
    credentials = None
    if args.username is not None:
        password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else ""
        credentials = Credentials(args.username, password)
    tls = TLSOptions(ca_file=args.ca_file, plain_http=args.plain_http)
    repositories = list(config.repositories)
    for item in args.repo:
        name, sep, url = item.partition("=")
        if not sep or not name or not url:
            raise InvalidArgument(f"--repo {item!r}: expected NAME=URL")
        repositories = [r for r in repositories if r.name != name]
        repositories.append(ChartRepository(name=name, url=url, credentials=credentials, tls=tls))
    registries = list(config.registries)
    parsed = parse_chart_ref(ref)
    if isinstance(parsed, OciRef) and (credentials or args.ca_file or args.plain_http):
        registries = [r for r in registries if r.host != parsed.registry]
        registries.append(Registry(host=parsed.registry, credentials=credentials, tls=tls))
    try:
        extra = AddressPolicy.allowing(*CLI_ALLOWED_NETWORKS, *args.allow_network)
    except ValueError as err:
        raise InvalidArgument(f"--allow-network: {err}") from None
    policy = AddressPolicy(
        config.policy.allowed_networks + extra.allowed_networks, config.policy.allow_private
    )
    return dataclasses.replace(
        config, repositories=tuple(repositories), registries=tuple(registries), policy=policy
    )


def report_error(err: Exception) -> int:
    print(f"Error: {err}", file=sys.stderr)
    return 1
