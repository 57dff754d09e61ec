"""sprig's crypto functions (sprig v3.3.0 crypto.go): keys, certificates, AES, Master
Password, bcrypt.

Certificates follow sprig's template: a random 128-bit serial, the common name as the only
subject attribute, NotBefore now and NotAfter `days` later, key usage key encipherment and
digital signature (plus certificate signing for a CA), extended key usage server and client
auth, basic constraints marked valid. Generated keys are RSA 2048 for certificates and RSA
4096 for `genPrivateKey` by default, written in the PEM forms Go writes. `cryptography` and
`bcrypt` are imported inside the functions so that start-up does not pay for them. Key
generation is CPU-bound and synchronous: rendering must run off the event loop.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
import struct

from otterhelm.template.gotypes import INT, LIST, STRING, Func, FuncError, GoObject

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes

CERTIFICATE_TYPE = "sprig.certificate"
_PEM_BLOCK = re.compile(r"-----BEGIN ([^-\r\n]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL)


class Certificate(GoObject):
    """sprig's `certificate` struct: PEM text of a certificate and of its private key."""

    go_type: ClassVar[str] = CERTIFICATE_TYPE
    go_fields: ClassVar[dict[str, str]] = {"Cert": "cert", "Key": "key"}

    def __init__(self, cert: str, key: str, parsed: tuple[Any, Any] | None = None) -> None:
        self.cert = cert
        self.key = key
        # The certificate and key objects `cert` and `key` were written from, when this
        # process made them: signing with this CA then skips parsing its PEM again, where
        # OpenSSL's RSA key check alone costs about 60 ms.
        self.parsed = parsed

    def go_json(self) -> dict[str, str]:
        return {"Cert": self.cert, "Key": self.key}


# -- bcrypt -------------------------------------------------------------------------------------

_BCRYPT_DEFAULT_COST = 10


def bcrypt_hash(text: str) -> str:
    """golang.org/x/crypto/bcrypt at DefaultCost, which writes the `$2a$` prefix."""
    import bcrypt

    data = text.encode("utf-8")
    if len(data) > 72:
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    hashed: bytes = bcrypt.hashpw(data, bcrypt.gensalt(rounds=_BCRYPT_DEFAULT_COST, prefix=b"2a"))
    return hashed.decode("ascii")


def htpasswd(username: str, password: str) -> str:
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{bcrypt_hash(password)}"


# -- random bytes and AES -------------------------------------------------------------------------


def rand_bytes(count: int) -> str:
    if count < 0:
        raise FuncError("runtime error: makeslice: len out of range")
    return base64.b64encode(secrets.token_bytes(count)).decode("ascii")


def _aes_key(password: str) -> bytes:
    # copy(key, password) into 32 zero bytes: truncated or zero-padded, always AES-256.
    return password.encode("utf-8")[:32].ljust(32, b"\x00")


def encrypt_aes(password: str, plaintext: str) -> str:
    """AES-256-CBC, PKCS#7 padding, a random IV in front, base64 of it all (sprig's format)."""
    if plaintext == "":
        return ""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    content = plaintext.encode("utf-8")
    padding = 16 - len(content) % 16
    content += bytes([padding]) * padding
    iv = secrets.token_bytes(16)
    encryptor = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    sealed = encryptor.update(content) + encryptor.finalize()
    return base64.b64encode(iv + sealed).decode("ascii")


def decrypt_aes(password: str, crypt64: str) -> str:
    """The inverse of encrypt_aes. Like sprig it trusts the last byte as the padding length."""
    if crypt64 == "":
        return ""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    crypt = go_base64_decode(crypt64)
    if len(crypt) < 16:
        raise FuncError(f"runtime error: slice bounds out of range [:16] with capacity {len(crypt)}")
    iv, body = crypt[:16], crypt[16:]
    if len(body) % 16:
        raise FuncError("crypto/cipher: input not full blocks")
    if not body:
        raise FuncError("runtime error: index out of range [-1]")
    decryptor = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    decrypted = decryptor.update(body) + decryptor.finalize()
    end = len(decrypted) - decrypted[-1]
    if end < 0:
        raise FuncError(f"runtime error: slice bounds out of range [:{end}]")
    return decrypted[:end].decode("utf-8", errors="replace")


def go_base64_decode(text: str) -> bytes:
    """base64.StdEncoding.DecodeString with Go's error text (the decoder the encoding family
    already carries for b64dec)."""
    from otterhelm.funcs.encoding import _b64_decode

    try:
        return _b64_decode(text.encode("utf-8"))
    except ValueError as error:
        raise FuncError(str(error)) from None


# -- Master Password (derivePassword) -----------------------------------------------------------

_MASTER_PASSWORD_SEED = b"com.lyndir.masterpassword"
_PASSWORD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "maximum": ("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"),
    "long": (
        "CvcvnoCvcvCvcv",
        "CvcvCvcvnoCvcv",
        "CvcvCvcvCvcvno",
        "CvccnoCvcvCvcv",
        "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno",
        "CvcvnoCvccCvcv",
        "CvcvCvccnoCvcv",
        "CvcvCvccCvcvno",
        "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc",
        "CvcvCvcvCvccno",
        "CvccnoCvccCvcv",
        "CvccCvccnoCvcv",
        "CvccCvccCvcvno",
        "CvcvnoCvccCvcc",
        "CvcvCvccnoCvcc",
        "CvcvCvccCvccno",
        "CvccnoCvcvCvcc",
        "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ),
    "medium": ("CvcnoCvc", "CvcCvcno"),
    "short": ("Cvcn",),
    "basic": ("aaanaaan", "aannaaan", "aaannaaa"),
    "pin": ("nnnn",),
}
_TEMPLATE_CHARACTERS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}


def derive_password(counter: int, password_type: str, password: str, user: str, site: str) -> str:
    """The Master Password algorithm (scrypt N=32768 r=8 p=2 key, HMAC-SHA256 seed)."""
    templates = _PASSWORD_TEMPLATES.get(password_type)
    if templates is None:
        return f"cannot find password template {password_type}"
    user_bytes, site_bytes = user.encode("utf-8"), site.encode("utf-8")
    salt = _MASTER_PASSWORD_SEED + struct.pack(">I", len(user_bytes)) + user_bytes
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=64 << 20)
    message = (
        _MASTER_PASSWORD_SEED
        + struct.pack(">I", len(site_bytes))
        + site_bytes
        + struct.pack(">I", counter & 0xFFFFFFFF)
    )
    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    return "".join(
        _TEMPLATE_CHARACTERS[kind][seed[index + 1] % len(_TEMPLATE_CHARACTERS[kind])]
        for index, kind in enumerate(template)
    )


# -- keys ----------------------------------------------------------------------------------------


def _pem_for_key(key: Any) -> str:
    """pemBlockForKey: PKCS#1 for RSA, SEC 1 for EC, OpenSSL's DSA form, PKCS#8 otherwise."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

    traditional = isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, dsa.DSAPrivateKey))
    key_format = (
        serialization.PrivateFormat.TraditionalOpenSSL if traditional else serialization.PrivateFormat.PKCS8
    )
    pem: bytes = key.private_bytes(serialization.Encoding.PEM, key_format, serialization.NoEncryption())
    return pem.decode("ascii")


def generate_private_key(key_type: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

    key: Any
    if key_type in ("", "rsa"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    elif key_type == "dsa":
        key = dsa.generate_private_key(key_size=2048)
    elif key_type == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + key_type
    return _pem_for_key(key)


def _first_pem_block(text: str) -> tuple[str, bytes] | None:
    match = _PEM_BLOCK.search(text)
    if match is None:
        return None
    body = "".join(line for line in match.group(2).splitlines() if ":" not in line)
    try:
        return match.group(1), base64.b64decode("".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def parse_private_key_pem(text: str) -> Any:
    """parsePrivateKeyPEM: the first PEM block, which must hold a private key."""
    from cryptography.hazmat.primitives import serialization

    block = _first_pem_block(text)
    if block is None:
        raise ValueError("no PEM data in input")
    block_type, der = block
    if block_type != "PRIVATE KEY" and not block_type.endswith(" PRIVATE KEY"):
        raise ValueError(f"no private key data in PEM block of type {block_type}")
    kind = block_type[: -len(" PRIVATE KEY")] if block_type != "PRIVATE KEY" else ""
    if kind not in ("", "RSA", "EC", "DSA"):
        raise ValueError(f"invalid private key type {block_type}")
    try:
        return serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError) as error:
        prefix = {
            "": "decoding PEM as PKCS#8",
            "RSA": "parsing RSA private key from PEM",
            "EC": "parsing EC private key from PEM",
            "DSA": "parsing DSA private key from PEM",
        }[kind]
        raise ValueError(f"{prefix}: {error}") from None


# -- certificates ----------------------------------------------------------------------------------


def _ip_addresses(ips: list[Any] | None) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    addresses = []
    for item in ips or []:
        if not isinstance(item, str):
            raise FuncError(f"error parsing ip: {_go_value_text(item)} is not a string")
        try:
            addresses.append(ipaddress.ip_address(item))
        except ValueError:
            raise FuncError(f"error parsing ip: {item}") from None
    return addresses


def _dns_names(names: list[Any] | None) -> list[str]:
    result = []
    for item in names or []:
        if not isinstance(item, str):
            raise FuncError(f"error processing alternate dns name: {_go_value_text(item)} is not a string")
        result.append(item)
    return result


def _go_value_text(value: Any) -> str:
    from otterhelm.template import fmt

    return fmt.format_value(value)


def _signature_hash(key: Any) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


def _public_key(key: Any) -> Any:
    if not hasattr(key, "public_key"):
        raise FuncError(
            f"error retrieving public key from signee key: unable to get public key for type {type(key)}"
        )
    return key.public_key()


def _build_certificate(
    common_name: str,
    ips: list[Any] | None,
    dns_names: list[Any] | None,
    days: int,
    subject_key: Any,
    issuer: Any | None,
    issuer_key: CertificateIssuerPrivateKeyTypes | None,
    is_ca: bool,
) -> Certificate:
    """getBaseCertTemplate + x509.CreateCertificate as sprig calls them. A self-signed
    certificate passes issuer=None and signs with its own key."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import dsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    addresses = _ip_addresses(ips)
    names = _dns_names(dns_names)
    public_key = _public_key(subject_key)
    signing_key = issuer_key if issuer_key is not None else subject_key
    if isinstance(signing_key, dsa.DSAPrivateKey):
        raise FuncError(
            "error creating certificate: x509: certificate private key does not implement crypto.Signer"
        )
    if isinstance(subject_key, dsa.DSAPrivateKey):
        raise FuncError("error creating certificate: x509: unsupported public key type: *dsa.PublicKey")
    subject = (
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]) if common_name else x509.Name([])
    )
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .serial_number(secrets.randbits(128) or 1)
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(public_key)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if is_ca:
        # Go derives a subject key identifier for CA certificates.
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    if issuer is not None:
        try:
            issuer_ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        except x509.ExtensionNotFound:
            issuer_ski = None
        if issuer_ski is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier(issuer_ski.digest, None, None), critical=False
            )
    if addresses or names:
        general_names: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
        general_names += [x509.IPAddress(address) for address in addresses]
        builder = builder.add_extension(x509.SubjectAlternativeName(general_names), critical=not common_name)
    from cryptography.hazmat.primitives import serialization

    certificate = builder.sign(signing_key, _signature_hash(signing_key))
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return Certificate(cert_pem, _pem_for_key(subject_key), (certificate, subject_key))


def _new_rsa_2048() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_from_pem(text: str) -> Any:
    try:
        return parse_private_key_pem(text)
    except ValueError as error:
        raise FuncError(f"parsing private key: {error}") from None


def gen_ca(common_name: str, days: int) -> Certificate:
    return _build_certificate(common_name, None, None, days, _new_rsa_2048(), None, None, is_ca=True)


def gen_ca_with_key(common_name: str, days: int, key_pem: str) -> Certificate:
    return _build_certificate(common_name, None, None, days, _key_from_pem(key_pem), None, None, is_ca=True)


def gen_self_signed_cert(
    common_name: str, ips: list[Any] | None, dns_names: list[Any] | None, days: int
) -> Certificate:
    return _build_certificate(common_name, ips, dns_names, days, _new_rsa_2048(), None, None, is_ca=False)


def gen_self_signed_cert_with_key(
    common_name: str, ips: list[Any] | None, dns_names: list[Any] | None, days: int, key_pem: str
) -> Certificate:
    key = _key_from_pem(key_pem)
    return _build_certificate(common_name, ips, dns_names, days, key, None, None, is_ca=False)


def _signer(ca: Certificate | None) -> tuple[Any, Any]:
    from cryptography import x509

    if ca is None:
        raise FuncError("unable to decode certificate")
    if ca.parsed is not None:
        signer_cert, signer_key = ca.parsed
        return signer_cert, signer_key
    block = _first_pem_block(ca.cert)
    if block is None:
        raise FuncError("unable to decode certificate")
    try:
        signer_cert = x509.load_der_x509_certificate(block[1])
    except ValueError as error:
        raise FuncError(f"error parsing certificate: decodedSignerCert.Bytes: {error}") from None
    try:
        signer_key = parse_private_key_pem(ca.key)
    except ValueError as error:
        raise FuncError(f"error parsing private key: {error}") from None
    return signer_cert, signer_key


def gen_signed_cert(
    common_name: str, ips: list[Any] | None, dns_names: list[Any] | None, days: int, ca: Certificate | None
) -> Certificate:
    key = _new_rsa_2048()
    signer_cert, signer_key = _signer(ca)
    return _build_certificate(common_name, ips, dns_names, days, key, signer_cert, signer_key, is_ca=False)


def gen_signed_cert_with_key(
    common_name: str,
    ips: list[Any] | None,
    dns_names: list[Any] | None,
    days: int,
    ca: Certificate | None,
    key_pem: str,
) -> Certificate:
    key = _key_from_pem(key_pem)
    signer_cert, signer_key = _signer(ca)
    return _build_certificate(common_name, ips, dns_names, days, key, signer_cert, signer_key, is_ca=False)


def build_custom_cert(b64cert: str, b64key: str) -> Certificate:
    from cryptography import x509

    try:
        cert = base64.b64decode(b64cert, validate=True)
    except (binascii.Error, ValueError):
        raise FuncError("unable to decode base64 certificate") from None
    try:
        key = base64.b64decode(b64key, validate=True)
    except (binascii.Error, ValueError):
        raise FuncError("unable to decode base64 private key") from None
    cert_text = cert.decode("utf-8", errors="replace")
    block = _first_pem_block(cert_text)
    if block is None:
        raise FuncError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(block[1])
    except ValueError as error:
        raise FuncError(f"error parsing certificate: decodedCert.Bytes: {error}") from None
    key_text = key.decode("utf-8", errors="replace")
    try:
        parse_private_key_pem(key_text)
    except ValueError as error:
        raise FuncError(f"error parsing private key: {error}") from None
    return Certificate(cert_text, key_text)


FUNCS: dict[str, Func] = {
    "bcrypt": Func(bcrypt_hash, (STRING,)),
    "htpasswd": Func(htpasswd, (STRING, STRING)),
    "randBytes": Func(rand_bytes, (INT,)),
    "encryptAES": Func(encrypt_aes, (STRING, STRING)),
    "decryptAES": Func(decrypt_aes, (STRING, STRING)),
    "derivePassword": Func(derive_password, (INT, STRING, STRING, STRING, STRING)),
    "genPrivateKey": Func(generate_private_key, (STRING,)),
    "buildCustomCert": Func(build_custom_cert, (STRING, STRING)),
    "genCA": Func(gen_ca, (STRING, INT)),
    "genCAWithKey": Func(gen_ca_with_key, (STRING, INT, STRING)),
    "genSelfSignedCert": Func(gen_self_signed_cert, (STRING, LIST, LIST, INT)),
    "genSelfSignedCertWithKey": Func(gen_self_signed_cert_with_key, (STRING, LIST, LIST, INT, STRING)),
    "genSignedCert": Func(gen_signed_cert, (STRING, LIST, LIST, INT, CERTIFICATE_TYPE)),
    "genSignedCertWithKey": Func(
        gen_signed_cert_with_key, (STRING, LIST, LIST, INT, CERTIFICATE_TYPE, STRING)
    ),
}
