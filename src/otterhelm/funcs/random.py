"""sprig's random functions: randAlphaNum, randAlpha, randAscii, randNumeric, randInt,
shuffle and uuidv4 (sprig v3.3.0 strings.go, numeric.go, crypto.go).

Strings come from the operating system's CSPRNG like goutils' CryptoRandom*; a negative length
is goutils' error, which sprig swallows into "". The output is random by design, so callers
and tests can only check its shape."""

from __future__ import annotations

import random as _random
import secrets
import string

from otterhelm.template.gotypes import INT, STRING, Func, FuncError

ALPHANUMERIC = string.ascii_letters + string.digits
ALPHABETIC = string.ascii_letters
NUMERIC = string.digits
# goutils.CryptoRandomAscii draws from the printable ASCII range 32..126.
ASCII = "".join(chr(code) for code in range(32, 127))


def random_string(count: int, alphabet: str) -> str:
    if count < 0:
        return ""
    return "".join(secrets.choice(alphabet) for _ in range(count))


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
    return minimum + _random.randrange(maximum - minimum)


def shuffle(text: str) -> str:
    """xstrings.Shuffle: the same runes in a random order."""
    runes = list(text)
    _random.shuffle(runes)
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
