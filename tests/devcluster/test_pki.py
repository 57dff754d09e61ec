"""The generated PKI: what kube-apiserver and its clients need, signed by one CA."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from otterhelm.devcluster.pki import KeyPair, ensure_pki, issue_certificate


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _verify_signed_by(leaf: x509.Certificate, ca: x509.Certificate) -> None:
    public_key = ca.public_key()
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    leaf.verify_directly_issued_by(ca)


def test_serving_certificate_covers_the_loopback_names(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    ca = _cert(pki.ca.cert)
    serving = _cert(pki.serving.cert)
    _verify_signed_by(serving, ca)
    names = serving.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert "kubernetes.default.svc" in names.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    usages = serving.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usages


def test_admin_is_a_client_in_system_masters(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    admin = _cert(pki.admin.cert)
    _verify_signed_by(admin, _cert(pki.ca.cert))
    assert [a.value for a in admin.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == [
        "system:masters"
    ]
    assert (
        ExtendedKeyUsageOID.CLIENT_AUTH
        in admin.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    )
    assert (pki.admin.key.stat().st_mode & 0o777) == 0o600


def test_pki_is_reused_not_regenerated(tmp_path: Path) -> None:
    first = ensure_pki(tmp_path)
    ca_bytes = first.ca.cert.read_bytes()
    second = ensure_pki(tmp_path)
    assert second == first
    assert second.ca.cert.read_bytes() == ca_bytes


def test_named_user_certificates_carry_user_and_groups(tmp_path: Path) -> None:
    pki = ensure_pki(tmp_path)
    pair = issue_certificate(
        pki.ca,
        KeyPair(tmp_path / "carol.crt", tmp_path / "carol.key"),
        common_name="carol",
        organizations=["team-a", "team-b"],
    )
    cert = _cert(pair.cert)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "carol"
    assert [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)] == [
        "team-a",
        "team-b",
    ]
