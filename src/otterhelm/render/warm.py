"""A warm renderer for `otterhelm template`, so repeated commands skip Python's start-up cost.

Importing the template engine, function library, codecs and chart loader costs far more than
rendering a typical chart. The first `otterhelm template` renders in-process as usual and
starts a background server that has everything imported; later commands hand their
arguments, working directory and environment to it over a private Unix socket. The server
runs requests one at a time, as the CLI would, keeping parsed and compiled templates in
memory between them, and returns the exit code, standard output and standard error. It
exits after a period without requests or when its socket file is removed, and a server
started from other code (a changed checkout) is never used: its socket name carries a
fingerprint of the package files. Set OTTERHELM_NO_WARM_SERVER=1 to always render in-process.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from otterhelm.render.engine import TemplateCache

DISABLE_VARIABLE = "OTTERHELM_NO_WARM_SERVER"
IDLE_SECONDS = 300
CONNECT_TIMEOUT = 0.2
# sockaddr_un holds 108 bytes on Linux (104 elsewhere) including the terminator.
MAX_SOCKET_PATH = 100
_PACKAGE = Path(__file__).resolve().parent.parent


def fingerprint() -> str:
    """A digest of the interpreter and every module file of the package (path, size, mtime)."""
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}".encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def socket_path(print_: str) -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR") or str(Path.home() / ".cache" / "otterhelm" / "run")
    return Path(base) / f"otterhelm-template-{os.getuid()}-{print_}.sock"


def _recv_all(conn: socket.socket) -> bytes:
    chunks: list[bytes] = []
    while True:
        chunk = conn.recv(1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def try_remote(argv: Sequence[str]) -> int | None:
    """Run `otterhelm <argv>` on the warm server; None when there is none (one is then
    started in the background for the next command) or it could not answer."""
    if os.environ.get(DISABLE_VARIABLE):
        return None
    path = socket_path(fingerprint())
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(CONNECT_TIMEOUT)
        conn.connect(str(path))
    except OSError:
        conn.close()
        _spawn(path)
        return None
    try:
        conn.settimeout(None)
        request = {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ)}
        conn.sendall(json.dumps(request).encode())
        conn.shutdown(socket.SHUT_WR)
        reply = json.loads(_recv_all(conn))
    except (OSError, ValueError):
        return None
    finally:
        conn.close()
    for stream, text in ((sys.stdout, reply["out"]), (sys.stderr, reply["err"])):
        stream.flush()
        stream.buffer.write(text.encode("utf-8", "surrogateescape"))
        stream.buffer.flush()
    code: int = reply["rc"]
    return code


def _spawn(path: Path) -> None:
    import subprocess  # only the first, cold command pays for this import

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        subprocess.Popen(
            [sys.executable, "-m", "otterhelm.render.warm", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
            cwd="/",
        )
    except OSError:
        return


def _bind(path: Path) -> socket.socket | None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError:
        # Either a live server owns the name (then leave it) or a dead one left it behind.
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
            probe.close()
            server.close()
            return None
        except OSError:
            probe.close()
        try:
            path.unlink()
            server.bind(str(path))
        except OSError:
            server.close()
            return None
    os.chmod(path, 0o600)
    server.listen(64)
    return server


def _handle(conn: socket.socket, cache: TemplateCache) -> None:
    """Run one command as the CLI would, with parsed templates kept between requests."""
    import argparse

    from otterhelm.cli import template

    request = json.loads(_recv_all(conn))
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parser = argparse.ArgumentParser(prog="otterhelm template")
            template.add_arguments(parser)
            code = template.run_with_cache(parser.parse_args(request["argv"][1:]), cache)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except Exception as exc:
            err.write(f"Error: {exc}\n")
            code = 1
    conn.sendall(json.dumps({"rc": code, "out": out.getvalue(), "err": err.getvalue()}).encode())


def _retire_older_servers(path: Path) -> None:
    """Servers of other package versions can never be used again; removing their socket
    files makes them exit (they check once a second)."""
    prefix = path.name.rsplit("-", 1)[0] + "-"
    for other in path.parent.glob(prefix + "*.sock"):
        if other != path:
            with contextlib.suppress(OSError):
                other.unlink()


def serve(path: Path) -> None:
    # Warm everything a render touches before accepting work.
    from otterhelm.funcs import helm_functions
    from otterhelm.render.engine import TemplateCache

    helm_functions()
    cache = TemplateCache(capacity=64)
    server = _bind(path)
    if server is None:
        return
    bound_inode = path.stat().st_ino
    _retire_older_servers(path)
    server.settimeout(1.0)
    idle_since = time.monotonic()
    home = os.getcwd()
    environment = dict(os.environ)
    try:
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                # Removing the socket file stops the server; so does a long idle spell.
                if not path.exists() or time.monotonic() - idle_since > IDLE_SECONDS:
                    return
                continue
            # One request at a time, in this process, so compiled templates stay warm.
            try:
                conn.settimeout(None)
                _handle(conn, cache)
            except (OSError, ValueError):
                pass
            finally:
                conn.close()
                os.chdir(home)
                os.environ.clear()
                os.environ.update(environment)
                idle_since = time.monotonic()
    finally:
        server.close()
        with contextlib.suppress(OSError):
            if path.exists() and path.stat().st_ino == bound_inode:
                path.unlink()


if __name__ == "__main__":
    os.chdir("/")
    serve(Path(sys.argv[1]))
