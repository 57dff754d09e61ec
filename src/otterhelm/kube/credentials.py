"""How to reach and authenticate to one API server: from a kubeconfig file or in-cluster."""

from __future__ import annotations

import base64
import os
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from otterhelm.errors import FailedPrecondition

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")


class KubeconfigError(FailedPrecondition):
    """A kubeconfig (or the in-cluster environment) cannot be used."""


@dataclass(frozen=True)
class ClusterCredentials:
    server: str
    ca_pem: str | None = None
    insecure_skip_tls_verify: bool = False
    client_cert_pem: bytes | None = None
    client_key_pem: bytes | None = None
    token: str | None = None
    # Read on every request: projected service account tokens rotate.
    token_file: Path | None = None

    def bearer_token(self) -> str | None:
        if self.token_file is not None:
            return self.token_file.read_text().strip()
        return self.token

    def ssl_context(self) -> ssl.SSLContext | bool:
        """What httpx's `verify` takes; False only when the kubeconfig turns TLS checks off."""
        if not self.server.startswith("https://"):
            return False
        if self.insecure_skip_tls_verify and self.client_cert_pem is None:
            return False
        context = (
            ssl.create_default_context(cadata=self.ca_pem) if self.ca_pem else ssl.create_default_context()
        )
        if self.insecure_skip_tls_verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.client_cert_pem is not None and self.client_key_pem is not None:
            _load_client_cert(context, self.client_cert_pem, self.client_key_pem)
        return context


def _load_client_cert(context: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    # The ssl module only loads certificate chains from files; keep them private and brief.
    with tempfile.TemporaryDirectory(prefix="otterhelm-tls-") as tmp:
        cert_path = Path(tmp, "client.crt")
        key_path = Path(tmp, "client.key")
        for path, data in ((cert_path, cert_pem), (key_path, key_pem)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        context.load_cert_chain(cert_path, key_path)


def load_kubeconfig(path: Path, context: str | None = None) -> ClusterCredentials:
    """The credentials of `context` (or the file's current-context) in a kubeconfig file."""
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise KubeconfigError(f"cannot read kubeconfig {path}: {error}") from error
    if not isinstance(document, dict):
        raise KubeconfigError(f"kubeconfig {path} is not a mapping")
    context_name = context or document.get("current-context")
    if not context_name:
        raise KubeconfigError(f"kubeconfig {path} names no current-context and none was given")
    context_entry = _named(document, "contexts", "context", str(context_name), path)
    cluster = _named(document, "clusters", "cluster", str(context_entry.get("cluster", "")), path)
    user_name = context_entry.get("user")
    user = _named(document, "users", "user", str(user_name), path) if user_name else {}
    base = path.parent
    if "exec" in user or "auth-provider" in user:
        raise KubeconfigError(f"kubeconfig {path}: exec and auth-provider credentials are not supported")
    server = cluster.get("server")
    if not isinstance(server, str) or not server:
        raise KubeconfigError(f"kubeconfig {path}: cluster of context {context_name!r} has no server")
    ca = _data_or_file(cluster, "certificate-authority", base)
    token_file = user.get("tokenFile")
    return ClusterCredentials(
        server=server.rstrip("/"),
        ca_pem=ca.decode() if ca is not None else None,
        insecure_skip_tls_verify=bool(cluster.get("insecure-skip-tls-verify", False)),
        client_cert_pem=_data_or_file(user, "client-certificate", base),
        client_key_pem=_data_or_file(user, "client-key", base),
        token=user.get("token"),
        token_file=_resolve(base, str(token_file)) if token_file else None,
    )


def in_cluster_credentials(
    environ: Mapping[str, str], account_dir: Path = SERVICE_ACCOUNT_DIR
) -> ClusterCredentials:
    """The pod's service account, as client-go's rest.InClusterConfig finds it."""
    host = environ.get("KUBERNETES_SERVICE_HOST")
    port = environ.get("KUBERNETES_SERVICE_PORT")
    if not host or not port:
        raise KubeconfigError("not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set")
    token_path = account_dir / "token"
    if not token_path.is_file():
        raise KubeconfigError(f"not running in a cluster: {token_path} does not exist")
    ca_path = account_dir / "ca.crt"
    host_part = f"[{host}]" if ":" in host else host
    return ClusterCredentials(
        server=f"https://{host_part}:{port}",
        ca_pem=ca_path.read_text() if ca_path.is_file() else None,
        token_file=token_path,
    )


def _named(document: dict[str, Any], section: str, key: str, name: str, path: Path) -> dict[str, Any]:
    for entry in document.get(section) or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            value = entry.get(key) or {}
            if isinstance(value, dict):
                return value
    raise KubeconfigError(f"kubeconfig {path}: no {key} named {name!r}")


def _data_or_file(section: dict[str, Any], key: str, base: Path) -> bytes | None:
    data = section.get(f"{key}-data")
    if data:
        return base64.b64decode(data)
    file_name = section.get(key)
    if file_name:
        try:
            return _resolve(base, str(file_name)).read_bytes()
        except OSError as error:
            raise KubeconfigError(f"cannot read {key} {file_name}: {error}") from error
    return None


def _resolve(base: Path, name: str) -> Path:
    # kubeconfig paths are relative to the kubeconfig file itself.
    path = Path(name).expanduser()
    return path if path.is_absolute() else base / path
