from __future__ import annotations

import base64
import ssl
from pathlib import Path

import pytest
import yaml

from otterhelm.kube.credentials import KubeconfigError, in_cluster_credentials, load_kubeconfig


def _write(path: Path, document: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump(document))
    return path


def _kubeconfig(**user: object) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "one",
        "clusters": [
            {
                "name": "c1",
                "cluster": {"server": "https://one.example:6443/", "certificate-authority": "ca.pem"},
            },
            {
                "name": "c2",
                "cluster": {
                    "server": "https://two.example",
                    "certificate-authority-data": base64.b64encode(b"CA-TWO").decode(),
                    "insecure-skip-tls-verify": False,
                },
            },
        ],
        "users": [{"name": "u1", "user": user}, {"name": "u2", "user": {"token": "token-two"}}],
        "contexts": [
            {"name": "one", "context": {"cluster": "c1", "user": "u1"}},
            {"name": "two", "context": {"cluster": "c2", "user": "u2"}},
        ],
    }


def test_current_context_with_files_relative_to_the_kubeconfig(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("CA-ONE")
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs/client.crt").write_bytes(b"CERT")
    (tmp_path / "certs/client.key").write_bytes(b"KEY")
    path = _write(
        tmp_path / "config",
        _kubeconfig(**{"client-certificate": "certs/client.crt", "client-key": "certs/client.key"}),
    )
    credentials = load_kubeconfig(path)
    assert credentials.server == "https://one.example:6443"
    assert credentials.ca_pem == "CA-ONE"
    assert credentials.client_cert_pem == b"CERT"
    assert credentials.client_key_pem == b"KEY"
    assert credentials.bearer_token() is None


def test_named_context_with_inline_data_and_token(tmp_path: Path) -> None:
    path = _write(tmp_path / "config", _kubeconfig())
    credentials = load_kubeconfig(path, "two")
    assert credentials.server == "https://two.example"
    assert credentials.ca_pem == "CA-TWO"
    assert credentials.bearer_token() == "token-two"


def test_token_file_is_read_on_each_use(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("CA")
    token = tmp_path / "token"
    token.write_text("first\n")
    credentials = load_kubeconfig(_write(tmp_path / "config", _kubeconfig(tokenFile="token")))
    assert credentials.bearer_token() == "first"
    token.write_text("rotated")
    assert credentials.bearer_token() == "rotated"


@pytest.mark.parametrize(
    ("user", "context", "message"),
    [
        ({}, "three", "no context named 'three'"),
        ({"exec": {"command": "login"}}, None, "exec and auth-provider credentials are not supported"),
        ({"client-certificate": "missing.crt"}, None, "cannot read client-certificate missing.crt"),
    ],
)
def test_unusable_kubeconfigs(
    tmp_path: Path, user: dict[str, object], context: str | None, message: str
) -> None:
    (tmp_path / "ca.pem").write_text("CA")
    path = _write(tmp_path / "config", _kubeconfig(**user))
    with pytest.raises(KubeconfigError, match=message):
        load_kubeconfig(path, context)


def test_missing_kubeconfig(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError, match="cannot read kubeconfig"):
        load_kubeconfig(tmp_path / "nope")


def test_in_cluster(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("sa-token")
    (tmp_path / "ca.crt").write_text("CLUSTER-CA")
    environ = {"KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"}
    credentials = in_cluster_credentials(environ, tmp_path)
    assert credentials.server == "https://[fd00::1]:443"
    assert credentials.ca_pem == "CLUSTER-CA"
    assert credentials.bearer_token() == "sa-token"


def test_not_in_a_cluster(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigError, match="KUBERNETES_SERVICE_HOST"):
        in_cluster_credentials({}, tmp_path)
    with pytest.raises(KubeconfigError, match="does not exist"):
        in_cluster_credentials(
            {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}, tmp_path
        )


def test_the_devcluster_admin_kubeconfig_gives_a_client_certificate_context(kubeconfig: Path) -> None:
    credentials = load_kubeconfig(kubeconfig)
    assert credentials.server.startswith("https://127.0.0.1:")
    context = credentials.ssl_context()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
