"""Helm releases: the record model, its stored form, the per-release lock and listing.

The actions (install, upgrade, ...) live in otterhelm.release.actions and build on these.
"""

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
