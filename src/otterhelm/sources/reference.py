"""Parsing `chart_ref` into a typed reference.

Forms: `oci://host[:port]/path/chart[:tag][@sha256:digest]`, `http(s)://…` (a chart
archive), `repo/chart[@constraint]` (a configured chart repository) and an absolute path or
`file://` URL (a local chart). Anything else is an InvalidArgument naming `chart_ref`.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import PurePosixPath

from otterhelm.errors import InvalidArgument

FIELD = "chart_ref"

# The grammar of github.com/distribution/reference (regexp.go), which Helm's registry client
# applies through oras: lower-case path components, a tag of word characters, dots and dashes.
_HOST_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_HOST_LABEL}(?:\.{_HOST_LABEL})*|\[[0-9a-fA-F:.]+\])(?::[0-9]{{1,5}})?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_HOST_RE = re.compile(rf"^{_HOST}$")
_REPOSITORY_RE = re.compile(rf"^{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*$")
_TAG_RE = re.compile(r"^[\w][\w.+-]{0,127}$")
_DIGEST_RE = re.compile(r"^sha256:[a-f0-9]{64}$")
_REPO_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def invalid(message: str) -> InvalidArgument:
    return InvalidArgument(message, field=FIELD)


@dataclass(frozen=True)
class OciRef:
    """`tag` is the chart version as Helm writes it (`+` allowed); `wire_tag` is what the
    registry stores, since OCI tags cannot hold `+` (Helm writes `_`, helm issue 10166)."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @property
    def chart_name(self) -> str:
        return self.repository.rsplit("/", 1)[-1]

    @property
    def wire_tag(self) -> str | None:
        return None if self.tag is None else self.tag.replace("+", "_")

    @property
    def base(self) -> str:
        return f"oci://{self.registry}/{self.repository}"

    def with_tag(self, tag: str | None) -> OciRef:
        return OciRef(self.registry, self.repository, tag, self.digest)

    def __str__(self) -> str:
        text = self.base
        if self.tag is not None:
            text += f":{self.tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text


@dataclass(frozen=True)
class UrlRef:
    url: str

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True)
class RepoRef:
    repository: str
    chart: str
    version: str | None = None

    def __str__(self) -> str:
        text = f"{self.repository}/{self.chart}"
        return text if self.version is None else f"{text}@{self.version}"


@dataclass(frozen=True)
class LocalRef:
    path: PurePosixPath

    def __str__(self) -> str:
        return str(self.path)


ChartRef = OciRef | UrlRef | RepoRef | LocalRef


def parse_chart_ref(text: str) -> ChartRef:
    ref = text.strip()
    if not ref:
        raise invalid("chart_ref is required")
    if any(ord(c) < 0x20 or c == "\x7f" for c in ref) or ref != text:
        raise invalid(f"chart_ref {text!r} contains whitespace or control characters")
    lower = ref.lower()
    if lower.startswith("oci://"):
        return parse_oci_ref(ref)
    if lower.startswith(("http://", "https://")):
        return _parse_url(ref)
    if lower.startswith("file://"):
        return _parse_local(urllib.parse.unquote(urllib.parse.urlsplit(ref).path), text)
    if ref.startswith("/"):
        return _parse_local(ref, text)
    if "://" in ref:
        raise invalid(
            f"chart_ref {text!r} has an unsupported scheme (use oci://, https://, http://, file://)"
        )
    return _parse_repo_ref(ref)


def parse_oci_ref(text: str) -> OciRef:
    if not text.lower().startswith("oci://"):
        raise invalid(f"chart_ref {text!r} is not an oci:// reference")
    rest = text[len("oci://") :]
    digest: str | None = None
    if "@" in rest:
        rest, digest = rest.rsplit("@", 1)
        if not _DIGEST_RE.match(digest):
            raise invalid(f"chart_ref {text!r}: digest {digest!r} is not sha256:<64 hex digits>")
    host, slash, path = rest.partition("/")
    if not slash or not path:
        raise invalid(f"chart_ref {text!r} names no repository after the registry host")
    if not _HOST_RE.match(host):
        raise invalid(f"chart_ref {text!r}: invalid registry host {host!r}")
    tag: str | None = None
    last = path.rsplit("/", 1)[-1]
    if ":" in last:
        path, tag = path.rsplit(":", 1)
        if not _TAG_RE.match(tag):
            raise invalid(f"chart_ref {text!r}: invalid tag {tag!r}")
    if not _REPOSITORY_RE.match(path):
        raise invalid(
            f"chart_ref {text!r}: invalid repository path {path!r} (lower-case letters, digits and . _ - separators)"
        )
    return OciRef(registry=host.lower(), repository=path, tag=tag, digest=digest)


def _parse_url(text: str) -> UrlRef:
    try:
        parts = urllib.parse.urlsplit(text)
        _ = parts.port  # raises on a malformed port
    except ValueError as err:
        raise invalid(f"chart_ref {text!r} is not a valid URL: {err}") from None
    if not parts.hostname:
        raise invalid(f"chart_ref {text!r} has no host")
    if parts.username is not None or parts.password is not None:
        raise invalid(f"chart_ref {text!r}: credentials in URLs are not accepted; configure them instead")
    if not parts.path or parts.path.endswith("/"):
        raise invalid(f"chart_ref {text!r} does not name a chart archive")
    return UrlRef(url=text)


def _parse_local(path: str, text: str) -> LocalRef:
    if not path.startswith("/"):
        raise invalid(f"chart_ref {text!r}: local charts must be given by absolute path")
    return LocalRef(path=PurePosixPath(path))


def _parse_repo_ref(text: str) -> RepoRef:
    body, at, version = text.partition("@")
    if at and not version.strip():
        raise invalid(f"chart_ref {text!r} has an empty version after '@'")
    parts = body.split("/")
    if len(parts) != 2 or not all(_REPO_NAME_RE.match(p) for p in parts):
        raise invalid(
            f"chart_ref {text!r} is not a chart reference: expected oci://…, http(s)://…, "
            "an absolute path, or repo/chart[@version]"
        )
    return RepoRef(repository=parts[0], chart=parts[1], version=version if at else None)
