"""Sprig's base64/base32 encoders and hash sums (strings.go, crypto.go's *sum functions).

`b64dec`/`b32dec` return Go's error text instead of failing, so the decoders below follow
encoding/base64 and encoding/base32 closely enough to report the same byte offsets
(`illegal base64 data at input byte 4`). Both skip `\\r` and `\\n` as Go does.
"""

from __future__ import annotations

import base64
import zlib

from otterhelm.funcs.gokinds import from_bytes, to_bytes
from otterhelm.template.gotypes import STRING, Func

# The interpreter's own SHA modules compute the same digests as hashlib's OpenSSL ones, and
# importing hashlib (which loads OpenSSL) costs a chart that checksums a file 3 ms a render.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from hashlib import sha1, sha256, sha512
else:
    try:
        from _sha1 import sha1
        from _sha256 import sha256
        from _sha512 import sha512
    except ImportError:  # an interpreter built without them
        from hashlib import sha1, sha256, sha512


_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_MAP = {char: index for index, char in enumerate(_B64_ALPHABET)}
_B32_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_MAP = {char: index for index, char in enumerate(_B32_ALPHABET)}
_NEWLINES = (0x0A, 0x0D)
_PAD = 0x3D


class _CorruptInput(ValueError):
    def __init__(self, kind: str, offset: int) -> None:
        super().__init__(f"illegal {kind} data at input byte {offset}")


def _b64_decode(src: bytes) -> bytes:
    out = bytearray()
    si = 0
    while True:
        quantum = [0, 0, 0, 0]
        count = 4
        j = 0
        finished = False
        while j < 4:
            if si == len(src):
                if j == 0:
                    return bytes(out)
                raise _CorruptInput("base64", si - j)
            char = src[si]
            si += 1
            if char in _B64_MAP:
                quantum[j] = _B64_MAP[char]
                j += 1
                continue
            if char in _NEWLINES:
                continue
            if char != _PAD:
                raise _CorruptInput("base64", si - 1)
            if j in (0, 1):
                raise _CorruptInput("base64", si - 1)
            if j == 2:
                while si < len(src) and src[si] in _NEWLINES:
                    si += 1
                if si == len(src):
                    raise _CorruptInput("base64", len(src))
                if src[si] != _PAD:
                    raise _CorruptInput("base64", si - 1)
                si += 1
            while si < len(src) and src[si] in _NEWLINES:
                si += 1
            if si < len(src):
                raise _CorruptInput("base64", si)
            count = j
            finished = True
            break
        value = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
        chunk = value.to_bytes(3, "big")
        out += chunk[: {4: 3, 3: 2, 2: 1}[count]]
        if finished:
            return bytes(out)


def _b32_decode(text: bytes) -> bytes:
    src = bytes(byte for byte in text if byte not in _NEWLINES)
    total = len(src)
    out = bytearray()
    pos = 0
    end = False
    while pos < total and not end:
        quantum = [0] * 8
        count = 8
        j = 0
        while j < 8:
            if pos == total:
                raise _CorruptInput("base32", total - (total - pos) - j)
            char = src[pos]
            pos += 1
            remaining = total - pos
            if char == _PAD and j >= 2 and remaining < 8:
                if remaining + j < 8 - 1:
                    raise _CorruptInput("base32", total)
                for k in range(8 - 1 - j):
                    if remaining > k and src[pos + k] != _PAD:
                        raise _CorruptInput("base32", total - remaining + k - 1)
                count, end = j, True
                if count in (1, 3, 6):
                    raise _CorruptInput("base32", total - remaining - 1)
                break
            if char not in _B32_MAP:
                raise _CorruptInput("base32", total - remaining - 1)
            quantum[j] = _B32_MAP[char]
            j += 1
        value = 0
        for digit in quantum:
            value = value << 5 | digit
        chunk = value.to_bytes(5, "big")
        out += chunk[: {8: 5, 7: 4, 5: 3, 4: 2, 2: 1}[count]]
    return bytes(out)


def b64enc(text: str) -> str:
    return base64.b64encode(to_bytes(text)).decode("ascii")


def b64dec(text: str) -> str:
    try:
        return from_bytes(_b64_decode(to_bytes(text)))
    except _CorruptInput as error:
        return str(error)


def b32enc(text: str) -> str:
    return base64.b32encode(to_bytes(text)).decode("ascii")


def b32dec(text: str) -> str:
    try:
        return from_bytes(_b32_decode(to_bytes(text)))
    except _CorruptInput as error:
        return str(error)


def sha1sum(text: str) -> str:
    return sha1(to_bytes(text)).hexdigest()


def sha256sum(text: str) -> str:
    return sha256(to_bytes(text)).hexdigest()


def sha512sum(text: str) -> str:
    return sha512(to_bytes(text)).hexdigest()


def adler32sum(text: str) -> str:
    return str(zlib.adler32(to_bytes(text)))


FUNCS: dict[str, Func] = {
    "b64enc": Func(b64enc, (STRING,)),
    "b64dec": Func(b64dec, (STRING,)),
    "b32enc": Func(b32enc, (STRING,)),
    "b32dec": Func(b32dec, (STRING,)),
    "sha1sum": Func(sha1sum, (STRING,)),
    "sha256sum": Func(sha256sum, (STRING,)),
    "sha512sum": Func(sha512sum, (STRING,)),
    "adler32sum": Func(adler32sum, (STRING,)),
}
