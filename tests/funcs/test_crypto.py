"""sprig's crypto functions (sprig v3.3.0 crypto.go, crypto_test.go).

Random output is checked by shape and by verifying what was generated: keys load and match
their certificates, signatures verify against the issuer, AES output decrypts. Interop with Go
uses data/go_crypto_vectors.json, made by the Go sprig v3.3.0 that helm v4.3.1 links: AES
ciphertexts written by Go's encryptAES, private keys from Go's genPrivateKey, a CA from Go's
genCA.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from pathlib import Path
from typing import Any

import bcrypt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from otterhelm.funcs import crypto, helm_functions
from otterhelm.template import TemplateExecError, TemplateSet
from otterhelm.template.gotypes import FuncError

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "go_crypto_vectors.json").read_text("utf-8")
)


def render(template: str, data: Any = None) -> str:
    templates = TemplateSet(helm_functions())
    templates.parse("test", template)
    return templates.execute("test", data)


# sprig crypto_test.go TestDerivePassword.
DERIVE_PASSWORD = {
    '{{derivePassword 1 "long" "password" "user" "example.com"}}': "ZedaFaxcZaso9*",
    '{{derivePassword 2 "long" "password" "user" "example.com"}}': "Fovi2@JifpTupx",
    '{{derivePassword 1 "maximum" "password" "user" "example.com"}}': "pf4zS1LjCg&LjhsZ7T2~",
    '{{derivePassword 1 "medium" "password" "user" "example.com"}}': "ZedJuz8$",
    '{{derivePassword 1 "basic" "password" "user" "example.com"}}': "pIS54PLs",
    '{{derivePassword 1 "short" "password" "user" "example.com"}}': "Zed5",
    '{{derivePassword 1 "pin" "password" "user" "example.com"}}': "6685",
}


@pytest.mark.parametrize(("template", "expected"), sorted(DERIVE_PASSWORD.items()))
def test_derive_password_matches_sprig(template: str, expected: str) -> None:
    assert render(template) == expected


def test_derive_password_unknown_template() -> None:
    assert render('{{derivePassword 1 "nope" "p" "u" "s"}}') == "cannot find password template nope"


def test_bcrypt_and_htpasswd() -> None:
    hashed = render('{{ bcrypt "abc" }}')
    assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{53}", hashed)
    assert bcrypt.checkpw(b"abc", hashed.encode())
    line = render('{{ htpasswd "myUser" "myPassword" }}')
    user, _, password_hash = line.partition(":")
    assert user == "myUser"
    assert bcrypt.checkpw(b"myPassword", password_hash.encode())
    assert render('{{ htpasswd "my:user" "x" }}') == "invalid username: my:user"


def test_aes_round_trip_and_format() -> None:
    # crypto_test.go TestEncryptDecryptAES.
    assert render('{{"plaintext" | encryptAES "secretkey" | decryptAES "secretkey"}}') == "plaintext"
    sealed = base64.b64decode(render('{{ encryptAES "k" "0123456789abcdef" }}'))
    assert len(sealed) == 16 + 32  # IV, then the block plus a whole block of padding
    assert render('{{ encryptAES "k" "" }}') == ""
    assert render('{{ decryptAES "k" "" }}') == ""


@pytest.mark.parametrize("vector", VECTORS["aes"], ids=lambda v: f"{v['password'][:6]}-{len(v['plaintext'])}")
def test_decrypt_aes_reads_go_ciphertext(vector: dict[str, str]) -> None:
    assert crypto.decrypt_aes(vector["password"], vector["ciphertext"]) == vector["plaintext"]


@pytest.mark.parametrize(
    ("ciphertext", "message"),
    [
        ("abc", "illegal base64 data at input byte 0"),
        ("YWJj", "runtime error: slice bounds out of range [:16] with capacity 3"),
    ],
)
def test_decrypt_aes_errors_as_go(ciphertext: str, message: str) -> None:
    with pytest.raises(FuncError, match=re.escape(message)):
        crypto.decrypt_aes("k", ciphertext)


def test_rand_bytes() -> None:
    # crypto_test.go TestRandBytes: base64 of exactly n bytes.
    assert len(base64.b64decode(render("{{ randBytes 12 }}"))) == 12
    assert render("{{ randBytes 0 }}") == ""


def _load_key(pem: str) -> Any:
    return serialization.load_pem_private_key(pem.encode(), password=None)


@pytest.mark.parametrize(
    ("kind", "header", "key_type"),
    [
        ("ecdsa", "EC PRIVATE KEY", ec.EllipticCurvePrivateKey),
        ("ed25519", "PRIVATE KEY", ed25519.Ed25519PrivateKey),
        ("dsa", "DSA PRIVATE KEY", dsa.DSAPrivateKey),
        ("rsa", "RSA PRIVATE KEY", rsa.RSAPrivateKey),
    ],
)
def test_gen_private_key_forms(kind: str, header: str, key_type: type) -> None:
    pem = render(f'{{{{ genPrivateKey "{kind}" }}}}')
    assert pem.startswith(f"-----BEGIN {header}-----\n")
    assert pem.endswith(f"-----END {header}-----\n")
    key = _load_key(pem)
    assert isinstance(key, key_type)
    if isinstance(key, rsa.RSAPrivateKey):
        assert key.key_size == 4096
    if isinstance(key, ec.EllipticCurvePrivateKey):
        assert key.curve.name == "secp256r1"
    # The form matches Go's for the same kind of key.
    assert VECTORS["keys"][kind].splitlines()[0] == pem.splitlines()[0]


def test_gen_private_key_unknown_type() -> None:
    assert render('{{ genPrivateKey "foo" }}') == "Unknown type foo"


@pytest.mark.parametrize("kind", ["rsa", "ecdsa", "ed25519", "dsa"])
def test_go_generated_keys_parse(kind: str) -> None:
    key = crypto.parse_private_key_pem(VECTORS["keys"][kind])
    assert key.public_key() is not None


def _cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _verify(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    key = issuer.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        assert cert.signature_hash_algorithm is not None
        key.verify(
            cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm
        )
    elif isinstance(key, ec.EllipticCurvePublicKey):
        assert cert.signature_hash_algorithm is not None
        key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    else:
        assert isinstance(key, ed25519.Ed25519PublicKey)
        key.verify(cert.signature, cert.tbs_certificate_bytes)
    assert cert.issuer == issuer.subject


def _same_public_key(cert: x509.Certificate, key_pem: str) -> bool:
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return bool(cert.public_key().public_bytes(*spki) == _load_key(key_pem).public_key().public_bytes(*spki))


def _check_template_fields(cert: x509.Certificate, common_name: str, days: int, is_ca: bool) -> None:
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == common_name
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert lifetime == datetime.timedelta(days=days)
    assert abs(cert.not_valid_before_utc - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(
        minutes=5
    )
    assert 0 < cert.serial_number < 2**128
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_encipherment and usage.key_cert_sign == is_ca
    extended = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(extended) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca == is_ca


def test_gen_ca_is_a_self_signed_rsa_2048_ca() -> None:
    out = render('{{ $ca := genCA "foo ca" 365 }}{{ $ca.Cert }}@{{ $ca.Key }}')
    cert_pem, key_pem = out.split("@")
    assert cert_pem.startswith("-----BEGIN CERTIFICATE-----\n")
    assert key_pem.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    cert = _cert(cert_pem)
    _check_template_fields(cert, "foo ca", 365, is_ca=True)
    _verify(cert, cert)
    assert _same_public_key(cert, key_pem)
    key = _load_key(key_pem)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048


@pytest.mark.parametrize("kind", ["rsa", "ecdsa", "ed25519"])
def test_gen_ca_with_go_key(kind: str) -> None:
    ca = crypto.gen_ca_with_key("with key", 7, VECTORS["keys"][kind])
    cert = _cert(ca.cert)
    _verify(cert, cert)
    assert _same_public_key(cert, VECTORS["keys"][kind])


def test_dsa_keys_cannot_sign_as_in_go() -> None:
    with pytest.raises(FuncError, match=re.escape("does not implement crypto.Signer")):
        crypto.gen_ca_with_key("x", 1, VECTORS["keys"]["dsa"])


def test_gen_self_signed_cert_with_sans() -> None:
    out = render(
        '{{ $c := genSelfSignedCert "foo.com" (list "10.0.0.1" "::1") (list "bar.com" "bat.com") 10 }}'
        "{{ $c.Cert }}@{{ $c.Key }}"
    )
    cert_pem, key_pem = out.split("@")
    cert = _cert(cert_pem)
    _check_template_fields(cert, "foo.com", 10, is_ca=False)
    _verify(cert, cert)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["bar.com", "bat.com"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["10.0.0.1", "::1"]
    assert _same_public_key(cert, key_pem)


def test_self_signed_cert_argument_errors() -> None:
    with pytest.raises(TemplateExecError, match=re.escape("error parsing ip: 300.1.1.1")):
        render('{{ genSelfSignedCert "x" (list "300.1.1.1") nil 1 }}')
    with pytest.raises(TemplateExecError, match="error parsing ip: 1 is not a string"):
        render('{{ genSelfSignedCert "x" (list 1) nil 1 }}')


def test_gen_signed_cert_by_own_ca() -> None:
    out = render(
        '{{ $ca := genCA "foo ca" 365 }}{{ $c := genSignedCert "foo.com" nil (list "foo.com") 365 $ca }}'
        "{{ $ca.Cert }}@{{ $c.Cert }}@{{ $c.Key }}"
    )
    ca_pem, cert_pem, key_pem = out.split("@")
    ca, cert = _cert(ca_pem), _cert(cert_pem)
    _check_template_fields(cert, "foo.com", 365, is_ca=False)
    _verify(cert, ca)
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert _same_public_key(cert, key_pem)


def test_gen_signed_cert_by_go_ca_with_go_key() -> None:
    go_ca = crypto.Certificate(VECTORS["ca"]["Cert"], VECTORS["ca"]["Key"])
    signed = crypto.gen_signed_cert_with_key("leaf", ["127.0.0.1"], None, 2, go_ca, VECTORS["keys"]["ecdsa"])
    cert = _cert(signed.cert)
    _verify(cert, _cert(go_ca.cert))
    assert _same_public_key(cert, VECTORS["keys"]["ecdsa"])
    # The key comes back re-encoded in the form Go writes, which is the form Go gave it in.
    assert signed.key == VECTORS["keys"]["ecdsa"]


def test_build_custom_cert_round_trip_and_errors() -> None:
    go_ca = VECTORS["ca"]
    data = {
        "c": base64.b64encode(go_ca["Cert"].encode()).decode(),
        "k": base64.b64encode(go_ca["Key"].encode()).decode(),
    }
    out = render("{{ $c := buildCustomCert .c .k }}{{ $c.Cert }}{{ $c.Key }}", data)
    assert out == go_ca["Cert"] + go_ca["Key"]
    with pytest.raises(TemplateExecError, match="unable to decode base64 certificate"):
        render('{{ buildCustomCert "!!" "" }}')
    with pytest.raises(TemplateExecError, match="unable to decode certificate"):
        render('{{ buildCustomCert "YWJj" "YWJj" }}')


def test_certificate_prints_and_serializes_like_the_go_struct() -> None:
    out = render('{{ $c := genCA "x" 1 }}{{ typeOf $c }}|{{ $c | toJson }}')
    type_name, _, as_json = out.partition("|")
    assert type_name == "sprig.certificate"
    assert sorted(json.loads(as_json)) == ["Cert", "Key"]


def test_edge_outputs_match_helm() -> None:
    # helm v4.3.1 rendered exactly this for the same template.
    template = (
        '{{ bcrypt (repeat 73 "a") }}|{{ htpasswd "u" (repeat 80 "b") }}|{{ genPrivateKey "x" }}|'
        '{{ derivePassword 1 "long" "" "" "" }}|{{ encryptAES "k" "" }}'
    )
    assert render(template) == (
        "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes|"
        "u:failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes|"
        "Unknown type x|YavoDajh9;Zafn|"
    )
