"""Real servers on loopback for the chart-source tests: the distribution registry (Debian's
`docker-registry`) without auth, with htpasswd basic auth, with TLS, and with the token flow
(a token service of this file signing JWTs the registry verifies); and a threaded HTTP
server serving a chart repository directory.

A missing `docker-registry` fails the tests that need it (run scripts/tools); nothing is skipped."""

from __future__ import annotations

import base64
import datetime
import gzip
import http.server
import io
import ipaddress
import json
import os
import secrets
import socket
import ssl
import subprocess
import tarfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bcrypt
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from otterhelm.sources import AddressPolicy, Credentials, Limits, Registry, SourcesConfig, TLSOptions

REGISTRY_BINARY = Path("/usr/bin/docker-registry")
LOOPBACK_POLICY = AddressPolicy.allowing("127.0.0.1/32")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# --- charts ----------------------------------------------------------------------------


def build_chart(
    name: str = "demo",
    version: str = "1.0.0",
    *,
    app_version: str = "2.0.0",
    description: str = "A demo chart",
    extra: dict[str, bytes] | None = None,
    chart_yaml_extra: str = "",
) -> bytes:
    files: dict[str, bytes] = {
        "Chart.yaml": (
            f"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: {app_version!r}\n"
            f"description: {description}\ntype: application\n{chart_yaml_extra}"
        ).encode(),
        "values.yaml": b"replicas: 1\nmessage: hello\n",
        "README.md": f"# {name}\n\nThe {name} chart.\n".encode(),
        "templates/configmap.yaml": (
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
            b"data:\n  message: {{ .Values.message | quote }}\n"
        ),
    }
    files.update(extra or {})
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w") as tar,
    ):
        for path, data in files.items():
            info = tarfile.TarInfo(f"{name}/{path}")
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def make_chart() -> Callable[..., bytes]:
    return build_chart


# --- TLS ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    ca_file: Path
    cert_file: Path
    key_file: Path
    ca_key: ec.EllipticCurvePrivateKey
    ca_cert: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_pki(directory: Path, common_name: str = "otterhelm test CA") -> Pki:
    """A CA and a server certificate for 127.0.0.1 and localhost, written as PEM files."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = directory / "ca.crt", directory / "server.crt", directory / "server.key"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return Pki(ca_file, cert_file, key_file, ca_key, ca_cert)


# --- the token service -------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class TokenService:
    """Issues registry bearer tokens (ES256 JWTs with an x5c chain) to one user."""

    username: str
    password: str
    service: str
    issuer: str
    signing_key: ec.EllipticCurvePrivateKey
    signing_cert: x509.Certificate
    requests: list[dict[str, str]] = field(default_factory=list)
    # Repositories the user may pull but not push (the service answers 403 for push scopes).
    read_only: set[str] = field(default_factory=set)
    # Repositories for which tokens are issued without any access (the registry then answers
    # 401 insufficient_scope).
    no_access: set[str] = field(default_factory=set)

    def token(self, scope: str) -> str:
        header = {
            "typ": "JWT",
            "alg": "ES256",
            "x5c": [base64.b64encode(self.signing_cert.public_bytes(serialization.Encoding.DER)).decode()],
        }
        now = int(time.time())
        access = []
        for item in scope.split(" ") if scope else []:
            kind, name, actions = item.split(":", 2) if item.count(":") >= 2 else (item, "", "")
            if name in self.no_access:
                continue
            access.append({"type": kind, "name": name, "actions": [a for a in actions.split(",") if a]})
        claims = {
            "iss": self.issuer,
            "sub": self.username,
            "aud": self.service,
            "exp": now + 600,
            "nbf": now - 60,
            "iat": now,
            "jti": secrets.token_hex(8),
            "access": access,
        }
        signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        der = self.signing_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return f"{signing_input}.{_b64url(signature)}"

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                pairs = urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)
                query = dict(pairs)
                query["scope"] = " ".join(v for k, v in pairs if k == "scope")
                service.requests.append(query)
                expected = (
                    "Basic " + base64.b64encode(f"{service.username}:{service.password}".encode()).decode()
                )
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if any(
                    s.startswith(f"repository:{r}:") and "push" in s
                    for s in query["scope"].split(" ")
                    for r in service.read_only
                ):
                    self.send_response(403)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps({"token": service.token(query.get("scope", ""))}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


# --- the registry ------------------------------------------------------------------------


@dataclass
class RegistryServer:
    host: str  # 127.0.0.1:port
    storage: Path
    process: subprocess.Popen[bytes]
    log: Path
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None
    token_service: TokenService | None = None

    @property
    def tls(self) -> TLSOptions:
        return TLSOptions(ca_file=self.ca_file, plain_http=self.ca_file is None)

    def registry_config(self, *, credentials: Credentials | bool | None = True, ca: bool = True) -> Registry:
        if credentials is True:
            creds = Credentials(self.username, self.password) if self.username and self.password else None
        elif credentials is False:
            creds = None
        else:
            creds = credentials
        tls = self.tls if ca else TLSOptions(ca_file=None, plain_http=self.ca_file is None)
        return Registry(host=self.host, credentials=creds, tls=tls)

    def config(self, **kwargs: Any) -> SourcesConfig:
        registry_kwargs = {k: kwargs.pop(k) for k in ("credentials", "ca") if k in kwargs}
        return SourcesConfig(
            registries=(self.registry_config(**registry_kwargs),), policy=LOOPBACK_POLICY, **kwargs
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_registry(
    directory: Path,
    *,
    auth: str = "none",
    tls: bool = False,
    username: str = "otter",
    password: str = "s3cret!",
) -> tuple[RegistryServer, list[Callable[[], None]]]:
    if not REGISTRY_BINARY.exists():
        pytest.fail(f"{REGISTRY_BINARY} is missing: run scripts/tools (installs docker-registry)")
    directory.mkdir(parents=True, exist_ok=True)
    storage = directory / "storage"
    port = free_port()
    cleanups: list[Callable[[], None]] = []
    config: dict[str, Any] = {
        "version": 0.1,
        "log": {"level": "warn", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(storage)}, "delete": {"enabled": True}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": secrets.token_hex(16)},
    }
    server_args: dict[str, Any] = {}
    pki: Pki | None = None
    if tls or auth == "token":
        pki = make_pki(directory / "pki")
    if tls:
        assert pki is not None
        config["http"]["tls"] = {"certificate": str(pki.cert_file), "key": str(pki.key_file)}
        server_args["ca_file"] = pki.ca_file
    if auth == "htpasswd":
        hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode()
        htpasswd = directory / "htpasswd"
        htpasswd.write_text(f"{username}:{hashed}\n")
        config["auth"] = {"htpasswd": {"realm": "otterhelm-test", "path": str(htpasswd)}}
        server_args.update(username=username, password=password)
    elif auth == "token":
        assert pki is not None
        token_port = free_port()
        signing = make_pki(directory / "token-pki", "otterhelm token issuer")
        service = TokenService(
            username=username,
            password=password,
            service="otterhelm-registry",
            issuer="otterhelm-token-issuer",
            signing_key=signing.ca_key,
            signing_cert=signing.ca_cert,
        )
        token_server = http.server.ThreadingHTTPServer(("127.0.0.1", token_port), service.handler())
        threading.Thread(
            target=token_server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        cleanups.append(token_server.shutdown)
        config["auth"] = {
            "token": {
                "realm": f"http://127.0.0.1:{token_port}/token",
                "service": service.service,
                "issuer": service.issuer,
                "rootcertbundle": str(signing.ca_file),
            }
        }
        server_args.update(username=username, password=password, token_service=service)
    config_file = directory / "config.yml"
    config_file.write_text(json.dumps(config))  # JSON is YAML
    log = directory / "registry.log"
    with log.open("wb") as log_out:
        process = subprocess.Popen(
            [str(REGISTRY_BINARY), "serve", str(config_file)],
            stdout=log_out,
            stderr=subprocess.STDOUT,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
    server = RegistryServer(
        host=f"127.0.0.1:{port}", storage=storage, process=process, log=log, **server_args
    )
    cleanups.append(server.stop)
    scheme = "https" if tls else "http"
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            pytest.fail(f"docker-registry exited: {log.read_text()}")
        try:
            verify = ssl.create_default_context(cafile=str(pki.ca_file)) if tls and pki else True
            httpx.get(f"{scheme}://127.0.0.1:{port}/v2/", verify=verify, timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(f"docker-registry did not start: {log.read_text()}")
            time.sleep(0.05)
    return server, cleanups


def _registry_fixture(request: pytest.FixtureRequest, tmp: Path, **kwargs: Any) -> Iterator[RegistryServer]:
    server, cleanups = start_registry(tmp, **kwargs)
    try:
        yield server
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


@pytest.fixture(scope="session")
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RegistryServer]:
    """Plain HTTP, no auth."""
    yield from _registry_fixture(request, tmp_path_factory.mktemp("registry-plain"))


@pytest.fixture(scope="session")
def auth_registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RegistryServer]:
    """TLS (a test CA) with htpasswd basic auth."""
    yield from _registry_fixture(
        request, tmp_path_factory.mktemp("registry-basic"), auth="htpasswd", tls=True
    )


@pytest.fixture(scope="session")
def tls_registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RegistryServer]:
    """TLS (a test CA), no auth."""
    yield from _registry_fixture(request, tmp_path_factory.mktemp("registry-tls"), tls=True)


@pytest.fixture(scope="session")
def token_registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RegistryServer]:
    """Plain HTTP with the bearer token flow against this file's token service."""
    yield from _registry_fixture(request, tmp_path_factory.mktemp("registry-token"), auth="token")


# --- an HTTP chart repository -----------------------------------------------------------


@dataclass
class HttpServer:
    root: Path
    port: int
    host: str = "127.0.0.1"
    credentials: tuple[str, str] | None = None
    redirects: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)  # path -> status answered instead
    delay_seconds: float = 0.0
    requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


class _QuietServer(http.server.ThreadingHTTPServer):
    """Clients that stop reading on purpose (size limits, timeouts) are not errors here."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _serve(state: HttpServer) -> Callable[[], None]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(state.root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            state.requests.append(self.path)
            path = urllib.parse.urlsplit(self.path).path
            if state.credentials is not None:
                user, password = state.credentials
                expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="charts"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            if path in state.statuses:
                self.send_response(state.statuses[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path in state.redirects:
                self.send_response(302)
                self.send_header("Location", state.redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if state.delay_seconds:
                time.sleep(state.delay_seconds)
            super().do_GET()

    server = _QuietServer((state.host, state.port), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[Callable[..., HttpServer]]:
    """A factory: `http_server(root, host=..., credentials=...)` serves `root` on loopback."""
    stops: list[Callable[[], None]] = []

    def start(root: Path | None = None, **kwargs: Any) -> HttpServer:
        directory = root or (tmp_path / f"www-{len(stops)}")
        directory.mkdir(parents=True, exist_ok=True)
        state = HttpServer(root=directory, port=0, **kwargs)
        stops.append(_serve(state))
        return state

    yield start
    for stop in stops:
        stop()


@pytest.fixture
def loopback_config(tmp_path: Path) -> Callable[..., SourcesConfig]:
    """SourcesConfig that allows 127.0.0.1 (and nothing else on loopback)."""

    def make(**kwargs: Any) -> SourcesConfig:
        kwargs.setdefault("policy", LOOPBACK_POLICY)
        kwargs.setdefault("limits", Limits(timeout_seconds=10))
        return SourcesConfig(**kwargs)

    return make
