"""Certificates and keys for the development control plane: a CA, the API server's serving
certificate for the loopback names, client certificates (the admin is in system:masters), and
the service-account signing key."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# A development cluster outlives a test session only on a developer's machine; ten years
# means nobody has to rotate anything.
VALIDITY = datetime.timedelta(days=3650)
SERVING_DNS_NAMES = (
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
)
SERVING_IPS = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class KeyPair:
    cert: Path
    key: Path


@dataclass(frozen=True)
class Pki:
    ca: KeyPair
    serving: KeyPair
    admin: KeyPair
    service_account_key: Path
    service_account_public_key: Path


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)


def _name(common_name: str, organizations: Sequence[str] = ()) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org) for org in organizations]
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _load_ca(ca: KeyPair) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    key = serialization.load_pem_private_key(ca.key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{ca.key} is not an EC private key")
    return cert, key


def _create_ca(directory: Path) -> KeyPair:
    pair = KeyPair(directory / "ca.crt", directory / "ca.key")
    key = _new_key()
    now = datetime.datetime.now(datetime.UTC)
    name = _name("otterhelm-devcluster-ca")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(pair.key, key)
    pair.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pair


def issue_certificate(
    ca: KeyPair,
    destination: KeyPair,
    *,
    common_name: str,
    organizations: Sequence[str] = (),
    dns_names: Sequence[str] = (),
    ip_addresses: Sequence[str] = (),
    server: bool = False,
) -> KeyPair:
    """Sign a leaf certificate with the CA: a serving certificate when `server`, otherwise a
    client certificate whose CN is the Kubernetes user and whose O entries are its groups."""
    ca_cert, ca_key = _load_ca(ca)
    key = _new_key()
    now = datetime.datetime.now(datetime.UTC)
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organizations))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    alternative_names: list[x509.GeneralName] = [x509.DNSName(name) for name in dns_names]
    alternative_names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in ip_addresses]
    if alternative_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(alternative_names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    _write_key(destination.key, key)
    destination.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return destination


def _create_service_account_keys(directory: Path) -> tuple[Path, Path]:
    private_path = directory / "service-account.key"
    public_path = directory / "service-account.pub"
    key = _new_key()
    _write_key(private_path, key)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private_path, public_path


def ensure_pki(directory: Path) -> Pki:
    """The PKI in `directory`, created on first use and reused afterwards, so a restarted
    cluster keeps its identities (and kubeconfigs handed out earlier stay valid)."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = Pki(
        ca=KeyPair(directory / "ca.crt", directory / "ca.key"),
        serving=KeyPair(directory / "apiserver.crt", directory / "apiserver.key"),
        admin=KeyPair(directory / "admin.crt", directory / "admin.key"),
        service_account_key=directory / "service-account.key",
        service_account_public_key=directory / "service-account.pub",
    )
    every_file = (
        pki.ca.cert,
        pki.ca.key,
        pki.serving.cert,
        pki.serving.key,
        pki.admin.cert,
        pki.admin.key,
        pki.service_account_key,
        pki.service_account_public_key,
    )
    if all(path.is_file() for path in every_file):
        return pki
    _create_ca(directory)
    issue_certificate(
        pki.ca,
        pki.serving,
        common_name="kube-apiserver",
        dns_names=SERVING_DNS_NAMES,
        ip_addresses=SERVING_IPS,
        server=True,
    )
    issue_certificate(pki.ca, pki.admin, common_name="otterhelm-admin", organizations=["system:masters"])
    _create_service_account_keys(directory)
    return pki
