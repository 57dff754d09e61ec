"""The compiled contract against the wire contract in the project spec, field by field.

The expected table below is transcribed from the spec (not from the .proto), so a change to
the .proto that breaks OtterScale clients fails here."""

from __future__ import annotations

from google.protobuf import descriptor_pb2, json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from otterscale.api import annotations_pb2
from otterscale.application.v1 import application_pb2 as pb

S, B, I32 = "string", "bool", "int32"
BYTES = "bytes"
TS = ".google.protobuf.Timestamp"
R = "repeated"
P = "otterscale.application.v1."


def m(value: str = "string") -> tuple[str, str]:
    """A map<string, value> field."""
    return ("map", value)


# message -> {field: (number, type, label)}; type is a scalar name, a message's full name
# (with a leading dot) or ("map", value type). Label "" is singular, R is repeated.
SCOPED = {"scope": (1, S, "")}
EXPECTED: dict[str, dict[str, tuple[int, object, str]]] = {
    "ListReleasesRequest": {**SCOPED},
    "ListReleasesResponse": {"releases": (1, f".{P}Application.Release", R)},
    "CreateReleaseRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "name": (4, S, ""),
        "dry_run": (5, B, ""),
        "chart_ref": (11, S, ""),
        "values_yaml": (12, S, ""),
        "values_map": (13, m(), R),
    },
    "UpdateReleaseRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "name": (4, S, ""),
        "dry_run": (5, B, ""),
        "chart_ref": (11, S, ""),
        "values_yaml": (12, S, ""),
    },
    "DeleteReleaseRequest": {**SCOPED, "namespace": (3, S, ""), "name": (4, S, ""), "dry_run": (5, B, "")},
    "RollbackReleaseRequest": {**SCOPED, "namespace": (3, S, ""), "name": (4, S, ""), "dry_run": (5, B, "")},
    "ListChartsRequest": {},
    "ListChartsResponse": {"charts": (1, f".{P}Application.Chart", R)},
    "GetChartRequest": {"name": (1, S, "")},
    "GetChartMetadataRequest": {"chart_ref": (1, S, "")},
    "UploadChartRequest": {"chart_content": (1, BYTES, "")},
    "ListApplicationsRequest": {**SCOPED},
    "ListNamespacesRequest": {**SCOPED},
    "ListStorageClassesRequest": {**SCOPED},
    "ListApplicationsResponse": {"applications": (1, f".{P}Application", R), "hostname": (2, S, "")},
    "GetApplicationRequest": {**SCOPED, "namespace": (3, S, ""), "name": (4, S, "")},
    "DeleteApplicationPodRequest": {**SCOPED, "namespace": (3, S, ""), "name": (4, S, "")},
    "RestartApplicationRequest": {**SCOPED, "namespace": (3, S, ""), "name": (4, S, ""), "type": (5, S, "")},
    "ScaleApplicationRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "name": (4, S, ""),
        "type": (5, S, ""),
        "replicas": (11, I32, ""),
    },
    "WatchLogsRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "pod_name": (4, S, ""),
        "container_name": (5, S, ""),
        "duration": (6, ".google.protobuf.Duration", ""),
    },
    "WatchLogsResponse": {"log": (1, S, "")},
    "ExecuteTTYRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "pod_name": (4, S, ""),
        "container_name": (5, S, ""),
        "command": (6, S, R),
    },
    "ExecuteTTYResponse": {"session_id": (1, S, ""), "stdout": (2, BYTES, "")},
    "WriteTTYRequest": {"session_id": (1, S, ""), "stdin": (2, BYTES, "")},
    "ListConfigMapsRequest": {**SCOPED, "namespace": (2, S, "")},
    "ListSecretsRequest": {**SCOPED, "namespace": (2, S, "")},
    "ListConfigMapsResponse": {"config_maps": (1, f".{P}ConfigMap", R)},
    "ListSecretsResponse": {"secrets": (1, f".{P}Secret", R)},
    "ListNamespacesResponse": {"namespaces": (1, f".{P}Namespace", R)},
    "ListStorageClassesResponse": {"storage_classes": (1, f".{P}StorageClass", R)},
    "Application": {
        "type": (1, S, ""),
        "name": (2, S, ""),
        "namespace": (3, S, ""),
        "labels": (4, m(), R),
        "replicas": (5, I32, ""),
        "healthies": (11, I32, ""),
        "metadata": (21, f".{P}Application.Chart.Metadata", ""),
        "containers": (31, f".{P}Application.Container", R),
        "services": (101, f".{P}Application.Service", R),
        "pods": (102, f".{P}Application.Pod", R),
        "persistent_volume_claims": (103, f".{P}Application.PersistentVolumeClaim", R),
        "created_at": (201, TS, ""),
    },
    "Application.Release": {
        "namespace": (4, S, ""),
        "name": (5, S, ""),
        "revision": (6, I32, ""),
        "chart_name": (11, S, ""),
        "version": (12, f".{P}Application.Chart.Version", ""),
        # otterhelm's additions
        "status": (100, S, ""),
        "description": (101, S, ""),
        "updated_at": (102, TS, ""),
        "notes": (103, S, ""),
        "manifest": (104, S, ""),
        "unvalidated_objects": (105, S, R),
    },
    "Application.Chart": {
        "name": (1, S, ""),
        "icon": (2, S, ""),
        "description": (3, S, ""),
        "deprecated": (4, B, ""),
        "tags": (5, S, ""),
        "keywords": (6, S, R),
        "license": (7, S, ""),
        "verified": (8, B, ""),
        "home": (11, S, ""),
        "sources": (12, S, R),
        "maintainers": (21, f".{P}Application.Chart.Maintainer", R),
        "dependencies": (31, f".{P}Application.Chart.Dependency", R),
        "versions": (41, f".{P}Application.Chart.Version", R),
    },
    "Application.Chart.Version": {
        "chart_version": (1, S, ""),
        "chart_ref": (2, S, ""),
        "application_version": (3, S, ""),
    },
    "Application.Chart.Maintainer": {"name": (1, S, ""), "email": (2, S, ""), "url": (3, S, "")},
    "Application.Chart.Dependency": {"name": (1, S, ""), "version": (2, S, ""), "condition": (3, S, "")},
    "Application.Chart.Metadata": {
        "values_yaml": (1, S, ""),
        "readme_md": (2, S, ""),
        "customization": (11, f".{P}Application.Chart.Customization", ""),
    },
    "Application.Chart.Customization": {
        "type": (1, S, ""),
        "name": (2, S, ""),
        "verison": (3, S, ""),
        "values": (11, ".google.protobuf.Struct", ""),
    },
    "Application.Condition": {
        "type": (1, S, ""),
        "status": (2, S, ""),
        "reason": (3, S, ""),
        "message": (4, S, ""),
        "probed_at": (201, TS, ""),
        "transitioned_at": (202, TS, ""),
    },
    "Application.Container": {"image_name": (1, S, ""), "image_pull_policy": (2, S, "")},
    "Application.Service": {
        "name": (1, S, ""),
        "type": (2, S, ""),
        "cluster_ip": (3, S, ""),
        "ports": (11, f".{P}Application.Service.Port", R),
        "created_at": (201, TS, ""),
    },
    "Application.Service.Port": {
        "port": (1, I32, ""),
        "node_port": (2, I32, ""),
        "name": (3, S, ""),
        "protocol": (4, S, ""),
        "target_port": (11, S, ""),
    },
    "Application.Pod": {
        "name": (1, S, ""),
        "phase": (2, S, ""),
        "ready": (3, S, ""),
        "restarts": (4, S, ""),
        "last_condition": (11, f".{P}Application.Condition", ""),
        "created_at": (201, TS, ""),
    },
    "Application.PersistentVolumeClaim": {
        "name": (1, S, ""),
        "status": (2, S, ""),
        "access_modes": (3, S, R),
        "capacity": (4, S, ""),
        "storage_class": (11, f".{P}StorageClass", ""),
        "created_at": (201, TS, ""),
    },
    "Namespace": {"name": (1, S, ""), "labels": (2, m(), R), "created_at": (11, TS, "")},
    "StorageClass": {
        "name": (1, S, ""),
        "provisioner": (2, S, ""),
        "reclaim_policy": (3, S, ""),
        "volume_binding_mode": (4, S, ""),
        "parameters": (5, m(), R),
        "created_at": (201, TS, ""),
    },
    "ConfigMap": {
        "name": (1, S, ""),
        "namespace": (2, S, ""),
        "labels": (3, m(), R),
        "data": (11, m(), R),
        "binary_data": (12, m(BYTES), R),
        "immutable": (13, B, ""),
        "created_at": (201, TS, ""),
    },
    "Secret": {
        "name": (1, S, ""),
        "namespace": (2, S, ""),
        "labels": (3, m(), R),
        "data": (11, m(BYTES), R),
        "type": (12, S, ""),
        "string_data": (13, m(), R),
        "immutable": (14, B, ""),
        "created_at": (201, TS, ""),
    },
}

# otterhelm's additions (api.md: new RPCs may be added). Request fields shared with the
# release RPCs keep their numbers, so a DiffReleaseRequest is an UpdateReleaseRequest's bytes.
ADDED: dict[str, dict[str, tuple[int, object, str]]] = {
    "GetReleaseRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "name": (4, S, ""),
        "revision": (5, I32, ""),
        "computed_values": (6, B, ""),
    },
    "GetReleaseResponse": {
        "release": (1, f".{P}Application.Release", ""),
        "values_yaml": (2, S, ""),
        "computed_values_yaml": (3, S, ""),
        "hooks": (4, f".{P}GetReleaseResponse.Hook", R),
        "first_deployed_at": (5, TS, ""),
    },
    "GetReleaseResponse.Hook": {
        "name": (1, S, ""),
        "kind": (2, S, ""),
        "path": (3, S, ""),
        "events": (4, S, R),
        "weight": (5, I32, ""),
        "delete_policies": (6, S, R),
        "last_run_phase": (7, S, ""),
        "last_run_started_at": (8, TS, ""),
        "last_run_completed_at": (9, TS, ""),
    },
    "ListReleaseHistoryRequest": {**SCOPED, "namespace": (3, S, ""), "name": (4, S, ""), "max": (5, I32, "")},
    "ListReleaseHistoryResponse": {"releases": (1, f".{P}Application.Release", R)},
    "DiffReleaseRequest": {
        **SCOPED,
        "namespace": (3, S, ""),
        "name": (4, S, ""),
        "chart_ref": (11, S, ""),
        "values_yaml": (12, S, ""),
    },
    "DiffReleaseResponse": {
        "current_revision": (1, I32, ""),
        "revision": (2, I32, ""),
        "objects": (3, f".{P}DiffReleaseResponse.ObjectChange", R),
    },
    "DiffReleaseResponse.ObjectChange": {
        "api_version": (1, S, ""),
        "kind": (2, S, ""),
        "namespace": (3, S, ""),
        "name": (4, S, ""),
        "action": (5, f".{P}DiffReleaseResponse.ObjectChange.Action", ""),
        "diff": (6, S, ""),
        "kept": (7, B, ""),
    },
}
ADDED_RPCS: dict[str, tuple[str, str, bool]] = {
    "GetRelease": ("GetReleaseRequest", "GetReleaseResponse", False),
    "ListReleaseHistory": ("ListReleaseHistoryRequest", "ListReleaseHistoryResponse", False),
    "DiffRelease": ("DiffReleaseRequest", "DiffReleaseResponse", False),
}

# message -> reserved ranges as (start, end inclusive)
RESERVED: dict[str, list[tuple[int, int]]] = {
    **{
        name: [(2, 2)]
        for name in (
            "ListReleasesRequest",
            "CreateReleaseRequest",
            "UpdateReleaseRequest",
            "DeleteReleaseRequest",
            "RollbackReleaseRequest",
            "ListApplicationsRequest",
            "ListNamespacesRequest",
            "ListStorageClassesRequest",
            "GetApplicationRequest",
            "DeleteApplicationPodRequest",
            "RestartApplicationRequest",
            "ScaleApplicationRequest",
            "WatchLogsRequest",
            "ExecuteTTYRequest",
            "GetReleaseRequest",
            "ListReleaseHistoryRequest",
            "DiffReleaseRequest",
        )
    },
    "Application.Release": [(1, 3)],
}

# rpc -> (request, response, server streaming)
RPCS: dict[str, tuple[str, str, bool]] = {
    "ListApplications": ("ListApplicationsRequest", "ListApplicationsResponse", False),
    "GetApplication": ("GetApplicationRequest", "Application", False),
    "RestartApplication": ("RestartApplicationRequest", "google.protobuf.Empty", False),
    "ScaleApplication": ("ScaleApplicationRequest", "google.protobuf.Empty", False),
    "DeleteApplicationPod": ("DeleteApplicationPodRequest", "google.protobuf.Empty", False),
    "WatchLogs": ("WatchLogsRequest", "WatchLogsResponse", True),
    "ExecuteTTY": ("ExecuteTTYRequest", "ExecuteTTYResponse", True),
    "WriteTTY": ("WriteTTYRequest", "google.protobuf.Empty", False),
    "ListReleases": ("ListReleasesRequest", "ListReleasesResponse", False),
    "CreateRelease": ("CreateReleaseRequest", "Application.Release", False),
    "UpdateRelease": ("UpdateReleaseRequest", "Application.Release", False),
    "DeleteRelease": ("DeleteReleaseRequest", "google.protobuf.Empty", False),
    "RollbackRelease": ("RollbackReleaseRequest", "google.protobuf.Empty", False),
    "ListCharts": ("ListChartsRequest", "ListChartsResponse", False),
    "GetChart": ("GetChartRequest", "Application.Chart", False),
    "GetChartMetadata": ("GetChartMetadataRequest", "Application.Chart.Metadata", False),
    "UploadChart": ("UploadChartRequest", "google.protobuf.Empty", False),
    "ListConfigMaps": ("ListConfigMapsRequest", "ListConfigMapsResponse", False),
    "ListSecrets": ("ListSecretsRequest", "ListSecretsResponse", False),
    "ListNamespaces": ("ListNamespacesRequest", "ListNamespacesResponse", False),
    "ListStorageClasses": ("ListStorageClassesRequest", "ListStorageClassesResponse", False),
}

_TYPE_NAMES = {
    FieldDescriptor.TYPE_STRING: S,
    FieldDescriptor.TYPE_BOOL: B,
    FieldDescriptor.TYPE_INT32: I32,
    FieldDescriptor.TYPE_BYTES: BYTES,
}


def _all_messages() -> dict[str, Descriptor]:
    found: dict[str, Descriptor] = {}

    def walk(desc: Descriptor) -> None:
        if desc.GetOptions().map_entry:
            return
        found[desc.full_name.removeprefix(P)] = desc
        for nested in desc.nested_types:
            walk(nested)

    for desc in pb.DESCRIPTOR.message_types_by_name.values():
        walk(desc)
    return found


def _field_shape(field: FieldDescriptor) -> tuple[int, object, str]:
    label = R if field.is_repeated else ""
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        value = field.message_type.fields_by_name["value"]
        return field.number, ("map", _TYPE_NAMES[value.type]), label
    if field.message_type is not None:
        return field.number, "." + field.message_type.full_name, label
    if field.enum_type is not None:
        return field.number, "." + field.enum_type.full_name, label
    return field.number, _TYPE_NAMES[field.type], label


def test_file_header() -> None:
    assert pb.DESCRIPTOR.package == "otterscale.application.v1"
    assert pb.DESCRIPTOR.name == "otterscale/application/v1/application.proto"
    serialized = pb.DESCRIPTOR.serialized_pb
    proto = descriptor_pb2.FileDescriptorProto.FromString(serialized)
    assert proto.syntax == "editions"
    assert proto.edition == descriptor_pb2.EDITION_2023
    assert set(proto.dependency) == {
        "google/protobuf/duration.proto",
        "google/protobuf/empty.proto",
        "google/protobuf/struct.proto",
        "google/protobuf/timestamp.proto",
        "otterscale/api/annotations.proto",
    }


def test_exactly_the_48_messages_of_the_spec_and_the_additions() -> None:
    messages = _all_messages()
    assert len(EXPECTED) == 48
    assert not set(EXPECTED) & set(ADDED)
    assert sorted(messages) == sorted({**EXPECTED, **ADDED})


def test_every_field_number_type_and_label() -> None:
    messages = _all_messages()
    for name, fields in {**EXPECTED, **ADDED}.items():
        actual = {field.name: _field_shape(field) for field in messages[name].fields}
        assert actual == fields, name


def test_singular_fields_have_explicit_presence() -> None:
    for name, desc in _all_messages().items():
        for field in desc.fields:
            if not field.is_repeated:
                assert field.has_presence, f"{name}.{field.name}"


def test_reservations() -> None:
    messages = _all_messages()
    for name, desc in messages.items():
        proto = descriptor_pb2.DescriptorProto()
        desc.CopyToProto(proto)
        ranges = [(r.start, r.end - 1) for r in proto.reserved_range]
        assert ranges == RESERVED.get(name, []), name


def test_service_methods_and_feature_option() -> None:
    service = pb.DESCRIPTOR.services_by_name["ApplicationService"]
    assert service.full_name == "otterscale.application.v1.ApplicationService"
    # The spec's methods first, in its order, then otterhelm's.
    assert [method.name for method in service.methods] == [*RPCS, *ADDED_RPCS]
    for method in service.methods:
        request, response, streaming = {**RPCS, **ADDED_RPCS}[method.name]
        assert method.input_type.full_name == (P + request), method.name
        expected_output = response if response.startswith("google.") else P + response
        assert method.output_type.full_name == expected_output, method.name
        assert method.server_streaming is streaming
        assert not method.client_streaming
        options = method.GetOptions()
        if method.name in ("ListNamespaces", "ListStorageClasses"):
            assert not options.HasExtension(annotations_pb2.feature), method.name
        else:
            assert options.Extensions[annotations_pb2.feature].name == "application-enabled", method.name


def test_feature_annotation_declaration() -> None:
    assert annotations_pb2.DESCRIPTOR.package == "otterscale.api"
    assert annotations_pb2.feature.number == 7777777
    assert annotations_pb2.feature.containing_type.full_name == "google.protobuf.MethodOptions"
    assert [f.name for f in annotations_pb2.Feature.DESCRIPTOR.fields] == ["name"]
    assert annotations_pb2.Feature.DESCRIPTOR.fields[0].number == 1


def _worked_example() -> pb.Application.Release:
    return pb.Application.Release(
        namespace="default",
        name="my-nginx",
        revision=1,
        chart_name="nginx",
        version=pb.Application.Chart.Version(chart_version="1.0.0", application_version="1.25.0"),
    )


def test_worked_example_binary_bytes() -> None:
    expected = b"\x22\x07default\x2a\x08my-nginx\x30\x01\x5a\x05nginx\x62\x0f\x0a\x051.0.0\x1a\x061.25.0"
    assert _worked_example().SerializeToString() == expected
    assert pb.Application.Release.FromString(expected) == _worked_example()


def test_worked_example_json() -> None:
    expected = (
        '{"namespace":"default","name":"my-nginx","revision":1,'
        '"chartName":"nginx","version":{"chartVersion":"1.0.0","applicationVersion":"1.25.0"}}'
    )
    text = json_format.MessageToJson(_worked_example(), indent=None)
    assert text.replace(", ", ",").replace(": ", ":") == expected
    assert json_format.Parse(expected, pb.Application.Release()) == _worked_example()


def test_zero_values_that_were_set_are_sent() -> None:
    release = pb.Application.Release(revision=0, name="")
    assert release.SerializeToString() == b"\x2a\x00\x30\x00"
    assert json_format.MessageToDict(release) == {"name": "", "revision": 0}


def test_diff_action_names() -> None:
    action = pb.DiffReleaseResponse.ObjectChange.Action
    assert [(v.name, v.number) for v in action.DESCRIPTOR.values] == [
        ("ACTION_UNSPECIFIED", 0),
        ("ACTION_ADDED", 1),
        ("ACTION_REMOVED", 2),
        ("ACTION_CHANGED", 3),
        ("ACTION_UNCHANGED", 4),
    ]


def test_an_update_request_reads_as_a_diff_request() -> None:
    update = pb.UpdateReleaseRequest(
        scope="s", namespace="n", name="r", dry_run=True, chart_ref="oci://h/c:1", values_yaml="a: 1\n"
    )
    diff = pb.DiffReleaseRequest.FromString(update.SerializeToString())
    assert (diff.scope, diff.namespace, diff.name, diff.chart_ref, diff.values_yaml) == (
        "s",
        "n",
        "r",
        "oci://h/c:1",
        "a: 1\n",
    )
