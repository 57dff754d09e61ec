"""`otterhelm serve`: the ApplicationService on one port (Connect, gRPC, gRPC-Web).

hypercorn is the server because it speaks HTTP/2 over cleartext and implements the ASGI
trailers extension that gRPC needs.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import signal
from pathlib import Path

from hypercorn.asyncio import serve
from hypercorn.config import Config as HypercornConfig

from otterhelm.config import ServiceConfig, load_config, parse_listen
from otterhelm.errors import OtterhelmError
from otterhelm.service.app import build_app
from otterhelm.service.auth import Authenticator
from otterhelm.service.logs import json_logger
from otterhelm.service.scopes import build_scopes
from otterhelm.sources import ChartSources

# hypercorn closes a connection after 1,000 requests by default; on HTTP/2 that cuts off
# long-lived clients mid-call, so the limit is effectively removed.
KEEP_ALIVE_MAX_REQUESTS = 2**62


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, required=True, help="configuration file (YAML)")
    parser.add_argument("--listen", help="host:port to listen on (overrides the file's `listen`)")
    parser.add_argument(
        "--insecure-no-auth",
        action="store_true",
        help="accept every caller without a token and call Kubernetes with the service's own "
        "credentials (local development only)",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])


def run(args: argparse.Namespace) -> int:
    logger = json_logger("otterhelm", level=getattr(logging, args.log_level.upper()))
    try:
        config = load_config(args.config)
        host, port = parse_listen(args.listen) if args.listen else (config.host, config.port)
    except OtterhelmError as error:
        logger.error(str(error))
        return 2
    config = dataclasses.replace(config, host=host, port=port, insecure_no_auth=args.insecure_no_auth)
    try:
        asyncio.run(_serve(config, logger))
    except OtterhelmError as error:
        logger.error(str(error))
        return 1
    return 0


def hypercorn_config(host: str, port: int, logger: logging.Logger) -> HypercornConfig:
    config = HypercornConfig()
    config.bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    config.keep_alive_max_requests = KEEP_ALIVE_MAX_REQUESTS
    config.accesslog = None  # otterhelm logs every call itself, as JSON
    config.errorlog = logger.getChild("server")  # hypercorn's own messages, as JSON too
    return config


async def _serve(config: ServiceConfig, logger: logging.Logger) -> None:
    scopes = build_scopes(config.scopes, config.default_scope, os.environ)
    authenticator = Authenticator(config.tokens, enabled=not config.insecure_no_auth)
    if config.insecure_no_auth:
        logger.warning("authentication is disabled (--insecure-no-auth)")
    elif not config.tokens:
        logger.warning("no tokens are configured: every call will be unauthenticated")
    sources = ChartSources(config.sources)
    app = build_app(scopes, authenticator, logger, sources)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    logger.info(
        "serving",
        extra={
            "fields": {
                "listen": f"{config.host}:{config.port}",
                "scopes": scopes.names(),
                "default_scope": scopes.default_scope,
            }
        },
    )
    try:
        await serve(app, hypercorn_config(config.host, config.port, logger), shutdown_trigger=stop.wait)  # type: ignore[arg-type]
    finally:
        await scopes.aclose()
        await sources.aclose()
