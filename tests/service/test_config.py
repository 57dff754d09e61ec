from __future__ import annotations

from pathlib import Path

import pytest

from otterhelm.config import ConfigError, load_config, parse_config, parse_listen
from otterhelm.errors import InvalidArgument
from otterhelm.kube.identity import Identity


def test_full_configuration(tmp_path: Path) -> None:
    path = tmp_path / "otterhelm.yaml"
    path.write_text(
        """
listen: 0.0.0.0:9000
default_scope: dev
scopes:
  dev:
    kubeconfig: clusters/dev.yaml
    context: admin
  prod:
    kubeconfig: /etc/otterhelm/prod.yaml
  here:
    in_cluster: true
tokens:
  - token: t-alice
    user: alice
    groups: [developers, viewers]
  - token: t-ci
    user: ci
"""
    )
    config = load_config(path)
    assert (config.host, config.port) == ("0.0.0.0", 9000)
    assert config.default_scope == "dev"
    assert config.scopes["dev"].kubeconfig == tmp_path / "clusters/dev.yaml"
    assert config.scopes["dev"].context == "admin"
    assert config.scopes["prod"].kubeconfig == Path("/etc/otterhelm/prod.yaml")
    assert config.scopes["prod"].context is None
    assert config.scopes["here"].in_cluster
    assert config.tokens == {
        "t-alice": Identity("alice", ("developers", "viewers")),
        "t-ci": Identity("ci", ()),
    }
    assert not config.insecure_no_auth


def test_a_single_scope_is_the_default() -> None:
    config = parse_config({"scopes": {"only": {"in_cluster": True}}}, base=Path("/"))
    assert config.default_scope == "only"
    assert (config.host, config.port) == ("127.0.0.1", 8080)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"scopes": {"a": {"in_cluster": True}}, "default_scope": "b"}, "default_scope"),
        ({"scopes": {"a": {}}}, "scopes.a"),
        ({"scopes": {"a": {"in_cluster": True, "kubeconfig": "x"}}}, "scopes.a"),
        ({"scopes": ["a"]}, "scopes"),
        ({"tokens": [{"token": "x"}]}, "tokens[0]"),
        ({"tokens": [{"token": "x", "user": "a"}, {"token": "x", "user": "b"}]}, "tokens[1]"),
        ({"tokens": [{"token": "x", "user": "a", "groups": "g"}]}, "tokens[0].groups"),
        ({"listen": "nohost"}, "listen"),
        ({"listen": "h:99999"}, "listen"),
    ],
)
def test_invalid_configurations_name_the_field(document: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(document, base=Path("/"))
    assert caught.value.field == field


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ConfigError, match="unknown configuration keys: colour"):
        parse_config({"colour": "blue"}, base=Path("/"))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read configuration"):
        load_config(tmp_path / "missing.yaml")


def test_listen_addresses() -> None:
    assert parse_listen("[::1]:8080") == ("::1", 8080)
    assert parse_listen("localhost:0") == ("localhost", 0)


def test_the_sources_section_is_parsed_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    config = parse_config(
        {
            "sources": {
                "repositories": [
                    {"name": "stable", "url": "https://charts.example/stable", "caFile": "ca.pem"}
                ]
            }
        },
        base=tmp_path,
    )
    [repository] = config.sources.repositories
    assert (repository.name, repository.url) == ("stable", "https://charts.example/stable")
    assert repository.tls.ca_file == tmp_path / "ca.pem"


def test_an_invalid_sources_section_names_its_field() -> None:
    with pytest.raises(InvalidArgument) as caught:
        parse_config({"sources": {"repositories": [{"url": "https://x"}]}}, base=Path("/"))
    assert caught.value.field is not None and caught.value.field.startswith("sources.repositories")
