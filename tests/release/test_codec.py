"""Release JSON and records, pinned against the real helm v4.3.1 on the devcluster and against
the struct tags of pkg/release/v1 (release.go, info.go, hook.go) and pkg/chart/v2."""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from otterhelm.chart.loader import load as load_chart
from otterhelm.release import (
    Hook,
    HookExecution,
    Info,
    Release,
    Status,
    StoredChart,
    decode_record,
    encode_record,
    format_go_time,
    parse_go_time,
    release_from_json,
    release_to_json,
)
from otterhelm.release.codec import BEST_LEVEL_FROM_BYTES, RecordEncoder, ReleaseDecodeError, compress_record

TINY_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: '1.0'\n"
    "description: a <tiny> & small chart\nkeywords: [a, b]\nannotations: {z: '1', a: '2'}\n",
    "values.yaml": "greeting: 'hi <there> & you'\nreplicas: 1\nbig: 12345678901234567890\n",
    "values.schema.json": '{"type": "object"}\n',
    "files/extra.txt": "extra file\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
    "data:\n  greeting: {{ .Values.greeting | quote }}\n",
    "templates/hook.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n"
    "  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: '-5'\n"
    "    helm.sh/hook-delete-policy: before-hook-creation\n",
    "templates/NOTES.txt": "Thanks for installing {{ .Release.Name }} <&>\n",
}


def write_chart(root: Path) -> Path:
    for name, text in TINY_CHART.items():
        path = root / "tiny" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "tiny"


# --- pure ------------------------------------------------------------------------------------


def test_go_time_format_trims_fraction_and_writes_zone() -> None:
    utc = datetime.datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=datetime.UTC)
    assert format_go_time(utc) == "2026-01-02T03:04:05.12Z"
    offset = datetime.timezone(datetime.timedelta(hours=-7, minutes=-30))
    assert format_go_time(utc.replace(microsecond=0, tzinfo=offset)) == "2026-01-02T03:04:05-07:30"
    parsed = parse_go_time("2026-01-02T03:04:05.123456789-07:00")
    assert (
        parsed is not None
        and parsed.microsecond == 123456
        and parsed.utcoffset() == datetime.timedelta(hours=-7)
    )
    assert parse_go_time("") is None and parse_go_time("0001-01-01T00:00:00Z") is None


def test_zero_fields_follow_the_struct_tags() -> None:
    release = Release(
        name="r",
        namespace="ns",
        version=1,
        info=Info(status=Status.DEPLOYED),
        chart=StoredChart(metadata={"name": "c", "version": "1.0.0"}),
        hooks=[Hook(name="h", kind="Job", events=["post-install"], last_run=HookExecution())],
    )
    encoded = release_to_json(release)
    # info times are omitzero; weight omitempty; last_run.phase always present;
    # chart lock/templates/values/schema/files are null, schemamodtime always written.
    assert encoded == (
        '{"name":"r","info":{"status":"deployed"},"chart":{"metadata":{"name":"c","version":"1.0.0"},'
        '"lock":null,"templates":null,"values":null,"schema":null,'
        '"schemamodtime":"0001-01-01T00:00:00Z","files":null},'
        '"hooks":[{"name":"h","kind":"Job","events":["post-install"],"last_run":{"phase":""}}],'
        '"version":1,"namespace":"ns"}'
    )


def test_maps_sorted_and_html_escaped_numbers_as_go_floats() -> None:
    release = Release(
        name="r",
        namespace="ns",
        version=3,
        info=None,
        config={"z": "<a&b>", "a": 1e21, "m": 1.0, "n": [0.5, None, True]},
    )
    assert release_to_json(release) == (
        '{"name":"r","config":{"a":1e+21,"m":1,"n":[0.5,null,true],"z":"\\u003ca\\u0026b\\u003e"},'
        '"version":3,"namespace":"ns"}'
    )


def test_helm_v3_record_with_empty_times_and_no_gzip_decodes() -> None:
    # Helm v3 wrote `""` for zero times (deleted has no omitempty there) and old records
    # may be plain JSON (pkg/storage/driver/util.go decodeRelease checks the gzip magic).
    v3 = {
        "name": "old",
        "info": {
            "first_deployed": "2021-05-06T07:08:09.1+01:00",
            "last_deployed": "2021-05-06T07:08:09.1+01:00",
            "deleted": "",
            "description": "Install complete",
            "status": "deployed",
        },
        "chart": {
            "metadata": {"name": "c"},
            "lock": None,
            "templates": [],
            "values": {},
            "schema": None,
            "files": [],
        },
        "hooks": [
            {"name": "h", "last_run": {"started_at": "", "completed_at": "", "phase": ""}, "weight": 5}
        ],
        "version": 2,
        "namespace": "default",
    }
    record = base64.b64encode(json.dumps(v3).encode()).decode()
    release = decode_record(record)
    assert release.info is not None and release.info.deleted == ""
    assert release.info.status is Status.DEPLOYED
    assert release.hooks is not None and release.hooks[0].weight == 5
    again = json.loads(release_to_json(release))
    assert "deleted" not in again["info"]
    assert again["hooks"][0]["last_run"] == {"phase": ""}
    assert again["chart"]["schemamodtime"] == "0001-01-01T00:00:00Z"


def test_record_is_base64_of_gzip_of_the_json() -> None:
    release = Release(name="r", namespace="ns", version=1, info=Info(status=Status.FAILED, description="x"))
    record = encode_record(release)
    raw = base64.b64decode(record)
    assert raw[:3] == b"\x1f\x8b\x08"
    assert gzip.decompress(raw).decode() == release_to_json(release)
    assert decode_record(record) == release


def test_big_records_get_best_compression_as_helm_gives_all() -> None:
    # pkg/storage/driver/util.go encodeRelease: gzip.BestCompression. Records whose size could
    # approach the Secret limit are compressed that hard too (XFL 2 in the gzip header).
    small = compress_record("{}")
    assert small[8] != 2 and gzip.decompress(small) == b"{}"
    text = random.Random(0).randbytes(800_000).hex()
    big = compress_record(text)
    assert len(big) >= BEST_LEVEL_FROM_BYTES and big[8] == 2
    assert gzip.decompress(big).decode() == text


def test_record_encoder_reuses_the_chart_json_of_one_chart_object() -> None:
    chart = StoredChart(metadata={"name": "c", "version": "1.0.0"}, values={"a": 1})
    release = Release(name="r", namespace="ns", version=1, chart=chart, info=Info(status=Status.DEPLOYED))
    encoder = RecordEncoder()
    assert encoder.encode(release) == encode_record(release)
    release.set_status(Status.FAILED, "later")
    assert encoder.encode(release) == encode_record(release)
    other = Release(name="r", namespace="ns", version=2, chart=StoredChart(metadata={"name": "d"}))
    assert encoder.encode(other) == encode_record(other)


@pytest.mark.parametrize("record", ["not base64!", base64.b64encode(b"\x1f\x8b\x08garbage").decode(), "W10="])
def test_broken_records_are_reported(record: str) -> None:
    with pytest.raises(ReleaseDecodeError):
        decode_record(record)


def test_unknown_status_text_survives() -> None:
    release = release_from_json('{"name":"r","info":{"status":"from-the-future"},"version":1}')
    assert release.status == "from-the-future"
    assert '"status":"from-the-future"' in release_to_json(release)


# --- against the real helm ------------------------------------------------------------------


def test_helm_written_records_reencode_byte_for_byte(
    tmp_path: Path,
    namespace: str,
    helm: Callable[..., str],
    release_secrets: Callable[[str], dict[str, dict[str, Any]]],
    decode_secret: Callable[[dict[str, Any]], bytes],
) -> None:
    chart = write_chart(tmp_path)
    helm("install", "tiny", str(chart), "-n", namespace, "--set", "x=<1&2>", "--labels", "team=a")
    helm("upgrade", "tiny", str(chart), "-n", namespace, "--set-json", 'n={"f":1.5e30,"i":7}')
    helm("rollback", "tiny", "1", "-n", namespace)
    found = release_secrets(namespace)
    assert sorted(found) == [f"sh.helm.release.v1.tiny.v{n}" for n in (1, 2, 3)]
    for secret in found.values():
        helm_json = decode_secret(secret)
        record = base64.b64decode(secret["data"]["release"]).decode()
        decoded = decode_record(record)
        assert release_to_json(decoded).encode() == helm_json
    third = decode_record(base64.b64decode(found["sh.helm.release.v1.tiny.v3"]["data"]["release"]).decode())
    assert third.info is not None and third.info.description == "Rollback to 1"
    assert third.hooks is not None and third.hooks[0].weight == -5
    assert third.hooks[0].delete_policies == ["before-hook-creation"]


def test_records_otterhelm_writes_are_read_by_helm(
    tmp_path: Path,
    namespace: str,
    storage_run: Callable[..., Any],
    helm_json: Callable[..., Any],
    helm: Callable[..., str],
) -> None:
    chart = load_chart(write_chart(tmp_path))
    manifest = (
        "---\n# Source: tiny/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-cm\n"
    )
    stored = StoredChart.from_chart(chart, modtime="2026-03-04T05:06:07.000000008Z")
    deployed = Release(
        name="web",
        namespace=namespace,
        version=1,
        info=Info(
            first_deployed="2026-03-04T05:06:07.1Z",
            last_deployed="2026-03-04T05:06:07.1Z",
            description="Install complete",
            status=Status.DEPLOYED,
            notes="Thanks for installing web <&>\n",
        ),
        chart=stored,
        config={"greeting": "hello & <bye>", "replicas": 3.0},
        manifest=manifest,
        apply_method="ssa",
        labels={"team": "a"},
        chart_reference="oci://example.invalid/charts/tiny:0.1.0",
    )

    async def body(storage: Any) -> None:
        await storage.create(deployed)

    storage_run(body)
    listed = helm_json("list", "-n", namespace)
    assert [(r["name"], r["revision"], r["status"], r["chart"], r["app_version"]) for r in listed] == [
        ("web", "1", "deployed", "tiny-0.1.0", "1.0")
    ]
    history = helm_json("history", "web", "-n", namespace)
    assert [(h["revision"], h["status"], h["description"]) for h in history] == [
        (1, "deployed", "Install complete")
    ]
    assert helm_json("get", "values", "web", "-n", namespace) == {"greeting": "hello & <bye>", "replicas": 3}
    assert helm("get", "manifest", "web", "-n", namespace) == manifest + "\n"
    status = helm_json("status", "web", "-n", namespace)
    assert status["info"]["status"] == "deployed" and status["info"]["notes"].startswith("Thanks")
    # helm upgrades our record (marking ours superseded through its own Update).
    helm("upgrade", "web", str(tmp_path / "tiny"), "-n", namespace, "--reuse-values")
    history = helm_json("history", "web", "-n", namespace)
    assert [(h["revision"], h["status"]) for h in history] == [(1, "superseded"), (2, "deployed")]


def test_numbers_are_float64_and_bad_text_is_replaced_as_go_does() -> None:
    release = release_from_json(
        b'{"name":"r","config":{"n":3,"big":12345678901234567890,"s":"\\ud800x","b":"\xff"},"version":2}'
    )
    assert release.version == 2
    assert release.config == {"n": 3.0, "big": 1.2345678901234567e19, "s": "\ufffdx", "b": "\ufffd"}
    assert '"big":12345678901234567000' in release_to_json(release)
    with pytest.raises(ReleaseDecodeError):
        release_from_json('{"config":{"x":NaN}}')
