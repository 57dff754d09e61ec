"""The template function library Helm gives charts: sprig v3.3.0's functions (less `env`
and `expandenv`) plus Helm's static ones (serialization, duration helpers, the disabled
`getHostByName`).

Each family module exports `FUNCS: dict[str, Func]` with the Go signature of every
function. `helm_functions()` merges them; the serialization, crypto and random families
are merged last, so Helm's own `toJson`/`fromJson`/... replace sprig's. Engine-bound
functions (include, tpl, required, fail, lookup) are added by the renderer.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from types import ModuleType

from otterhelm.template.deferred import DeferredFuncs, PendingFunc
from otterhelm.template.gotypes import Func

# Families in merge order; later entries win on a name clash.
_FAMILIES = (
    "strings",
    "numbers",
    "lists",
    "dicts",
    "defaults",
    "encoding",
    "regex",
    "semver",
    "dates",
    "durations",
    "paths",
    "network",
    "reflection",
    "url",
)
# Families written alongside the codecs; merged when present.
_OPTIONAL_FAMILIES = ("serialization", "crypto", "random")
# Helm deletes these from sprig's map (pkg/engine/funcs.go).
_REMOVED = ("env", "expandenv")


def _load(name: str, optional: bool) -> ModuleType | None:
    qualified = f"{__name__}.{name}"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as error:
        if optional and error.name == qualified:
            return None
        raise


def helm_functions() -> dict[str, Func]:
    """Every function Helm registers before rendering, by template name."""
    functions: dict[str, Func] = {}
    for name in _FAMILIES:
        module = _load(name, optional=False)
        assert module is not None
        functions.update(module.FUNCS)
    for name in _OPTIONAL_FAMILIES:
        module = _load(name, optional=True)
        if module is not None:
            functions.update(module.FUNCS)
    for name in _REMOVED:
        functions.pop(name, None)
    return functions


def _family_functions(name: str) -> Mapping[str, Func]:
    module = _load(name, optional=False)
    assert module is not None
    functions: Mapping[str, Func] = module.FUNCS
    return functions


def deferred_helm_functions() -> DeferredFuncs:
    """The same map as `helm_functions()`, with each family imported when a template first
    calls one of its functions. Names come from `names.FAMILY_NAMES`, merged in the same
    order, so a later family wins a name clash here too."""
    from otterhelm.funcs.names import FAMILY_NAMES

    pending: dict[str, PendingFunc] = {}
    for family in (*_FAMILIES, *_OPTIONAL_FAMILIES):
        load = functools.partial(_family_functions, family)
        for function in FAMILY_NAMES[family]:
            pending[function] = PendingFunc(load, function)
    for name in _REMOVED:
        pending.pop(name, None)
    return DeferredFuncs(pending)


__all__ = ["deferred_helm_functions", "helm_functions"]
