"""The name table that lets a render defer importing function families must list exactly
the names each family defines, and the deferred map must equal the eager one."""

from __future__ import annotations

import importlib

from otterhelm.funcs import deferred_helm_functions, helm_functions
from otterhelm.funcs.names import FAMILY_NAMES


def test_each_family_lists_exactly_its_own_names_in_order() -> None:
    for family, names in FAMILY_NAMES.items():
        module = importlib.import_module(f"otterhelm.funcs.{family}")
        assert tuple(module.FUNCS) == names, family


def test_deferred_map_equals_the_eager_merge() -> None:
    deferred = deferred_helm_functions()
    eager = helm_functions()
    assert list(deferred) == list(eager)
    assert len(deferred) == len(eager)
    for name, func in eager.items():
        assert deferred[name] is func, name


def test_removed_sprig_functions_stay_removed() -> None:
    deferred = deferred_helm_functions()
    assert "env" not in deferred
    assert "expandenv" not in deferred
    assert "toYaml" in deferred
