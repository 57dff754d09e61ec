"""When each chart file was last modified, as Helm v4 records it in a release.

Helm's loaders keep every file's modification time (the file's on disk, the tar header's
in an archive: pkg/chart/loader/archive, internal/chart/v3/loader/directory.go); a release
then carries them as `modtime` of templates and files, the chart's `modtime` (Chart.yaml)
and `schemamodtime` (values.schema.json). Times are Go RFC3339Nano in the local zone.
"""

from __future__ import annotations

import datetime
import os
import tarfile
from pathlib import Path

CHART_FILE = "Chart.yaml"
SCHEMA_FILE = "values.schema.json"


def go_time_from_ns(nanoseconds: int) -> str:
    """time.Unix(0, ns).Local() as encoding/json writes it."""
    seconds, fraction = divmod(nanoseconds, 1_000_000_000)
    moment = datetime.datetime.fromtimestamp(seconds).astimezone()
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if fraction:
        text += "." + f"{fraction:09d}".rstrip("0")
    offset = moment.utcoffset() or datetime.timedelta(0)
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def chart_mod_times(source: str) -> dict[str, str]:
    """File name (relative to the root chart) → modification time, for a chart directory or
    archive; empty when `source` is neither (the times are then left out, as Helm's zero)."""
    path = Path(source)
    if path.is_dir():
        found: dict[str, str] = {}
        for directory, _, names in os.walk(path):
            for name in names:
                full = Path(directory) / name
                found[full.relative_to(path).as_posix()] = go_time_from_ns(full.stat().st_mtime_ns)
        return found
    if path.is_file() and tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            found = {}
            for member in archive.getmembers():
                if member.isfile():
                    _, _, inner = member.name.partition("/")
                    found[inner] = go_time_from_ns(int(member.mtime) * 1_000_000_000)
            return found
    return {}
