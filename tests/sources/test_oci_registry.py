"""OCI sources against a real distribution registry on loopback: pushes as helm writes them,
pulls, tag selection, digests, auth (basic, token flow) and TLS, and each failure's error kind."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from otterhelm.errors import (
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)
from otterhelm.sources import (
    ChartSources,
    Credentials,
    DigestMismatch,
    Limits,
    SourcesConfig,
    parse_chart_ref,
)
from otterhelm.sources.archive import load_archive
from otterhelm.sources.oci import CHART_LAYER_MEDIA_TYPE, CONFIG_MEDIA_TYPE, OciClient
from otterhelm.sources.reference import OciRef


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def push(config: SourcesConfig, archive: bytes, target: str) -> Any:
    ref = parse_chart_ref(target)
    assert isinstance(ref, OciRef)
    chart = load_archive(archive, "test")
    async with ChartSources(config) as sources, sources.oci(ref.registry) as client:
        return await client.push(archive, chart.metadata, ref)


async def resolve(config: SourcesConfig, ref: str, version: str | None = None) -> Any:
    async with ChartSources(config) as sources:
        return await sources.resolve(ref, version)


def test_push_then_pull_round_trip(registry: Any, make_chart: Callable[..., bytes]) -> None:
    archive = make_chart("roundtrip", "1.2.3")
    pushed = run(push(registry.config(), archive, f"oci://{registry.host}/charts"))
    assert str(pushed.ref) == f"oci://{registry.host}/charts/roundtrip:1.2.3"
    resolved = run(resolve(registry.config(), f"oci://{registry.host}/charts/roundtrip:1.2.3"))
    assert resolved.archive == archive
    assert resolved.digest == "sha256:" + hashlib.sha256(archive).hexdigest()
    assert resolved.ref == f"oci://{registry.host}/charts/roundtrip:1.2.3@{pushed.manifest_digest}"
    assert resolved.chart.metadata.name == "roundtrip"
    # The canonical reference is installable as is.
    again = run(resolve(registry.config(), resolved.ref))
    assert again.archive == archive


def test_manifest_has_helm_media_types_and_annotations(
    registry: Any, make_chart: Callable[..., bytes]
) -> None:
    archive = make_chart("annotated", "0.1.0", chart_yaml_extra="home: https://example.test/x\n")
    pushed = run(push(registry.config(), archive, f"oci://{registry.host}/charts"))
    manifest = httpx.get(
        f"http://{registry.host}/v2/charts/annotated/manifests/0.1.0",
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"},
    )
    assert manifest.status_code == 200
    assert manifest.headers["docker-content-digest"] == pushed.manifest_digest
    body = manifest.json()
    assert body["schemaVersion"] == 2
    assert body["config"]["mediaType"] == CONFIG_MEDIA_TYPE
    assert [layer["mediaType"] for layer in body["layers"]] == [CHART_LAYER_MEDIA_TYPE]
    annotations = body["annotations"]
    assert annotations["org.opencontainers.image.title"] == "annotated"
    assert annotations["org.opencontainers.image.version"] == "0.1.0"
    assert annotations["org.opencontainers.image.url"] == "https://example.test/x"
    assert annotations["org.opencontainers.image.description"] == "A demo chart"
    assert "org.opencontainers.image.created" in annotations
    config = httpx.get(f"http://{registry.host}/v2/charts/annotated/blobs/{body['config']['digest']}")
    # Go's json.Marshal of chart.Metadata: struct field order, omitempty.
    assert config.content == (
        b'{"name":"annotated","home":"https://example.test/x","version":"0.1.0","description":"A demo chart",'
        b'"apiVersion":"v2","appVersion":"2.0.0","type":"application"}'
    )


def test_tags_with_build_metadata_and_constraints(registry: Any, make_chart: Callable[..., bytes]) -> None:
    config = registry.config()
    for version in ("1.0.0", "1.1.0", "1.2.0+build.7", "2.0.0-rc.1", "2.0.0"):
        run(push(config, make_chart("versions", version), f"oci://{registry.host}/charts"))
    base = f"oci://{registry.host}/charts/versions"

    async def tags() -> list[str]:
        async with OciClient(config, registry.host) as client:
            ref = parse_chart_ref(base)
            assert isinstance(ref, OciRef)
            return await client.tags(ref)

    # helm stores `+` as `_` in tags and reads it back (pkg/registry client.go Tags).
    assert run(tags()) == ["2.0.0", "2.0.0-rc.1", "1.2.0+build.7", "1.1.0", "1.0.0"]
    assert run(resolve(config, base)).version == "2.0.0"
    assert run(resolve(config, base, "~1.1")).version == "1.1.0"
    assert run(resolve(config, base, "^1")).version == "1.2.0+build.7"
    # Masterminds v3: every term of the constraint must name a prerelease to admit one.
    assert run(resolve(config, base, ">=1.0.0 <2.0.0")).version == "1.2.0+build.7"
    assert run(resolve(config, base, ">=1.5.0-0 <2.0.0-rc.2")).version == "2.0.0-rc.1"
    assert run(resolve(config, base + ":1.2.0+build.7")).version == "1.2.0+build.7"
    with pytest.raises(NotFound):
        run(resolve(config, base, ">=3"))
    with pytest.raises(InvalidArgument):
        run(resolve(config, base + ":1.0.0", "1.1.0"))


def test_digest_reference_and_mismatch(registry: Any, make_chart: Callable[..., bytes]) -> None:
    config = registry.config()
    pushed = run(push(config, make_chart("pinned", "1.0.0"), f"oci://{registry.host}/charts"))
    other = run(push(config, make_chart("pinned", "1.0.1"), f"oci://{registry.host}/charts"))
    by_digest = run(resolve(config, f"oci://{registry.host}/charts/pinned@{pushed.manifest_digest}"))
    assert by_digest.version == "1.0.0"
    with pytest.raises(DigestMismatch):
        run(resolve(config, f"oci://{registry.host}/charts/pinned:1.0.0@{other.manifest_digest}"))
    with pytest.raises(NotFound):
        run(resolve(config, f"oci://{registry.host}/charts/pinned@sha256:{'0' * 64}"))


def test_missing_tag_and_repository_are_not_found(registry: Any, make_chart: Callable[..., bytes]) -> None:
    config = registry.config()
    run(push(config, make_chart("present", "1.0.0"), f"oci://{registry.host}/charts"))
    with pytest.raises(NotFound):
        run(resolve(config, f"oci://{registry.host}/charts/present:9.9.9"))
    with pytest.raises(NotFound):
        run(resolve(config, f"oci://{registry.host}/charts/absent"))


def test_not_a_chart_is_invalid(registry: Any) -> None:
    blob = b"{}"
    digest = "sha256:" + hashlib.sha256(blob).hexdigest()
    start = httpx.post(f"http://{registry.host}/v2/images/plain/blobs/uploads/")
    location = httpx.URL(f"http://{registry.host}").join(start.headers["location"])
    httpx.put(location.copy_add_param("digest", digest), content=blob).raise_for_status()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest, "size": 2},
        "layers": [],
    }
    httpx.put(
        f"http://{registry.host}/v2/images/plain/manifests/1.0.0",
        content=json.dumps(manifest),
        headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"},
    ).raise_for_status()
    with pytest.raises(InvalidArgument, match="not a Helm chart"):
        run(resolve(registry.config(), f"oci://{registry.host}/images/plain:1.0.0"))


def test_oversize_layer_is_resource_exhausted(registry: Any, make_chart: Callable[..., bytes]) -> None:
    archive = make_chart("big", "1.0.0", extra={"files/blob.bin": bytes(range(256)) * 4096})
    run(push(registry.config(), archive, f"oci://{registry.host}/charts"))
    small = registry.config(limits=Limits(max_archive_bytes=len(archive) - 1, timeout_seconds=10))
    with pytest.raises(ResourceExhausted):
        run(resolve(small, f"oci://{registry.host}/charts/big:1.0.0"))


def test_unreachable_registry_is_unavailable(registry: Any) -> None:
    from otterhelm.sources.config import Registry, TLSOptions

    port = __import__("socket").socket()
    port.bind(("127.0.0.1", 0))
    host = f"127.0.0.1:{port.getsockname()[1]}"
    port.close()
    config = SourcesConfig(
        registries=(Registry(host=host, tls=TLSOptions(plain_http=True)),), policy=registry.config().policy
    )
    with pytest.raises(Unavailable):
        run(resolve(config, f"oci://{host}/charts/nothing:1.0.0"))


def test_basic_auth_over_tls(auth_registry: Any, make_chart: Callable[..., bytes]) -> None:
    config = auth_registry.config()
    archive = make_chart("private", "1.0.0")
    run(push(config, archive, f"oci://{auth_registry.host}/team"))
    assert run(resolve(config, f"oci://{auth_registry.host}/team/private")).archive == archive
    with pytest.raises(Unauthenticated, match="requires credentials"):
        run(
            resolve(auth_registry.config(credentials=False), f"oci://{auth_registry.host}/team/private:1.0.0")
        )
    wrong = auth_registry.config(credentials=Credentials("otter", "wrong"))
    with pytest.raises(Unauthenticated, match="rejected the credentials"):
        run(resolve(wrong, f"oci://{auth_registry.host}/team/private:1.0.0"))


def test_tls_needs_the_configured_ca(tls_registry: Any, make_chart: Callable[..., bytes]) -> None:
    archive = make_chart("secure", "3.0.0")
    run(push(tls_registry.config(), archive, f"oci://{tls_registry.host}/charts"))
    assert (
        run(resolve(tls_registry.config(), f"oci://{tls_registry.host}/charts/secure:3.0.0")).archive
        == archive
    )
    with pytest.raises(Unavailable, match=r"(?i)certificate"):
        run(resolve(tls_registry.config(ca=False), f"oci://{tls_registry.host}/charts/secure:3.0.0"))


def test_token_flow(token_registry: Any, make_chart: Callable[..., bytes]) -> None:
    config = token_registry.config()
    archive = make_chart("tokened", "0.3.0")
    run(push(config, archive, f"oci://{token_registry.host}/org"))
    assert run(resolve(config, f"oci://{token_registry.host}/org/tokened", "0.x")).archive == archive
    scopes = {s for r in token_registry.token_service.requests for s in r["scope"].split(" ")}
    assert scopes == {"repository:org/tokened:pull,push", "repository:org/tokened:pull"}
    assert {r.get("service") for r in token_registry.token_service.requests} == {"otterhelm-registry"}
    with pytest.raises(Unauthenticated):
        run(
            resolve(
                token_registry.config(credentials=False), f"oci://{token_registry.host}/org/tokened:0.3.0"
            )
        )
    wrong = token_registry.config(credentials=Credentials("otter", "nope"))
    with pytest.raises(Unauthenticated):
        run(resolve(wrong, f"oci://{token_registry.host}/org/tokened:0.3.0"))


def test_archive_cache_by_layer_digest(
    registry: Any, make_chart: Callable[..., bytes], tmp_path: Any
) -> None:
    archive = make_chart("cachedoci", "1.0.0")
    run(push(registry.config(), archive, f"oci://{registry.host}/charts"))
    config = registry.config(cache_dir=tmp_path / "cache")
    ref = f"oci://{registry.host}/charts/cachedoci:1.0.0"
    assert run(resolve(config, ref)).archive == archive
    layer = "sha256:" + hashlib.sha256(archive).hexdigest()
    deleted = httpx.delete(f"http://{registry.host}/v2/charts/cachedoci/blobs/{layer}")
    assert deleted.status_code == 202
    with pytest.raises(NotFound):
        run(resolve(registry.config(), ref))
    assert run(resolve(config, ref)).archive == archive


def test_token_service_refusal_is_permission_denied(
    token_registry: Any, make_chart: Callable[..., bytes]
) -> None:
    token_registry.token_service.read_only.add("locked/chart")
    with pytest.raises(PermissionDenied, match="denied"):
        run(
            push(token_registry.config(), make_chart("chart", "1.0.0"), f"oci://{token_registry.host}/locked")
        )


def test_token_without_access_is_permission_denied(
    token_registry: Any, make_chart: Callable[..., bytes]
) -> None:
    config = token_registry.config()
    run(push(config, make_chart("hidden", "1.0.0"), f"oci://{token_registry.host}/vault"))
    token_registry.token_service.no_access.add("vault/hidden")
    with pytest.raises(PermissionDenied, match="denied access"):
        run(resolve(config, f"oci://{token_registry.host}/vault/hidden:1.0.0"))


def upload_blob(host: str, repository: str, data: bytes) -> str:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    start = httpx.post(f"http://{host}/v2/{repository}/blobs/uploads/")
    location = httpx.URL(f"http://{host}").join(start.headers["location"])
    httpx.put(location.copy_add_param("digest", digest), content=data).raise_for_status()
    return digest


def test_legacy_chart_layer_media_type_is_read(registry: Any, make_chart: Callable[..., bytes]) -> None:
    # Charts pushed by old helm 3 releases used application/tar+gzip (helm constants.go).
    archive = make_chart("legacy", "0.0.1")
    config = b'{"name":"legacy","version":"0.0.1"}'
    manifest = {
        "schemaVersion": 2,
        "config": {
            "mediaType": CONFIG_MEDIA_TYPE,
            "digest": upload_blob(registry.host, "old/legacy", config),
            "size": len(config),
        },
        "layers": [
            {
                "mediaType": "application/tar+gzip",
                "digest": upload_blob(registry.host, "old/legacy", archive),
                "size": len(archive),
            }
        ],
    }
    httpx.put(
        f"http://{registry.host}/v2/old/legacy/manifests/0.0.1",
        content=json.dumps(manifest),
        headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"},
    ).raise_for_status()
    assert run(resolve(registry.config(), f"oci://{registry.host}/old/legacy:0.0.1")).archive == archive
