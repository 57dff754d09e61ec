"""Release actions: install, upgrade, rollback and uninstall, as Helm v4.3.1 performs them.

Each action takes an `ActionContext` (a `ReleaseStorage` for one namespace, plus optional
caches and the lease duration) and options, holds the release's lease while it works, and
returns the stored release. Names are loaded on first use, so that commands which need
only one action do not import the others. The action functions themselves are imported from
their modules (`from otterhelm.release.actions.install import install`): each has its
module's name, and importing the module sets that name on this package to the module.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ActionContext": "otterhelm.release.actions.context",
    "DeployOptions": "otterhelm.release.actions.deploy",
    "InstallOptions": "otterhelm.release.actions.install",
    "NameInUse": "otterhelm.release.actions.install",
    "UpgradeOptions": "otterhelm.release.actions.upgrade",
    "ValuesMode": "otterhelm.release.actions.values",
    "RollbackOptions": "otterhelm.release.actions.rollback",
    "UninstallOptions": "otterhelm.release.actions.uninstall",
    "UninstallResult": "otterhelm.release.actions.uninstall",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
