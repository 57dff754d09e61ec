"""The chart catalog RPCs end to end over a real socket: `otterhelm serve` (a separate
process, configured by its file's `sources:` section) in front of a real HTTP chart
repository, a real registry listed as an OCI catalog, and a real TLS + basic-auth registry as
the upload target; called over Connect (JSON and binary), gRPC (grpcio) and `buf curl`.

No cluster is needed: the catalog belongs to the service, not to a scope.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import gzip
import io
import json
import secrets
import subprocess
import tarfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
import yaml
from google.protobuf import json_format
from google.protobuf.empty_pb2 import Empty
from google.protobuf.message import Message
from otterscale.application.v1 import application_pb2 as pb
from otterscale.application.v1 import application_pb2_grpc

from otterhelm.chart import loader
from otterhelm.sources import ChartSources, SourcesConfig
from otterhelm.sources.archive import load_archive
from otterhelm.sources.index import dump_index, index_directory
from otterhelm.sources.reference import OciRef

from ..sources.conftest import HttpServer, RegistryServer, _serve, build_chart, free_port, start_registry
from .conftest import (
    ADMIN_TOKEN,
    BUF,
    SERVICE,
    Outcome,
    RunningService,
    error_outcome,
    grpc_error_outcome,
    serving,
)

METHODS: dict[str, tuple[type[Message], type[Message]]] = {
    "ListCharts": (pb.ListChartsRequest, pb.ListChartsResponse),
    "GetChart": (pb.GetChartRequest, pb.Application.Chart),
    "GetChartMetadata": (pb.GetChartMetadataRequest, pb.Application.Chart.Metadata),
    "UploadChart": (pb.UploadChartRequest, Empty),
}

TRANSPORTS = ("connect-json", "connect-binary", "grpc")

RICH_CHART_YAML = (
    "icon: https://example.test/icon.png\nhome: https://example.test\nkeywords: [web, proxy]\n"
    "sources: [https://example.test/src]\nmaintainers:\n- name: Otter\n  email: otter@example.test\n"
    "  url: https://otter.test\ndependencies:\n- name: redis\n  version: 1.x\n  repository: https://r.test\n"
    "  condition: redis.enabled\nannotations:\n  artifacthub.io/license: Apache-2.0\n"
)
DEFAULT_VALUES = "replicas: 1\nmessage: hello\n"  # what build_chart writes


# --- calling the service -------------------------------------------------------------------


def _normalized(method: str, document: Any) -> dict[str, Any]:
    return json_format.MessageToDict(json_format.ParseDict(document, METHODS[method][1]()))


def _connect(service: RunningService, method: str, body: dict[str, Any], binary: bool) -> Outcome:
    request_type, _ = METHODS[method]
    headers = {
        "content-type": "application/proto" if binary else "application/json",
        "authorization": f"Bearer {ADMIN_TOKEN}",
    }
    if binary:
        content = json_format.ParseDict(body, request_type()).SerializeToString()
    else:
        content = json.dumps(body).encode()
    response = httpx.post(
        f"{service.base_url}/{SERVICE}/{method}", content=content, headers=headers, timeout=60
    )
    if response.status_code != 200:
        return error_outcome(response.json())
    if binary:
        assert response.headers["content-type"] == "application/proto"
        message = METHODS[method][1].FromString(response.content)
        return Outcome(response=json_format.MessageToDict(message))
    assert response.headers["content-type"] == "application/json"
    return Outcome(response=_normalized(method, response.json()))


def _grpc(service: RunningService, method: str, body: dict[str, Any]) -> Outcome:
    request_type, _ = METHODS[method]
    with grpc.insecure_channel(f"{service.host}:{service.port}") as channel:
        call = getattr(application_pb2_grpc.ApplicationServiceStub(channel), method)
        try:
            response = call(
                json_format.ParseDict(body, request_type()),
                metadata=[("authorization", f"Bearer {ADMIN_TOKEN}")],
                timeout=60,
            )
        except grpc.RpcError as error:
            return grpc_error_outcome(error)
    return Outcome(response=json_format.MessageToDict(response))


def _buf_curl(service: RunningService, method: str, body: dict[str, Any]) -> Outcome:
    """As the README shows it: schema by server reflection, gRPC over HTTP/2 cleartext."""
    command = [
        str(BUF),
        "curl",
        "--protocol",
        "grpc",
        "--http2-prior-knowledge",
        "-H",
        f"authorization: Bearer {ADMIN_TOKEN}",
        "--data",
        json.dumps(body),
        f"{service.base_url}/{SERVICE}/{method}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode == 0:
        return Outcome(response=_normalized(method, json.loads(result.stdout or "{}")))
    return error_outcome(json.loads(result.stderr))


Call = Callable[[str, str, dict[str, Any]], Outcome]


def _caller(service: RunningService) -> Call:
    def call(transport: str, method: str, body: dict[str, Any]) -> Outcome:
        if transport == "connect-json":
            return _connect(service, method, body, binary=False)
        if transport == "connect-binary":
            return _connect(service, method, body, binary=True)
        if transport == "grpc":
            return _grpc(service, method, body)
        if transport == "buf-curl":
            return _buf_curl(service, method, body)
        raise AssertionError(f"unknown transport {transport}")

    return call


@contextlib.contextmanager
def catalog_service(workdir: Path, sources: dict[str, Any]) -> Iterator[RunningService]:
    """`otterhelm serve` with a `sources:` section and no cluster scopes."""
    port = free_port()
    config = workdir / "otterhelm.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "listen": f"127.0.0.1:{port}",
                "tokens": [{"token": ADMIN_TOKEN, "user": "catalog-admin"}],
                "sources": sources,
            }
        )
    )
    with serving(config, port) as running:
        yield running


# --- the servers behind it -----------------------------------------------------------------


def _write_index(root: Path) -> None:
    document = index_directory(
        root, "", loader.load, now=lambda: datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    (root / "index.yaml").write_text(dump_index(document))


@contextlib.contextmanager
def chart_repository(root: Path, charts: list[bytes]) -> Iterator[HttpServer]:
    root.mkdir(parents=True)
    for archive in charts:
        metadata = load_archive(archive, "fixture").metadata
        (root / f"{metadata.name}-{metadata.version}.tgz").write_bytes(archive)
    _write_index(root)
    server = HttpServer(root=root, port=0)
    stop = _serve(server)
    try:
        yield server
    finally:
        stop()


@contextlib.contextmanager
def registry(directory: Path, **kwargs: Any) -> Iterator[RegistryServer]:
    server, cleanups = start_registry(directory, **kwargs)
    try:
        yield server
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


async def _push(config: SourcesConfig, host: str, namespace: str, archive: bytes) -> None:
    metadata = load_archive(archive, "fixture").metadata
    async with ChartSources(config) as sources, sources.oci(host) as client:
        await client.push(archive, metadata, OciRef(host, namespace))


async def _pull(config: SourcesConfig, ref: str) -> bytes:
    async with ChartSources(config) as sources:
        return (await sources.resolve(ref)).archive


@dataclass(frozen=True)
class CatalogSetup:
    service: RunningService
    call: Call
    repository: HttpServer
    upload: RegistryServer
    catalog: RegistryServer
    locked: RegistryServer
    local_chart: Path
    archive_cache: Path


WEB = {
    v: build_chart("web", v, app_version=f"app-{v}", chart_yaml_extra=RICH_CHART_YAML)
    for v in ("1.0.0", "1.1.0", "2.0.0-rc.1")
}
DB = build_chart("db", "0.1.0", description="A database")
CATALOGUED = {v: build_chart("catalogued", v, app_version=f"c-{v}") for v in ("0.2.0", "0.3.0")}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogSetup]:
    work = tmp_path_factory.mktemp("catalog")
    with contextlib.ExitStack() as stack:
        repository = stack.enter_context(chart_repository(work / "repo", [*WEB.values(), DB]))
        upload = stack.enter_context(registry(work / "upload", auth="htpasswd", tls=True))
        listed = stack.enter_context(registry(work / "listed"))
        locked = stack.enter_context(registry(work / "locked", auth="htpasswd", tls=True))
        for archive in CATALOGUED.values():
            asyncio.run(_push(listed.config(), listed.host, "catalog", archive))
        local_root = work / "local-charts"
        local_root.mkdir()
        local_chart = local_root / "localchart-0.0.1.tgz"
        local_chart.write_bytes(build_chart("localchart", "0.0.1", extra={"README.md": b"local readme\n"}))
        (work / "upload-password").write_text(f"{upload.password}\n")
        assert upload.ca_file is not None and locked.ca_file is not None
        sources = {
            "repositories": [{"name": "main", "url": repository.url}],
            "registries": [
                {
                    "host": upload.host,
                    "username": upload.username,
                    "passwordFile": "upload-password",
                    "caFile": str(upload.ca_file),
                },
                {"host": listed.host, "plainHttp": True},
                {"host": locked.host, "caFile": str(locked.ca_file)},  # no credentials given
            ],
            "localRoots": ["local-charts"],
            "allowNetworks": ["127.0.0.1/32"],
            "uploadRegistry": f"oci://{upload.host}/uploads",
            "ociCatalogs": [f"oci://{listed.host}/catalog"],
            "cacheDir": "chart-cache",
            "indexTtlSeconds": 300,
            "limits": {"timeoutSeconds": 10},
        }
        service = stack.enter_context(catalog_service(work, sources))
        yield CatalogSetup(
            service, _caller(service), repository, upload, listed, locked, local_chart, work / "chart-cache"
        )


def _named(charts: list[dict[str, Any]], name: str) -> dict[str, Any]:
    matches = [chart for chart in charts if chart["name"] == name]
    assert len(matches) == 1, [chart["name"] for chart in charts]
    return matches[0]


def _chart(**fields: Any) -> dict[str, Any]:
    """A chart in proto JSON: every singular field is set (the contract's fields have explicit
    presence), empty when the chart does not say."""
    scalars = {"name": "", "icon": "", "description": "", "deprecated": False, "tags": ""}
    return {**scalars, "license": "", "verified": False, "home": "", **fields}


WEB_FIELDS: dict[str, Any] = {
    "name": "web",
    "icon": "https://example.test/icon.png",
    "description": "A demo chart",
    "keywords": ["web", "proxy"],
    "license": "Apache-2.0",
    "home": "https://example.test",
    "sources": ["https://example.test/src"],
    "maintainers": [{"name": "Otter", "email": "otter@example.test", "url": "https://otter.test"}],
    "dependencies": [{"name": "redis", "version": "1.x", "condition": "redis.enabled"}],
}


def _version(version: str, ref: str, app: str) -> dict[str, str]:
    return {"chartVersion": version, "chartRef": ref, "applicationVersion": app}


# --- the four RPCs ---------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_list_charts_latest_version_each_with_metadata(catalog: CatalogSetup, transport: str) -> None:
    outcome = catalog.call(transport, "ListCharts", {})
    assert outcome.code is None, outcome
    assert outcome.response is not None
    charts = outcome.response["charts"]
    names = [chart["name"] for chart in charts]
    assert names == sorted(names)
    # The newest stable version, as `helm search repo` shows it (2.0.0-rc.1 is a prerelease).
    assert _named(charts, "web") == _chart(
        **WEB_FIELDS, versions=[_version("1.1.0", "main/web@1.1.0", "app-1.1.0")]
    )
    assert _named(charts, "db") == _chart(
        name="db", description="A database", versions=[_version("0.1.0", "main/db@0.1.0", "2.0.0")]
    )
    listed = catalog.catalog.host
    assert _named(charts, "catalogued") == _chart(
        name="catalogued",
        description="A demo chart",
        versions=[_version("0.3.0", f"oci://{listed}/catalog/catalogued:0.3.0", "c-0.3.0")],
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_listed_chart_refs_are_installable_as_is(catalog: CatalogSetup, transport: str) -> None:
    outcome = catalog.call(transport, "ListCharts", {})
    assert outcome.response is not None
    for chart in outcome.response["charts"]:
        ref = chart["versions"][0]["chartRef"]
        documents = catalog.call(transport, "GetChartMetadata", {"chartRef": ref})
        assert documents.code is None, (ref, documents)
        assert documents.response is not None
        assert documents.response["valuesYaml"] == DEFAULT_VALUES
        assert documents.response["readmeMd"].startswith(f"# {chart['name']}\n")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_chart_has_every_version_newest_first(catalog: CatalogSetup, transport: str) -> None:
    outcome = catalog.call(transport, "GetChart", {"name": "web"})
    assert outcome.code is None, outcome
    assert outcome.response == _chart(
        **WEB_FIELDS,
        versions=[_version(v, f"main/web@{v}", f"app-{v}") for v in ("2.0.0-rc.1", "1.1.0", "1.0.0")],
    )
    by_repository = catalog.call(transport, "GetChart", {"name": "main/db"})
    assert by_repository.response is not None
    assert by_repository.response["versions"] == [_version("0.1.0", "main/db@0.1.0", "2.0.0")]
    listed = catalog.catalog.host
    from_registry = catalog.call(transport, "GetChart", {"name": "catalogued"})
    assert from_registry.response is not None
    assert from_registry.response["versions"] == [
        _version(v, f"oci://{listed}/catalog/catalogued:{v}", f"c-{v}") for v in ("0.3.0", "0.2.0")
    ]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_chart_metadata_for_every_source_kind(catalog: CatalogSetup, transport: str) -> None:
    refs = {
        "main/web": "web",  # the newest stable version of a repository chart
        "main/web@1.0.0": "web",
        "main/db@~0.1": "db",
        f"{catalog.repository.url}/web-2.0.0-rc.1.tgz": "web",  # a direct archive URL
        f"oci://{catalog.catalog.host}/catalog/catalogued:0.2.0": "catalogued",
    }
    for ref, name in refs.items():
        outcome = catalog.call(transport, "GetChartMetadata", {"chartRef": ref})
        assert outcome.code is None, (ref, outcome)
        assert outcome.response == {
            "valuesYaml": DEFAULT_VALUES,
            "readmeMd": f"# {name}\n\nThe {name} chart.\n",
        }
    local = catalog.call(transport, "GetChartMetadata", {"chartRef": str(catalog.local_chart)})
    assert local.response == {"valuesYaml": DEFAULT_VALUES, "readmeMd": "local readme\n"}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_uploaded_chart_is_pushed_and_listed(catalog: CatalogSetup, transport: str) -> None:
    name = f"up-{transport}"
    archive = build_chart(name, "0.4.2", app_version="9.9")
    outcome = catalog.call(transport, "UploadChart", {"chartContent": base64.b64encode(archive).decode()})
    assert outcome.code is None, outcome
    assert outcome.response == {}
    ref = f"oci://{catalog.upload.host}/uploads/{name}:0.4.2"
    # Stored as helm push stores it: the very bytes, under <namespace>/<name>:<version>.
    assert asyncio.run(_pull(catalog.upload.config(), ref)) == archive
    listing = catalog.call(transport, "ListCharts", {})
    assert listing.response is not None
    assert _named(listing.response["charts"], name)["versions"] == [_version("0.4.2", ref, "9.9")]
    got = catalog.call(transport, "GetChart", {"name": name})
    assert got.response is not None
    assert got.response["versions"] == [_version("0.4.2", ref, "9.9")]
    documents = catalog.call(transport, "GetChartMetadata", {"chartRef": ref})
    assert documents.response is not None
    assert documents.response["valuesYaml"] == DEFAULT_VALUES


def test_repository_index_is_cached_between_calls(catalog: CatalogSetup) -> None:
    for transport in TRANSPORTS:
        assert catalog.call(transport, "ListCharts", {}).code is None
        assert catalog.call(transport, "GetChart", {"name": "web"}).code is None
        assert catalog.call(transport, "GetChartMetadata", {"chartRef": "main/db"}).code is None
    assert catalog.repository.requests.count("/index.yaml") == 1
    # Archives are kept by digest in the configured cache directory.
    assert list(catalog.archive_cache.glob("sha256-*.tgz"))


# --- error paths ---------------------------------------------------------------------------


def _tar(members: list[tuple[str, bytes]]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


EVIL_CHART_YAML = b"apiVersion: v2\nname: evil\nversion: 1.0.0\n"
# Archives Helm's loader refuses (helm pkg/chart/loader/archive.go and its tests), with the
# code each one earns: a chart that is wrong is invalid_argument, one past Helm's size limits
# (100 MiB decompressed in all, 5 MiB a file) is resource_exhausted.
MALICIOUS: dict[str, tuple[bytes, str]] = {
    "path-traversal": (
        _tar([("evil/Chart.yaml", EVIL_CHART_YAML), ("../../etc/evil", b"x")]),
        "invalid_argument",
    ),
    "no-chart-yaml": (_tar([("evil/values.yaml", b"a: 1\n")]), "invalid_argument"),
    "bad-version": (
        _tar([("evil/Chart.yaml", b"apiVersion: v2\nname: evil\nversion: not-a-version\n")]),
        "invalid_argument",
    ),
    "not-gzip": (b"<html>not a chart</html>", "invalid_argument"),
    "oversized-file": (
        _tar([("evil/Chart.yaml", EVIL_CHART_YAML), ("evil/files/zeros", bytes(6 * 1024 * 1024))]),
        "resource_exhausted",
    ),
    "gzip-bomb": (
        _tar(
            [("evil/Chart.yaml", EVIL_CHART_YAML)]
            + [(f"evil/files/z{i}", bytes(4 * 1024 * 1024)) for i in range(27)]
        ),
        "resource_exhausted",
    ),
}


def _assert_error(outcome: Outcome, code: str, field: str | None = None) -> None:
    assert outcome.code == code, outcome
    assert outcome.response is None
    assert "google.rpc.ErrorInfo" in outcome.detail_types, outcome
    if field is not None:
        assert outcome.field_violations == [field], outcome


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_chart_errors(catalog: CatalogSetup, transport: str) -> None:
    for name in ("nope", "other/web", "main/catalogued"):
        outcome = catalog.call(transport, "GetChart", {"name": name})
        _assert_error(outcome, "not_found")
        assert repr(name) in outcome.message
    _assert_error(catalog.call(transport, "GetChart", {}), "invalid_argument", "name")


# (chart_ref template, code): {listed}, {locked}, {repo} and {closed} are filled in per run.
METADATA_ERRORS: list[tuple[str, str]] = [
    ("", "invalid_argument"),
    ("ftp://example.test/web-1.0.0.tgz", "invalid_argument"),
    ("oci://{listed}/Catalog/Catalogued:0.2.0", "invalid_argument"),  # upper case is not OCI's
    ("oci://{listed}/catalog/catalogued@sha256:abc", "invalid_argument"),
    ("main/web@not a constraint", "invalid_argument"),
    ("main/nope", "not_found"),
    ("main/web@9.x", "not_found"),
    ("other/web", "not_found"),
    ("oci://{listed}/catalog/catalogued:9.9.9", "not_found"),
    ("oci://{listed}/catalog/absent:1.0.0", "not_found"),
    ("{repo}/absent-1.0.0.tgz", "not_found"),
    ("oci://127.0.0.1:{closed}/charts/web:1.0.0", "unavailable"),
    ("oci://{locked}/charts/web:1.0.0", "unauthenticated"),  # a registry we hold no credentials for
    ("http://169.254.169.254/latest/web-1.0.0.tgz", "permission_denied"),  # cloud metadata
    ("http://127.0.0.2:{repo_port}/web-1.0.0.tgz", "permission_denied"),  # loopback not allowed
    ("oci://[::1]:{repo_port}/charts/web:1.0.0", "permission_denied"),
    ("/etc/passwd", "permission_denied"),  # not under localRoots
    ("{local_root}/../upload-password", "permission_denied"),
]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_chart_metadata_errors(catalog: CatalogSetup, transport: str) -> None:
    values = {
        "listed": catalog.catalog.host,
        "locked": catalog.locked.host,
        "repo": catalog.repository.url,
        "repo_port": catalog.repository.port,
        "closed": free_port(),
        "local_root": catalog.local_chart.parent,
    }
    for template, code in METADATA_ERRORS:
        ref = template.format(**values)
        outcome = catalog.call(transport, "GetChartMetadata", {"chartRef": ref})
        assert outcome.code == code, (ref, outcome)
        _assert_error(outcome, code, "chart_ref" if code == "invalid_argument" else None)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_malicious_archives_are_refused_by_url_and_by_upload(catalog: CatalogSetup, transport: str) -> None:
    for name, (archive, code) in MALICIOUS.items():
        (catalog.repository.root / f"{name}-1.0.0.tgz").write_bytes(archive)
        by_url = catalog.call(
            transport, "GetChartMetadata", {"chartRef": f"{catalog.repository.url}/{name}-1.0.0.tgz"}
        )
        assert by_url.code == code, (name, by_url)
        _assert_error(by_url, code, "chart_ref" if code == "invalid_argument" else None)
        uploaded = catalog.call(
            transport, "UploadChart", {"chartContent": base64.b64encode(archive).decode()}
        )
        assert uploaded.code == code, (name, uploaded)
        _assert_error(uploaded, code, "chart_content" if code == "invalid_argument" else None)
    listing = catalog.call(transport, "ListCharts", {})
    assert listing.response is not None
    assert "evil" not in [chart["name"] for chart in listing.response["charts"]]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_empty_upload_is_invalid(catalog: CatalogSetup, transport: str) -> None:
    outcome = catalog.call(transport, "UploadChart", {})
    _assert_error(outcome, "invalid_argument", "chart_content")
    assert outcome.message == "chart_content is empty"


# --- a service without an upload registry, whose index lifetime is short --------------------


@dataclass(frozen=True)
class BareCatalog:
    call: Call
    repository: HttpServer


INDEX_TTL_SECONDS = 1.0


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BareCatalog]:
    work = tmp_path_factory.mktemp("bare")
    with chart_repository(work / "repo", [build_chart("solo", "1.0.0")]) as repository:
        sources = {
            "repositories": [{"name": "solo-repo", "url": repository.url}],
            "allowNetworks": ["127.0.0.1/32"],
            "indexTtlSeconds": INDEX_TTL_SECONDS,
        }
        with catalog_service(work, sources) as service:
            yield BareCatalog(_caller(service), repository)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_upload_without_an_upload_registry_is_a_failed_precondition(
    bare: BareCatalog, transport: str
) -> None:
    archive = build_chart("homeless", "1.0.0")
    outcome = bare.call(transport, "UploadChart", {"chartContent": base64.b64encode(archive).decode()})
    _assert_error(outcome, "failed_precondition")
    assert "uploadRegistry" in outcome.message


def test_cached_index_is_refreshed_after_its_lifetime(bare: BareCatalog) -> None:
    def latest() -> str:
        outcome = bare.call("connect-json", "ListCharts", {})
        assert outcome.response is not None
        [chart] = outcome.response["charts"]
        version: str = chart["versions"][0]["chartRef"]
        return version

    assert latest() == "solo-repo/solo@1.0.0"
    fetched = bare.repository.requests.count("/index.yaml")
    (bare.repository.root / "solo-1.1.0.tgz").write_bytes(build_chart("solo", "1.1.0"))
    _write_index(bare.repository.root)
    deadline = time.monotonic() + INDEX_TTL_SECONDS * 10
    while latest() != "solo-repo/solo@1.1.0":
        assert time.monotonic() < deadline, "the new version never appeared"
        time.sleep(0.2)
    assert bare.repository.requests.count("/index.yaml") > fetched


# --- the README's examples -----------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
README_SECTION = "## Chart sources and the catalog (`sources:`)"


def _readme_commands() -> list[str]:
    section = README.read_text().split(README_SECTION, 1)[1].split("\n## ", 1)[0]
    block = section.rsplit("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_buf_curl_examples_work(catalog: CatalogSetup, tmp_path: Path) -> None:
    (tmp_path / "demo-0.1.0.tgz").write_bytes(build_chart("demo", "0.1.0"))
    env = {
        "PATH": f"{BUF.parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "URL": f"{catalog.service.base_url}/{SERVICE}",
        "AUTH": f"authorization: Bearer {ADMIN_TOKEN}",
    }
    commands = _readme_commands()
    assert [c.rpartition("/")[2] for c in commands] == [
        "ListCharts",
        "GetChart",
        "GetChart",
        "GetChartMetadata",
        "GetChartMetadata",
        "UploadChart",
    ]
    outputs = []
    for command in commands:
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, (command, result.stderr)
        outputs.append(json.loads(result.stdout or "{}"))
    listed, by_name, by_repository, pinned, newest, uploaded = outputs
    assert "web" in [chart["name"] for chart in listed["charts"]]
    assert by_name["versions"][0]["chartRef"] == "main/web@2.0.0-rc.1"
    assert by_repository["versions"] == by_name["versions"]
    assert pinned["valuesYaml"] == newest["valuesYaml"] == DEFAULT_VALUES
    assert uploaded == {}
    demo = catalog.call("connect-json", "GetChart", {"name": "demo"})
    assert demo.response is not None
    assert demo.response["versions"][0]["chartRef"] == f"oci://{catalog.upload.host}/uploads/demo:0.1.0"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_upload_larger_than_one_message_is_resource_exhausted(catalog: CatalogSetup, transport: str) -> None:
    # Random bytes do not compress: the archive itself is past the 4 MiB message limit.
    noise = secrets.token_bytes(5 * 1024 * 1024)
    archive = build_chart("bulky", "1.0.0", extra={"files/noise.bin": noise})
    outcome = catalog.call(transport, "UploadChart", {"chartContent": base64.b64encode(archive).decode()})
    assert outcome.code == "resource_exhausted", outcome
    listing = catalog.call(transport, "ListCharts", {})
    assert listing.response is not None
    assert "bulky" not in [chart["name"] for chart in listing.response["charts"]]


# --- interop with the real helm v4.3.1 ------------------------------------------------------


def _helm(helm_binary: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "HELM_CACHE_HOME": str(home / "cache"),
        "HELM_CONFIG_HOME": str(home / "config"),
        "HELM_DATA_HOME": str(home / "data"),
    }
    result = subprocess.run(
        [str(helm_binary), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, f"helm {' '.join(args)} failed: {result.stderr}"
    return result


def test_chart_pushed_by_helm_is_listed_and_readable(
    catalog: CatalogSetup, helm_binary: Path, tmp_path: Path
) -> None:
    archive = build_chart(
        "helmmade", "1.4.0+meta.1", app_version="4.4", chart_yaml_extra=RICH_CHART_YAML.replace("web", "w")
    )
    path = tmp_path / "helmmade-1.4.0+meta.1.tgz"
    path.write_bytes(archive)
    _helm(
        helm_binary,
        tmp_path / "home",
        "push",
        str(path),
        f"oci://{catalog.catalog.host}/catalog",
        "--plain-http",
    )
    ref = f"oci://{catalog.catalog.host}/catalog/helmmade:1.4.0+meta.1"
    for transport in TRANSPORTS:
        listing = catalog.call(transport, "ListCharts", {})
        assert listing.response is not None
        listed = _named(listing.response["charts"], "helmmade")
        # Chart.yaml fields as helm's OCI config carries them.
        assert listed == _chart(
            **{**WEB_FIELDS, "name": "helmmade", "keywords": ["w", "proxy"]},
            versions=[_version("1.4.0+meta.1", ref, "4.4")],
        )
        documents = catalog.call(transport, "GetChartMetadata", {"chartRef": ref})
        assert documents.response == {
            "valuesYaml": DEFAULT_VALUES,
            "readmeMd": "# helmmade\n\nThe helmmade chart.\n",
        }


def test_chart_uploaded_over_the_service_is_pulled_by_helm(
    catalog: CatalogSetup, helm_binary: Path, tmp_path: Path
) -> None:
    archive = build_chart("forhelm", "2.1.0")
    outcome = catalog.call("grpc", "UploadChart", {"chartContent": base64.b64encode(archive).decode()})
    assert outcome.code is None, outcome
    upload = catalog.upload
    assert upload.username is not None and upload.password is not None and upload.ca_file is not None
    out = tmp_path / "pulled"
    out.mkdir()
    home = tmp_path / "home"
    credentials = [
        "--username",
        upload.username,
        "--password",
        upload.password,
        "--ca-file",
        str(upload.ca_file),
    ]
    _helm(
        helm_binary,
        home,
        "pull",
        f"oci://{upload.host}/uploads/forhelm",
        "--version",
        "2.1.0",
        *credentials,
        "-d",
        str(out),
    )
    assert (out / "forhelm-2.1.0.tgz").read_bytes() == archive
    shown = _helm(helm_binary, home, "show", "values", str(out / "forhelm-2.1.0.tgz"))
    assert shown.stdout == DEFAULT_VALUES + "\n"  # helm prints the file, then a newline
