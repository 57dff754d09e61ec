"""Loading a chart from a directory or a gzipped tar archive (pkg/chart/v2/loader,
pkg/chart/loader/archive), with Helm's routing of files into the chart model, subchart
discovery under charts/, `.helmignore` for directories, and archive safety checks."""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
from collections.abc import Iterator

from otterhelm.chart.ignore import HELM_IGNORE, IgnoreMatcher, Rules
from otterhelm.chart.metadata import (
    ChartFileError,
    decode_lock,
    decode_metadata,
    default_api_version,
    validate_metadata,
)
from otterhelm.chart.model import API_VERSION_V1, Chart, File, Lock, Metadata
from otterhelm.codec.yaml_cache import YamlDocuments
from otterhelm.errors import InvalidArgument, NotFound, ResourceExhausted
from otterhelm.template.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    import tarfile

MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024
MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024
# A gzip stream may inflate far beyond the tar sizes it declares (tar padding, trailing
# garbage after the end-of-archive blocks); the stream is never inflated past the chart
# limit plus this much, whatever the headers say.
_STREAM_SLACK = 16 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_DRIVE_PATH = re.compile(r"^[a-zA-Z]:/")
_GZIP_MAGIC = b"\x1f\x8b\x08"


class ChartLoadError(InvalidArgument):
    """A chart that cannot be loaded; str() is the message helm prints."""


class ChartTooLarge(ResourceExhausted):
    """A chart or chart file over Helm's decompressed size limits."""


class SizeLimits(FrozenRecord):
    __slots__ = ("chart", "file")

    def __init__(
        self, chart: int = MAX_DECOMPRESSED_CHART_SIZE, file: int = MAX_DECOMPRESSED_FILE_SIZE
    ) -> None:
        self.chart = chart
        self.file = file


DEFAULT_LIMITS = SizeLimits()


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(_UTF8_BOM) else data


# ----------------------------------------------------------------------------------------
# Entry points


def load(
    path: str | os.PathLike[str], limits: SizeLimits = DEFAULT_LIMITS, documents: YamlDocuments | None = None
) -> Chart:
    """Load a chart directory or archive file as `helm template` does (pkg/chart/loader:
    the chart's apiVersion is read first to pick the loader, with that layer's messages).
    `documents` decodes the YAML files (give it a cache to keep decodes between runs)."""
    documents = documents if documents is not None else YamlDocuments()
    target = os.fspath(path)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise NotFound(f"stat {path}: no such file or directory") from None
    if stat.S_ISDIR(info.st_mode):
        chart_yaml = os.path.join(os.path.abspath(target), "Chart.yaml")
        try:
            data = _read_bytes(chart_yaml)
        except FileNotFoundError:
            raise ChartLoadError(
                f"unable to detect chart at {chart_yaml}: open {chart_yaml}: no such file or directory"
            ) from None
        _check_chart_api_version(data, documents)
        return load_dir(target, limits, documents)
    raw = _read_bytes(target)
    _ensure_archive(str(path), raw)
    try:
        files = archive_files(raw, limits)
    except (ChartLoadError, ChartTooLarge) as err:
        if str(err) == "gzip: invalid header":
            raise ChartLoadError(
                f"file '{path}' does not appear to be a valid chart file (details: gzip: invalid header)"
            ) from None
        raise ChartLoadError("unable to load chart archive") from None
    for f in files:
        if f.name == "Chart.yaml":
            _check_chart_api_version(f.data, documents)
            return load_files(files, limits, documents)
    raise ChartLoadError("unable to detect chart version, no Chart.yaml found")


_SUPPORTED_API_VERSIONS = ("v1", "v2", "", "v3")


def _check_chart_api_version(data: bytes, documents: YamlDocuments) -> None:
    """The dispatcher's look at Chart.yaml: only its apiVersion matters here. Helm 4's
    experimental v3 charts share the v2 layout, so they are read with the same loader."""
    from otterhelm.chart.metadata import decode_api_version

    try:
        api_version = decode_api_version(data, documents)
    except ChartFileError as err:
        raise ChartLoadError(f"cannot load Chart.yaml: {err}") from None
    if api_version not in _SUPPORTED_API_VERSIONS:
        raise ChartLoadError("unsupported chart version")


def load_file(
    path: str | os.PathLike[str], limits: SizeLimits = DEFAULT_LIMITS, documents: YamlDocuments | None = None
) -> Chart:
    """Load a `.tgz` chart archive, checking first that it is gzip data."""
    data = _read_bytes(path)
    _ensure_archive(os.fspath(path), data)
    return load_archive(data, limits, documents)


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _ensure_archive(name: str, data: bytes) -> None:
    if data.startswith(_GZIP_MAGIC):
        return
    if name.endswith((".yml", ".yaml")):
        raise ChartLoadError(f"file '{name}' seems to be a YAML file, but expected a gzipped archive")
    raise ChartLoadError(
        f"file '{name}' does not appear to be a gzipped archive; got '{_sniff_content_type(data[:512])}'"
    )


def _sniff_content_type(head: bytes) -> str:
    # The few answers of Go's http.DetectContentType that a mistaken chart path produces.
    if not head:
        return "text/plain; charset=utf-8"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if any(b < 0x09 or (0x0D < b < 0x20 and b != 0x1B) for b in head):
        return "application/octet-stream"
    return "text/plain; charset=utf-8"


def load_archive(
    data: bytes, limits: SizeLimits = DEFAULT_LIMITS, documents: YamlDocuments | None = None
) -> Chart:
    return load_files(archive_files(data, limits), limits, documents)


# ----------------------------------------------------------------------------------------
# Archives


class _CappedReader(io.RawIOBase):
    """The decompressed stream, refusing to inflate past a fixed number of bytes."""

    def __init__(self, data: bytes, cap: int, chart_limit: int) -> None:
        import zlib  # archives only, like tarfile below

        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._source = memoryview(data)
        self._offset = 0
        self._pending = b""
        self._produced = 0
        self._cap = cap
        self._chart_limit = chart_limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = len(buffer)
        while len(self._pending) < want and not self._exhausted():
            self._inflate_more(want)
        chunk, self._pending = self._pending[:want], self._pending[want:]
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _exhausted(self) -> bool:
        return self._offset >= len(self._source) and not self._inflater.unconsumed_tail

    def _inflate_more(self, want: int) -> None:
        import zlib

        if self._inflater.eof:
            # Concatenated gzip members are one stream to Go's gzip reader.
            rest = self._inflater.unused_data
            if not rest:
                self._offset = len(self._source)
                return
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._source = memoryview(bytes(rest))
            self._offset = 0
        tail = self._inflater.unconsumed_tail
        if tail:
            out = self._inflater.decompress(tail, max(want, 65536))
        else:
            block = self._source[self._offset : self._offset + 65536]
            self._offset += len(block)
            out = self._inflater.decompress(bytes(block), max(want, 65536))
        self._produced += len(out)
        if self._produced > self._cap:
            raise ChartTooLarge(f"decompressed chart is larger than the maximum size {self._chart_limit}")
        self._pending += out


def archive_files(data: bytes, limits: SizeLimits = DEFAULT_LIMITS) -> list[File]:
    """LoadArchiveFiles: the archive's regular files with the top directory stripped."""
    if not data.startswith(b"\x1f\x8b"):
        raise ChartLoadError("gzip: invalid header")
    stream = io.BufferedReader(_CappedReader(data, max(limits.chart, 0) + _STREAM_SLACK, limits.chart))
    import tarfile  # archives only; directory charts never need it
    import zlib

    files: list[File] = []
    remaining = limits.chart
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                if member.isdir():
                    continue
                name = _archive_member_name(member.name)
                if member.size > remaining:
                    raise ChartTooLarge(f"decompressed chart is larger than the maximum size {limits.chart}")
                if member.size > limits.file:
                    raise ChartTooLarge(
                        f'decompressed chart file "{member.name}" is larger than the maximum file size {limits.file}'
                    )
                content = b""
                if member.isreg():
                    extracted = tar.extractfile(member)
                    content = extracted.read() if extracted is not None else b""
                elif member.issym() or member.islnk():
                    # Go's tar reader yields links as empty entries; their targets are never followed.
                    content = b""
                remaining -= len(content)
                if len(content) < member.size or remaining <= 0:
                    raise ChartTooLarge(f"decompressed chart is larger than the maximum size {limits.chart}")
                files.append(File(name, _strip_bom(content)))
    except tarfile.TarError as err:
        raise ChartLoadError(_tar_error_text(err)) from None
    except (zlib.error, EOFError) as err:
        raise ChartLoadError(f"gzip: {_zlib_error_text(err)}") from None
    if not files:
        raise ChartLoadError("no files in chart archive")
    return files


def _tar_error_text(err: tarfile.TarError) -> str:
    text = str(err)
    if "unexpected end" in text or "truncated" in text:
        return "unexpected EOF"
    if "empty file" in text:
        return "no files in chart archive"
    return f"archive/tar: {text}"


def _zlib_error_text(err: Exception) -> str:
    if isinstance(err, EOFError):
        return "unexpected EOF"
    return "invalid header" if "header" in str(err) else "invalid checksum"


def _archive_member_name(raw: str) -> str:
    delimiter = "\\" if "\\" in raw else "/"
    parts = raw.split(delimiter)
    name = delimiter.join(parts[1:]).replace(delimiter, "/")
    if name.startswith("/"):
        raise ChartLoadError("chart illegally contains absolute paths")
    name = posixpath.normpath(name) if name else "."
    if name.startswith("//"):
        name = "/" + name.lstrip("/")
    if name == ".":
        raise ChartLoadError(f"chart illegally contains content outside the base directory: {_go_quote(raw)}")
    if name.startswith(".."):
        raise ChartLoadError("chart illegally references parent directory")
    if _DRIVE_PATH.match(name):
        raise ChartLoadError("chart contains illegally named files")
    if parts[0] == "Chart.yaml":
        raise ChartLoadError("chart yaml not in base directory")
    return name


def _go_quote(text: str) -> str:
    from otterhelm.chart.metadata import go_quote

    return go_quote(text)


# ----------------------------------------------------------------------------------------
# Directories


def _walk(
    top: str, rel: str, rules: IgnoreMatcher, limits: SizeLimits, seen: frozenset[str]
) -> Iterator[File]:
    """sympath.Walk: lexical order, following symlinks (a link's target is walked under
    the link's name)."""
    directory = os.path.join(top, rel) if rel else top
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        raise ChartLoadError(f"error reading {rel or '.'}: {err.strerror}") from None
    for entry in entries:
        name = f"{rel}/{entry.name}" if rel else entry.name
        try:
            info = entry.stat()
        except OSError:
            # A dangling symlink: what is left to report is the link itself.
            info = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            if rules.ignore(name, True):
                continue
            real = os.path.realpath(entry.path)
            if real in seen:
                continue
            yield from _walk(top, name, rules, limits, seen | {real})
            continue
        if rules.ignore(name, False):
            continue
        if not stat.S_ISREG(info.st_mode):
            raise ChartLoadError(f"cannot load irregular file {entry.path} as it has file mode type bits set")
        if info.st_size > limits.file:
            raise ChartTooLarge(
                f'chart file "{entry.name}" is larger than the maximum file size {limits.file}'
            )
        try:
            with open(entry.path, "rb") as handle:
                data = handle.read()
        except OSError as err:
            raise ChartLoadError(f"error reading {name}: {err.strerror}") from None
        yield File(name, _strip_bom(data))


def load_dir(
    path: str | os.PathLike[str], limits: SizeLimits = DEFAULT_LIMITS, documents: YamlDocuments | None = None
) -> Chart:
    """LoadDir: every file under the chart directory that .helmignore does not exclude."""
    top = os.path.abspath(path)
    rules = Rules()
    ignore_file = os.path.join(top, HELM_IGNORE)
    if os.path.exists(ignore_file):
        rules = Rules.parse(_read_bytes(ignore_file).decode("utf-8", errors="replace"))
    rules.add_defaults()
    files = list(_walk(top, "", rules.compiled(), limits, frozenset({os.path.realpath(top)})))
    return load_files(files, limits, documents)


# ----------------------------------------------------------------------------------------
# Routing files into a chart


def load_files(
    files: list[File], limits: SizeLimits = DEFAULT_LIMITS, documents: YamlDocuments | None = None
) -> Chart:
    """LoadFiles: build a chart (and its subcharts) from its files."""
    documents = documents if documents is not None else YamlDocuments()
    metadata: Metadata | None = None
    for f in files:
        if f.name == "Chart.yaml":
            try:
                metadata = decode_metadata(f.data, metadata, documents)
            except ChartFileError as err:
                raise ChartLoadError(f"cannot load Chart.yaml: {err}") from None
            default_api_version(metadata)
    chart = Chart(metadata=metadata if metadata is not None else Metadata(), raw=list(files))
    subchart_files: dict[str, list[File]] = {}
    for f in files:
        name = f.name
        if name == "Chart.yaml":
            continue
        if name == "Chart.lock":
            chart.lock = _decode_lock(f, "Chart.lock", documents)
        elif name == "values.yaml":
            try:
                chart.values = documents.values(f.data)
            except InvalidArgument as err:
                raise ChartLoadError(f"cannot load values.yaml: {err}") from None
        elif name == "values.schema.json":
            chart.schema = f.data
        elif name == "requirements.yaml":
            if metadata is None:
                metadata = chart.metadata = Metadata()
            try:
                decode_metadata(f.data, metadata, documents)
            except ChartFileError as err:
                raise ChartLoadError(f"cannot load requirements.yaml: {err}") from None
            if metadata.api_version == API_VERSION_V1:
                chart.files.append(f)
        elif name == "requirements.lock":
            chart.lock = _decode_lock(f, "requirements.lock", documents)
            if metadata is None:
                metadata = chart.metadata = Metadata()
            if metadata.api_version == API_VERSION_V1:
                chart.files.append(f)
        elif name.startswith("templates/"):
            chart.templates.append(f)
        elif name.startswith("charts/"):
            if _go_ext(name) == ".prov":
                chart.files.append(f)
                continue
            sub_name = name[len("charts/") :]
            subchart_files.setdefault(sub_name.split("/", 1)[0], []).append(File(sub_name, f.data))
        else:
            chart.files.append(f)
    if metadata is None:
        raise ChartLoadError("Chart.yaml file is missing")
    validate_metadata(chart.metadata)
    for sub_name in sorted(subchart_files):
        if sub_name[:1] in ("_", "."):
            continue
        sub_files = subchart_files[sub_name]
        try:
            if _go_ext(sub_name) == ".tgz":
                first = sub_files[0]
                if first.name != sub_name:
                    raise ChartLoadError(
                        f"error unpacking subchart tar in {chart.name}: expected {sub_name}, got {first.name}"
                    )
                sub = load_archive(first.data, limits, documents)
            else:
                inner = [File(f.name.split("/", 1)[1], f.data) for f in sub_files if "/" in f.name]
                sub = load_files(inner, limits, documents)
        except ResourceExhausted as err:
            raise ChartTooLarge(f"error unpacking subchart {sub_name} in {chart.name}: {err}") from None
        except InvalidArgument as err:
            raise ChartLoadError(f"error unpacking subchart {sub_name} in {chart.name}: {err}") from None
        chart.add_subchart(sub)
    return chart


def _decode_lock(f: File, label: str, documents: YamlDocuments) -> Lock:
    try:
        return decode_lock(f.data, documents)
    except ChartFileError as err:
        raise ChartLoadError(f"cannot load {label}: {err}") from None


def _go_ext(name: str) -> str:
    """filepath.Ext: the suffix from the last dot of the last element."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:] if dot >= 0 else ""
