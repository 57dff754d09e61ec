"""Helm releases: the record model, its stored form, the per-release lock and listing.

The actions (install, upgrade, ...) live in otterhelm.release.actions and build on these.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otterhelm.release.codec import (
        ReleaseDecodeError,
        decode_record,
        encode_record,
        release_from_json,
        release_to_json,
    )
    from otterhelm.release.listing import ListOptions, ListStates, SortOrder, list_releases
    from otterhelm.release.lock import (
        LeaseLost,
        ReleaseBusy,
        ReleaseLease,
        hold_release,
        recover_interrupted,
    )
    from otterhelm.release.model import (
        Hook,
        HookExecution,
        Info,
        Release,
        Status,
        StoredChart,
        StoredFile,
        format_go_time,
        now_go_time,
        parse_go_time,
    )
    from otterhelm.release.storage import (
        NoDeployedReleases,
        RecordConflict,
        ReleaseExists,
        ReleaseNotFound,
        ReleaseStorage,
        ReservedLabel,
        secret_name,
    )

# Loaded on first use: a command that needs the storage and the lock (install) does not
# import listing, and the rest of the package is not loaded for one name.
_EXPORTS = {
    "Hook": "otterhelm.release.model",
    "HookExecution": "otterhelm.release.model",
    "Info": "otterhelm.release.model",
    "LeaseLost": "otterhelm.release.lock",
    "ListOptions": "otterhelm.release.listing",
    "ListStates": "otterhelm.release.listing",
    "NoDeployedReleases": "otterhelm.release.storage",
    "RecordConflict": "otterhelm.release.storage",
    "Release": "otterhelm.release.model",
    "ReleaseBusy": "otterhelm.release.lock",
    "ReleaseDecodeError": "otterhelm.release.codec",
    "ReleaseExists": "otterhelm.release.storage",
    "ReleaseLease": "otterhelm.release.lock",
    "ReleaseNotFound": "otterhelm.release.storage",
    "ReleaseStorage": "otterhelm.release.storage",
    "ReservedLabel": "otterhelm.release.storage",
    "SortOrder": "otterhelm.release.listing",
    "Status": "otterhelm.release.model",
    "StoredChart": "otterhelm.release.model",
    "StoredFile": "otterhelm.release.model",
    "decode_record": "otterhelm.release.codec",
    "encode_record": "otterhelm.release.codec",
    "format_go_time": "otterhelm.release.model",
    "hold_release": "otterhelm.release.lock",
    "list_releases": "otterhelm.release.listing",
    "now_go_time": "otterhelm.release.model",
    "parse_go_time": "otterhelm.release.model",
    "recover_interrupted": "otterhelm.release.lock",
    "release_from_json": "otterhelm.release.codec",
    "release_to_json": "otterhelm.release.codec",
    "secret_name": "otterhelm.release.storage",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Hook",
    "HookExecution",
    "Info",
    "LeaseLost",
    "ListOptions",
    "ListStates",
    "NoDeployedReleases",
    "RecordConflict",
    "Release",
    "ReleaseBusy",
    "ReleaseDecodeError",
    "ReleaseExists",
    "ReleaseLease",
    "ReleaseNotFound",
    "ReleaseStorage",
    "ReservedLabel",
    "SortOrder",
    "Status",
    "StoredChart",
    "StoredFile",
    "decode_record",
    "encode_record",
    "format_go_time",
    "hold_release",
    "list_releases",
    "now_go_time",
    "parse_go_time",
    "recover_interrupted",
    "release_from_json",
    "release_to_json",
    "secret_name",
]
