"""A refusal sent before the request body is read must still end the call cleanly.

Over HTTP/2, answering `unauthenticated` without reading the request stream used to leave
`buf curl` waiting after the call had completed, on roughly one call in four; repeating the
call makes that regression show every time."""

from __future__ import annotations

import json
import subprocess

from .conftest import BUF, SERVICE, RunningService

METHOD = f"{SERVICE}/ListNamespaces"


def test_refused_calls_over_http2_end_every_time(service: RunningService) -> None:
    for _ in range(12):
        result = subprocess.run(
            [str(BUF), "curl", "--protocol", "connect", "--data", "{}", f"{service.base_url}/{METHOD}"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        assert result.returncode != 0
        assert json.loads(result.stderr)["code"] == "unauthenticated"
