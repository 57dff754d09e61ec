"""Checking that bytes are a chart, through the chart loader (which owns the rules: tar-slip,
gzip bombs, Helm's size limits, Chart.yaml validation), and packing a loaded chart directory."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

from otterhelm.chart import loader
from otterhelm.chart.model import Chart
from otterhelm.errors import InvalidArgument, OtterhelmError


def _with_source(err: OtterhelmError, source: str) -> OtterhelmError:
    err.args = (f"{source}: {err}", *err.args[1:])
    return err


def load_archive(data: bytes, source: str) -> Chart:
    """The chart in archive `data`; the loader's error, prefixed with `source`, when it is not
    a valid chart archive."""
    if not data.startswith(b"\x1f\x8b"):
        raise InvalidArgument(f"{source}: not a chart archive (not gzip data)", field="chart_ref")
    try:
        return loader.load_archive(data)
    except OtterhelmError as err:
        raise _with_source(err, source) from None


def load_directory(path: Path, source: str) -> Chart:
    try:
        return loader.load(path)
    except OtterhelmError as err:
        raise _with_source(err, source) from None


def package(chart: Chart) -> bytes:
    """A reproducible `.tgz` of a loaded chart's files under a `<name>/` top directory, as
    `helm package` lays it out."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for f in sorted(chart.raw, key=lambda f: f.name):
            info = tarfile.TarInfo(f"{chart.name}/{f.name}")
            info.size = len(f.data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(f.data))
    return buffer.getvalue()
