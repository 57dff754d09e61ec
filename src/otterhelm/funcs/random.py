"""sprig's random functions: randAlphaNum, randAlpha, randAscii, randNumeric, randInt,
shuffle and uuidv4 (sprig v3.3.0 strings.go, numeric.go, crypto.go).

Strings come from the operating system's CSPRNG like goutils' CryptoRandom*; a negative length
is goutils' error, which sprig swallows into "". The output is random by design, so callers
and tests can only check its shape."""

from __future__ import annotations

import os

from otterhelm.template.gotypes import INT, STRING, Func, FuncError

# Spelled out rather than taken from `string`, and drawn from os.urandom rather than
# `secrets`: those modules (with `random`, `hmac` and `bisect` behind them) cost more to
# import than the few renders that call these functions spend in them.
ALPHABETIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
NUMERIC = "0123456789"
ALPHANUMERIC = ALPHABETIC + NUMERIC
# goutils.CryptoRandomAscii draws from the printable ASCII range 32..126.
ASCII = "".join(chr(code) for code in range(32, 127))


def random_string(count: int, alphabet: str) -> str:
    """`count` characters drawn uniformly from `alphabet` (at most 256 of them) by the OS CSPRNG."""
    if count < 0:
        return ""
    size = len(alphabet)
    # Bytes at or above the largest multiple of `size` are dropped, so `byte % size` is uniform.
    limit = 256 - 256 % size
    chosen: list[str] = []
    while len(chosen) < count:
        for byte in os.urandom(count - len(chosen) + 8):
            if byte < limit:
                chosen.append(alphabet[byte % size])
                if len(chosen) == count:
                    break
    return "".join(chosen)


def rand_alpha_num(count: int) -> str:
    return random_string(count, ALPHANUMERIC)


def rand_alpha(count: int) -> str:
    return random_string(count, ALPHABETIC)


def rand_ascii(count: int) -> str:
    return random_string(count, ASCII)


def rand_numeric(count: int) -> str:
    return random_string(count, NUMERIC)


def rand_int(minimum: int, maximum: int) -> int:
    """math/rand's Intn(max-min) + min: a value in [min, max); Intn panics on n <= 0."""
    if maximum - minimum <= 0:
        raise FuncError("invalid argument to Intn")
    import random

    return minimum + random.randrange(maximum - minimum)


def shuffle(text: str) -> str:
    """xstrings.Shuffle: the same runes in a random order."""
    import random

    runes = list(text)
    random.shuffle(runes)
    return "".join(runes)


def uuidv4() -> str:
    # Imported on first call: uuid loads platform, which few renders need.
    import uuid

    return str(uuid.uuid4())


FUNCS: dict[str, Func] = {
    "randAlphaNum": Func(rand_alpha_num, (INT,)),
    "randAlpha": Func(rand_alpha, (INT,)),
    "randAscii": Func(rand_ascii, (INT,)),
    "randNumeric": Func(rand_numeric, (INT,)),
    "randInt": Func(rand_int, (INT, INT)),
    "shuffle": Func(shuffle, (STRING,)),
    "uuidv4": Func(uuidv4, ()),
}
