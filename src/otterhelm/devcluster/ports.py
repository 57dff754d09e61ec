"""Free loopback ports for the control plane's listeners."""

from __future__ import annotations

import socket


def free_loopback_ports(count: int) -> list[int]:
    """Ports the kernel reports free on 127.0.0.1. All sockets stay open until every port is
    chosen, so the same port is never handed out twice in one call."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
