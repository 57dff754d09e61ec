"""Kubeconfig files for the development cluster: one context, one user."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONTEXT_NAME = "devcluster"


@dataclass(frozen=True)
class ClientCertificate:
    cert: Path
    key: Path


@dataclass(frozen=True)
class BearerToken:
    token: str


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def write_kubeconfig(
    path: Path,
    *,
    server: str,
    ca_cert: Path,
    user: str,
    credentials: ClientCertificate | BearerToken,
) -> Path:
    """Write a self-contained kubeconfig (certificates embedded) whose current context is
    `devcluster`, so it keeps working wherever it is copied."""
    user_entry: dict[str, Any]
    if isinstance(credentials, ClientCertificate):
        user_entry = {
            "client-certificate-data": _b64(credentials.cert),
            "client-key-data": _b64(credentials.key),
        }
    else:
        user_entry = {"token": credentials.token}
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT_NAME,
                "cluster": {"server": server, "certificate-authority-data": _b64(ca_cert)},
            }
        ],
        "users": [{"name": user, "user": user_entry}],
        "contexts": [{"name": CONTEXT_NAME, "context": {"cluster": CONTEXT_NAME, "user": user}}],
        "current-context": CONTEXT_NAME,
        "preferences": {},
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    path.chmod(0o600)
    return path
