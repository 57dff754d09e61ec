"""A chart archive at an http(s) URL."""

from __future__ import annotations

import httpx

from .config import Limits
from .repo import check_http_status
from .transport import fetch


async def download_archive(http: httpx.AsyncClient, url: str, limits: Limits) -> bytes:
    got = await fetch(
        http,
        "GET",
        url,
        max_bytes=limits.max_archive_bytes,
        timeout_seconds=limits.timeout_seconds,
        what="chart archive",
    )
    check_http_status(got, "chart archive")
    return got.body
