"""The template function library Helm gives charts: sprig v3.3.0's functions (less `env`
and `expandenv`) plus Helm's static ones (serialization, duration helpers, the disabled
`getHostByName`).

Each family module exports `FUNCS: dict[str, Func]` with the Go signature of every
function. `helm_functions()` merges them; the serialization, crypto and random families
are merged last, so Helm's own `toJson`/`fromJson`/... replace sprig's. Engine-bound
functions (include, tpl, required, fail, lookup) are added by the renderer.
"""

from __future__ import annotations

import importlib
from types import ModuleType

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


__all__ = ["helm_functions"]
