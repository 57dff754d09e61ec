from __future__ import annotations

import pytest

from otterhelm.errors import Unauthenticated
from otterhelm.kube.identity import Identity
from otterhelm.service.auth import Authenticator

ALICE = Identity("alice", ("dev",))


@pytest.mark.parametrize("header", ["Bearer t-alice", "bearer t-alice", "Bearer  t-alice "])
def test_a_configured_token_names_its_identity(header: str) -> None:
    assert Authenticator({"t-alice": ALICE}).identify({"authorization": header}) == ALICE


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "missing bearer token"),
        ({"authorization": "Basic dXNlcjpwYXNz"}, "missing bearer token"),
        ({"authorization": "Bearer"}, "missing bearer token"),
        ({"authorization": "Bearer t-alic"}, "invalid bearer token"),
        ({"authorization": "Bearer t-alice-and-more"}, "invalid bearer token"),
    ],
)
def test_anything_else_is_unauthenticated(headers: dict[str, str], message: str) -> None:
    with pytest.raises(Unauthenticated, match=message):
        Authenticator({"t-alice": ALICE}).identify(headers)


def test_no_tokens_configured_lets_nobody_in() -> None:
    with pytest.raises(Unauthenticated):
        Authenticator({}).identify({"authorization": "Bearer anything"})


def test_disabled_authentication_acts_as_the_service_itself() -> None:
    assert Authenticator({"t-alice": ALICE}, enabled=False).identify({}) is None
