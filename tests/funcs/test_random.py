"""sprig's random functions, checked by shape (sprig v3.3.0 strings_test.go, crypto_test.go)."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from typing import Any

import pytest

from otterhelm.funcs import helm_functions
from otterhelm.funcs.random import ALPHANUMERIC, ASCII, NUMERIC, random_string
from otterhelm.template import TemplateExecError, TemplateSet


def render(template: str, data: Any = None) -> str:
    templates = TemplateSet(helm_functions())
    templates.parse("test", template)
    return templates.execute("test", data)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("randAlphaNum", r"[A-Za-z0-9]{20}"),
        ("randAlpha", r"[A-Za-z]{20}"),
        ("randNumeric", r"[0-9]{20}"),
        ("randAscii", r"[ -~]{20}"),
    ],
)
def test_random_strings_have_length_and_alphabet(name: str, pattern: str) -> None:
    outputs = {render(f"{{{{ {name} 20 }}}}") for _ in range(5)}
    for output in outputs:
        assert re.fullmatch(pattern, output), output
    assert len(outputs) > 1  # 20 random characters do not repeat
    assert render(f"{{{{ {name} 0 }}}}") == ""
    assert render(f"{{{{ {name} -1 }}}}") == ""


def test_random_alphabet_is_covered() -> None:
    seen = Counter(render("{{ randAlphaNum 4000 }}"))
    assert len(seen) == 62


def test_rand_int_range() -> None:
    values = {int(render("{{ randInt 3 6 }}")) for _ in range(200)}
    assert values == {3, 4, 5}
    assert render('{{ randInt 1 2 | printf "%T" }}') == "int"
    with pytest.raises(TemplateExecError, match="invalid argument to Intn"):
        render("{{ randInt 5 5 }}")


def test_shuffle_is_a_permutation() -> None:
    text = "hello, wörld"
    shuffled = render(f'{{{{ shuffle "{text}" }}}}')
    assert sorted(shuffled) == sorted(text)


def test_uuidv4_shape() -> None:
    values = {render("{{ uuidv4 }}") for _ in range(10)}
    assert len(values) == 10
    for value in values:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)
        assert uuid.UUID(value).version == 4


@pytest.mark.parametrize("alphabet", [NUMERIC, ALPHANUMERIC, ASCII])
def test_random_string_draws_every_character_equally_often(alphabet: str) -> None:
    # Random bytes are folded onto the alphabet; a fold that kept the top bytes would favour
    # the first 256 % len(alphabet) characters (by 4% for digits, far more for the others).
    per_character = 400_000 // len(alphabet)
    seen = Counter(random_string(per_character * len(alphabet), alphabet))
    assert set(seen) == set(alphabet)
    spread = 6 * per_character**0.5  # six standard deviations of a binomial count
    assert all(abs(count - per_character) < spread for count in seen.values()), seen
