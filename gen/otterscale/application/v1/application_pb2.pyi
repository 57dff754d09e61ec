import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from otterscale.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Application(_message.Message):
    __slots__ = ("type", "name", "namespace", "labels", "replicas", "healthies", "metadata", "containers", "services", "pods", "persistent_volume_claims", "created_at")
    class Release(_message.Message):
        __slots__ = ("namespace", "name", "revision", "chart_name", "version", "status", "description", "updated_at", "notes", "manifest", "unvalidated_objects")
        NAMESPACE_FIELD_NUMBER: _ClassVar[int]
        NAME_FIELD_NUMBER: _ClassVar[int]
        REVISION_FIELD_NUMBER: _ClassVar[int]
        CHART_NAME_FIELD_NUMBER: _ClassVar[int]
        VERSION_FIELD_NUMBER: _ClassVar[int]
        STATUS_FIELD_NUMBER: _ClassVar[int]
        DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
        UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
        NOTES_FIELD_NUMBER: _ClassVar[int]
        MANIFEST_FIELD_NUMBER: _ClassVar[int]
        UNVALIDATED_OBJECTS_FIELD_NUMBER: _ClassVar[int]
        namespace: str
        name: str
        revision: int
        chart_name: str
        version: Application.Chart.Version
        status: str
        description: str
        updated_at: _timestamp_pb2.Timestamp
        notes: str
        manifest: str
        unvalidated_objects: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, namespace: _Optional[str] = ..., name: _Optional[str] = ..., revision: _Optional[int] = ..., chart_name: _Optional[str] = ..., version: _Optional[_Union[Application.Chart.Version, _Mapping]] = ..., status: _Optional[str] = ..., description: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., notes: _Optional[str] = ..., manifest: _Optional[str] = ..., unvalidated_objects: _Optional[_Iterable[str]] = ...) -> None: ...
    class Chart(_message.Message):
        __slots__ = ("name", "icon", "description", "deprecated", "tags", "keywords", "license", "verified", "home", "sources", "maintainers", "dependencies", "versions")
        class Version(_message.Message):
            __slots__ = ("chart_version", "chart_ref", "application_version")
            CHART_VERSION_FIELD_NUMBER: _ClassVar[int]
            CHART_REF_FIELD_NUMBER: _ClassVar[int]
            APPLICATION_VERSION_FIELD_NUMBER: _ClassVar[int]
            chart_version: str
            chart_ref: str
            application_version: str
            def __init__(self, chart_version: _Optional[str] = ..., chart_ref: _Optional[str] = ..., application_version: _Optional[str] = ...) -> None: ...
        class Maintainer(_message.Message):
            __slots__ = ("name", "email", "url")
            NAME_FIELD_NUMBER: _ClassVar[int]
            EMAIL_FIELD_NUMBER: _ClassVar[int]
            URL_FIELD_NUMBER: _ClassVar[int]
            name: str
            email: str
            url: str
            def __init__(self, name: _Optional[str] = ..., email: _Optional[str] = ..., url: _Optional[str] = ...) -> None: ...
        class Dependency(_message.Message):
            __slots__ = ("name", "version", "condition")
            NAME_FIELD_NUMBER: _ClassVar[int]
            VERSION_FIELD_NUMBER: _ClassVar[int]
            CONDITION_FIELD_NUMBER: _ClassVar[int]
            name: str
            version: str
            condition: str
            def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., condition: _Optional[str] = ...) -> None: ...
        class Customization(_message.Message):
            __slots__ = ("type", "name", "verison", "values")
            TYPE_FIELD_NUMBER: _ClassVar[int]
            NAME_FIELD_NUMBER: _ClassVar[int]
            VERISON_FIELD_NUMBER: _ClassVar[int]
            VALUES_FIELD_NUMBER: _ClassVar[int]
            type: str
            name: str
            verison: str
            values: _struct_pb2.Struct
            def __init__(self, type: _Optional[str] = ..., name: _Optional[str] = ..., verison: _Optional[str] = ..., values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
        class Metadata(_message.Message):
            __slots__ = ("values_yaml", "readme_md", "customization")
            VALUES_YAML_FIELD_NUMBER: _ClassVar[int]
            README_MD_FIELD_NUMBER: _ClassVar[int]
            CUSTOMIZATION_FIELD_NUMBER: _ClassVar[int]
            values_yaml: str
            readme_md: str
            customization: Application.Chart.Customization
            def __init__(self, values_yaml: _Optional[str] = ..., readme_md: _Optional[str] = ..., customization: _Optional[_Union[Application.Chart.Customization, _Mapping]] = ...) -> None: ...
        NAME_FIELD_NUMBER: _ClassVar[int]
        ICON_FIELD_NUMBER: _ClassVar[int]
        DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
        DEPRECATED_FIELD_NUMBER: _ClassVar[int]
        TAGS_FIELD_NUMBER: _ClassVar[int]
        KEYWORDS_FIELD_NUMBER: _ClassVar[int]
        LICENSE_FIELD_NUMBER: _ClassVar[int]
        VERIFIED_FIELD_NUMBER: _ClassVar[int]
        HOME_FIELD_NUMBER: _ClassVar[int]
        SOURCES_FIELD_NUMBER: _ClassVar[int]
        MAINTAINERS_FIELD_NUMBER: _ClassVar[int]
        DEPENDENCIES_FIELD_NUMBER: _ClassVar[int]
        VERSIONS_FIELD_NUMBER: _ClassVar[int]
        name: str
        icon: str
        description: str
        deprecated: bool
        tags: str
        keywords: _containers.RepeatedScalarFieldContainer[str]
        license: str
        verified: bool
        home: str
        sources: _containers.RepeatedScalarFieldContainer[str]
        maintainers: _containers.RepeatedCompositeFieldContainer[Application.Chart.Maintainer]
        dependencies: _containers.RepeatedCompositeFieldContainer[Application.Chart.Dependency]
        versions: _containers.RepeatedCompositeFieldContainer[Application.Chart.Version]
        def __init__(self, name: _Optional[str] = ..., icon: _Optional[str] = ..., description: _Optional[str] = ..., deprecated: _Optional[bool] = ..., tags: _Optional[str] = ..., keywords: _Optional[_Iterable[str]] = ..., license: _Optional[str] = ..., verified: _Optional[bool] = ..., home: _Optional[str] = ..., sources: _Optional[_Iterable[str]] = ..., maintainers: _Optional[_Iterable[_Union[Application.Chart.Maintainer, _Mapping]]] = ..., dependencies: _Optional[_Iterable[_Union[Application.Chart.Dependency, _Mapping]]] = ..., versions: _Optional[_Iterable[_Union[Application.Chart.Version, _Mapping]]] = ...) -> None: ...
    class Condition(_message.Message):
        __slots__ = ("type", "status", "reason", "message", "probed_at", "transitioned_at")
        TYPE_FIELD_NUMBER: _ClassVar[int]
        STATUS_FIELD_NUMBER: _ClassVar[int]
        REASON_FIELD_NUMBER: _ClassVar[int]
        MESSAGE_FIELD_NUMBER: _ClassVar[int]
        PROBED_AT_FIELD_NUMBER: _ClassVar[int]
        TRANSITIONED_AT_FIELD_NUMBER: _ClassVar[int]
        type: str
        status: str
        reason: str
        message: str
        probed_at: _timestamp_pb2.Timestamp
        transitioned_at: _timestamp_pb2.Timestamp
        def __init__(self, type: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ..., probed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., transitioned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    class Container(_message.Message):
        __slots__ = ("image_name", "image_pull_policy")
        IMAGE_NAME_FIELD_NUMBER: _ClassVar[int]
        IMAGE_PULL_POLICY_FIELD_NUMBER: _ClassVar[int]
        image_name: str
        image_pull_policy: str
        def __init__(self, image_name: _Optional[str] = ..., image_pull_policy: _Optional[str] = ...) -> None: ...
    class Service(_message.Message):
        __slots__ = ("name", "type", "cluster_ip", "ports", "created_at")
        class Port(_message.Message):
            __slots__ = ("port", "node_port", "name", "protocol", "target_port")
            PORT_FIELD_NUMBER: _ClassVar[int]
            NODE_PORT_FIELD_NUMBER: _ClassVar[int]
            NAME_FIELD_NUMBER: _ClassVar[int]
            PROTOCOL_FIELD_NUMBER: _ClassVar[int]
            TARGET_PORT_FIELD_NUMBER: _ClassVar[int]
            port: int
            node_port: int
            name: str
            protocol: str
            target_port: str
            def __init__(self, port: _Optional[int] = ..., node_port: _Optional[int] = ..., name: _Optional[str] = ..., protocol: _Optional[str] = ..., target_port: _Optional[str] = ...) -> None: ...
        NAME_FIELD_NUMBER: _ClassVar[int]
        TYPE_FIELD_NUMBER: _ClassVar[int]
        CLUSTER_IP_FIELD_NUMBER: _ClassVar[int]
        PORTS_FIELD_NUMBER: _ClassVar[int]
        CREATED_AT_FIELD_NUMBER: _ClassVar[int]
        name: str
        type: str
        cluster_ip: str
        ports: _containers.RepeatedCompositeFieldContainer[Application.Service.Port]
        created_at: _timestamp_pb2.Timestamp
        def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., cluster_ip: _Optional[str] = ..., ports: _Optional[_Iterable[_Union[Application.Service.Port, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    class Pod(_message.Message):
        __slots__ = ("name", "phase", "ready", "restarts", "last_condition", "created_at")
        NAME_FIELD_NUMBER: _ClassVar[int]
        PHASE_FIELD_NUMBER: _ClassVar[int]
        READY_FIELD_NUMBER: _ClassVar[int]
        RESTARTS_FIELD_NUMBER: _ClassVar[int]
        LAST_CONDITION_FIELD_NUMBER: _ClassVar[int]
        CREATED_AT_FIELD_NUMBER: _ClassVar[int]
        name: str
        phase: str
        ready: str
        restarts: str
        last_condition: Application.Condition
        created_at: _timestamp_pb2.Timestamp
        def __init__(self, name: _Optional[str] = ..., phase: _Optional[str] = ..., ready: _Optional[str] = ..., restarts: _Optional[str] = ..., last_condition: _Optional[_Union[Application.Condition, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    class PersistentVolumeClaim(_message.Message):
        __slots__ = ("name", "status", "access_modes", "capacity", "storage_class", "created_at")
        NAME_FIELD_NUMBER: _ClassVar[int]
        STATUS_FIELD_NUMBER: _ClassVar[int]
        ACCESS_MODES_FIELD_NUMBER: _ClassVar[int]
        CAPACITY_FIELD_NUMBER: _ClassVar[int]
        STORAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
        CREATED_AT_FIELD_NUMBER: _ClassVar[int]
        name: str
        status: str
        access_modes: _containers.RepeatedScalarFieldContainer[str]
        capacity: str
        storage_class: StorageClass
        created_at: _timestamp_pb2.Timestamp
        def __init__(self, name: _Optional[str] = ..., status: _Optional[str] = ..., access_modes: _Optional[_Iterable[str]] = ..., capacity: _Optional[str] = ..., storage_class: _Optional[_Union[StorageClass, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    HEALTHIES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CONTAINERS_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    PODS_FIELD_NUMBER: _ClassVar[int]
    PERSISTENT_VOLUME_CLAIMS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    type: str
    name: str
    namespace: str
    labels: _containers.ScalarMap[str, str]
    replicas: int
    healthies: int
    metadata: Application.Chart.Metadata
    containers: _containers.RepeatedCompositeFieldContainer[Application.Container]
    services: _containers.RepeatedCompositeFieldContainer[Application.Service]
    pods: _containers.RepeatedCompositeFieldContainer[Application.Pod]
    persistent_volume_claims: _containers.RepeatedCompositeFieldContainer[Application.PersistentVolumeClaim]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, type: _Optional[str] = ..., name: _Optional[str] = ..., namespace: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., replicas: _Optional[int] = ..., healthies: _Optional[int] = ..., metadata: _Optional[_Union[Application.Chart.Metadata, _Mapping]] = ..., containers: _Optional[_Iterable[_Union[Application.Container, _Mapping]]] = ..., services: _Optional[_Iterable[_Union[Application.Service, _Mapping]]] = ..., pods: _Optional[_Iterable[_Union[Application.Pod, _Mapping]]] = ..., persistent_volume_claims: _Optional[_Iterable[_Union[Application.PersistentVolumeClaim, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Namespace(_message.Message):
    __slots__ = ("name", "labels", "created_at")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    labels: _containers.ScalarMap[str, str]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StorageClass(_message.Message):
    __slots__ = ("name", "provisioner", "reclaim_policy", "volume_binding_mode", "parameters", "created_at")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROVISIONER_FIELD_NUMBER: _ClassVar[int]
    RECLAIM_POLICY_FIELD_NUMBER: _ClassVar[int]
    VOLUME_BINDING_MODE_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    provisioner: str
    reclaim_policy: str
    volume_binding_mode: str
    parameters: _containers.ScalarMap[str, str]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., provisioner: _Optional[str] = ..., reclaim_policy: _Optional[str] = ..., volume_binding_mode: _Optional[str] = ..., parameters: _Optional[_Mapping[str, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConfigMap(_message.Message):
    __slots__ = ("name", "namespace", "labels", "data", "binary_data", "immutable", "created_at")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class DataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class BinaryDataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    BINARY_DATA_FIELD_NUMBER: _ClassVar[int]
    IMMUTABLE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    labels: _containers.ScalarMap[str, str]
    data: _containers.ScalarMap[str, str]
    binary_data: _containers.ScalarMap[str, bytes]
    immutable: bool
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., data: _Optional[_Mapping[str, str]] = ..., binary_data: _Optional[_Mapping[str, bytes]] = ..., immutable: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Secret(_message.Message):
    __slots__ = ("name", "namespace", "labels", "data", "type", "string_data", "immutable", "created_at")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class DataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    class StringDataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STRING_DATA_FIELD_NUMBER: _ClassVar[int]
    IMMUTABLE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    namespace: str
    labels: _containers.ScalarMap[str, str]
    data: _containers.ScalarMap[str, bytes]
    type: str
    string_data: _containers.ScalarMap[str, str]
    immutable: bool
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., namespace: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., data: _Optional[_Mapping[str, bytes]] = ..., type: _Optional[str] = ..., string_data: _Optional[_Mapping[str, str]] = ..., immutable: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListApplicationsRequest(_message.Message):
    __slots__ = ("scope",)
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    def __init__(self, scope: _Optional[str] = ...) -> None: ...

class ListApplicationsResponse(_message.Message):
    __slots__ = ("applications", "hostname")
    APPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    HOSTNAME_FIELD_NUMBER: _ClassVar[int]
    applications: _containers.RepeatedCompositeFieldContainer[Application]
    hostname: str
    def __init__(self, applications: _Optional[_Iterable[_Union[Application, _Mapping]]] = ..., hostname: _Optional[str] = ...) -> None: ...

class GetApplicationRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class RestartApplicationRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "type")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    type: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ...) -> None: ...

class ScaleApplicationRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "type", "replicas")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    type: str
    replicas: int
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[str] = ..., replicas: _Optional[int] = ...) -> None: ...

class DeleteApplicationPodRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class WatchLogsRequest(_message.Message):
    __slots__ = ("scope", "namespace", "pod_name", "container_name", "duration")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    POD_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_NAME_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    pod_name: str
    container_name: str
    duration: _duration_pb2.Duration
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., pod_name: _Optional[str] = ..., container_name: _Optional[str] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WatchLogsResponse(_message.Message):
    __slots__ = ("log",)
    LOG_FIELD_NUMBER: _ClassVar[int]
    log: str
    def __init__(self, log: _Optional[str] = ...) -> None: ...

class ExecuteTTYRequest(_message.Message):
    __slots__ = ("scope", "namespace", "pod_name", "container_name", "command")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    POD_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_NAME_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    pod_name: str
    container_name: str
    command: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., pod_name: _Optional[str] = ..., container_name: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ...) -> None: ...

class ExecuteTTYResponse(_message.Message):
    __slots__ = ("session_id", "stdout")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    stdout: bytes
    def __init__(self, session_id: _Optional[str] = ..., stdout: _Optional[bytes] = ...) -> None: ...

class WriteTTYRequest(_message.Message):
    __slots__ = ("session_id", "stdin")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    stdin: bytes
    def __init__(self, session_id: _Optional[str] = ..., stdin: _Optional[bytes] = ...) -> None: ...

class ListReleasesRequest(_message.Message):
    __slots__ = ("scope",)
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    def __init__(self, scope: _Optional[str] = ...) -> None: ...

class ListReleasesResponse(_message.Message):
    __slots__ = ("releases",)
    RELEASES_FIELD_NUMBER: _ClassVar[int]
    releases: _containers.RepeatedCompositeFieldContainer[Application.Release]
    def __init__(self, releases: _Optional[_Iterable[_Union[Application.Release, _Mapping]]] = ...) -> None: ...

class CreateReleaseRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "dry_run", "chart_ref", "values_yaml", "values_map")
    class ValuesMapEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    CHART_REF_FIELD_NUMBER: _ClassVar[int]
    VALUES_YAML_FIELD_NUMBER: _ClassVar[int]
    VALUES_MAP_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    dry_run: bool
    chart_ref: str
    values_yaml: str
    values_map: _containers.ScalarMap[str, str]
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., dry_run: _Optional[bool] = ..., chart_ref: _Optional[str] = ..., values_yaml: _Optional[str] = ..., values_map: _Optional[_Mapping[str, str]] = ...) -> None: ...

class UpdateReleaseRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "dry_run", "chart_ref", "values_yaml")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    CHART_REF_FIELD_NUMBER: _ClassVar[int]
    VALUES_YAML_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    dry_run: bool
    chart_ref: str
    values_yaml: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., dry_run: _Optional[bool] = ..., chart_ref: _Optional[str] = ..., values_yaml: _Optional[str] = ...) -> None: ...

class DeleteReleaseRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "dry_run")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    dry_run: bool
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class RollbackReleaseRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "dry_run")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    dry_run: bool
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class ListChartsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListChartsResponse(_message.Message):
    __slots__ = ("charts",)
    CHARTS_FIELD_NUMBER: _ClassVar[int]
    charts: _containers.RepeatedCompositeFieldContainer[Application.Chart]
    def __init__(self, charts: _Optional[_Iterable[_Union[Application.Chart, _Mapping]]] = ...) -> None: ...

class GetChartRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetChartMetadataRequest(_message.Message):
    __slots__ = ("chart_ref",)
    CHART_REF_FIELD_NUMBER: _ClassVar[int]
    chart_ref: str
    def __init__(self, chart_ref: _Optional[str] = ...) -> None: ...

class UploadChartRequest(_message.Message):
    __slots__ = ("chart_content",)
    CHART_CONTENT_FIELD_NUMBER: _ClassVar[int]
    chart_content: bytes
    def __init__(self, chart_content: _Optional[bytes] = ...) -> None: ...

class ListConfigMapsRequest(_message.Message):
    __slots__ = ("scope", "namespace")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ...) -> None: ...

class ListConfigMapsResponse(_message.Message):
    __slots__ = ("config_maps",)
    CONFIG_MAPS_FIELD_NUMBER: _ClassVar[int]
    config_maps: _containers.RepeatedCompositeFieldContainer[ConfigMap]
    def __init__(self, config_maps: _Optional[_Iterable[_Union[ConfigMap, _Mapping]]] = ...) -> None: ...

class ListSecretsRequest(_message.Message):
    __slots__ = ("scope", "namespace")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ...) -> None: ...

class ListSecretsResponse(_message.Message):
    __slots__ = ("secrets",)
    SECRETS_FIELD_NUMBER: _ClassVar[int]
    secrets: _containers.RepeatedCompositeFieldContainer[Secret]
    def __init__(self, secrets: _Optional[_Iterable[_Union[Secret, _Mapping]]] = ...) -> None: ...

class ListNamespacesRequest(_message.Message):
    __slots__ = ("scope",)
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    def __init__(self, scope: _Optional[str] = ...) -> None: ...

class ListNamespacesResponse(_message.Message):
    __slots__ = ("namespaces",)
    NAMESPACES_FIELD_NUMBER: _ClassVar[int]
    namespaces: _containers.RepeatedCompositeFieldContainer[Namespace]
    def __init__(self, namespaces: _Optional[_Iterable[_Union[Namespace, _Mapping]]] = ...) -> None: ...

class ListStorageClassesRequest(_message.Message):
    __slots__ = ("scope",)
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    def __init__(self, scope: _Optional[str] = ...) -> None: ...

class ListStorageClassesResponse(_message.Message):
    __slots__ = ("storage_classes",)
    STORAGE_CLASSES_FIELD_NUMBER: _ClassVar[int]
    storage_classes: _containers.RepeatedCompositeFieldContainer[StorageClass]
    def __init__(self, storage_classes: _Optional[_Iterable[_Union[StorageClass, _Mapping]]] = ...) -> None: ...

class GetReleaseRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "revision", "computed_values")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_VALUES_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    revision: int
    computed_values: bool
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., revision: _Optional[int] = ..., computed_values: _Optional[bool] = ...) -> None: ...

class GetReleaseResponse(_message.Message):
    __slots__ = ("release", "values_yaml", "computed_values_yaml", "hooks", "first_deployed_at")
    class Hook(_message.Message):
        __slots__ = ("name", "kind", "path", "events", "weight", "delete_policies", "last_run_phase", "last_run_started_at", "last_run_completed_at")
        NAME_FIELD_NUMBER: _ClassVar[int]
        KIND_FIELD_NUMBER: _ClassVar[int]
        PATH_FIELD_NUMBER: _ClassVar[int]
        EVENTS_FIELD_NUMBER: _ClassVar[int]
        WEIGHT_FIELD_NUMBER: _ClassVar[int]
        DELETE_POLICIES_FIELD_NUMBER: _ClassVar[int]
        LAST_RUN_PHASE_FIELD_NUMBER: _ClassVar[int]
        LAST_RUN_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
        LAST_RUN_COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
        name: str
        kind: str
        path: str
        events: _containers.RepeatedScalarFieldContainer[str]
        weight: int
        delete_policies: _containers.RepeatedScalarFieldContainer[str]
        last_run_phase: str
        last_run_started_at: _timestamp_pb2.Timestamp
        last_run_completed_at: _timestamp_pb2.Timestamp
        def __init__(self, name: _Optional[str] = ..., kind: _Optional[str] = ..., path: _Optional[str] = ..., events: _Optional[_Iterable[str]] = ..., weight: _Optional[int] = ..., delete_policies: _Optional[_Iterable[str]] = ..., last_run_phase: _Optional[str] = ..., last_run_started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_run_completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    RELEASE_FIELD_NUMBER: _ClassVar[int]
    VALUES_YAML_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_VALUES_YAML_FIELD_NUMBER: _ClassVar[int]
    HOOKS_FIELD_NUMBER: _ClassVar[int]
    FIRST_DEPLOYED_AT_FIELD_NUMBER: _ClassVar[int]
    release: Application.Release
    values_yaml: str
    computed_values_yaml: str
    hooks: _containers.RepeatedCompositeFieldContainer[GetReleaseResponse.Hook]
    first_deployed_at: _timestamp_pb2.Timestamp
    def __init__(self, release: _Optional[_Union[Application.Release, _Mapping]] = ..., values_yaml: _Optional[str] = ..., computed_values_yaml: _Optional[str] = ..., hooks: _Optional[_Iterable[_Union[GetReleaseResponse.Hook, _Mapping]]] = ..., first_deployed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListReleaseHistoryRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "max")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    max: int
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., max: _Optional[int] = ...) -> None: ...

class ListReleaseHistoryResponse(_message.Message):
    __slots__ = ("releases",)
    RELEASES_FIELD_NUMBER: _ClassVar[int]
    releases: _containers.RepeatedCompositeFieldContainer[Application.Release]
    def __init__(self, releases: _Optional[_Iterable[_Union[Application.Release, _Mapping]]] = ...) -> None: ...

class DiffReleaseRequest(_message.Message):
    __slots__ = ("scope", "namespace", "name", "chart_ref", "values_yaml")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHART_REF_FIELD_NUMBER: _ClassVar[int]
    VALUES_YAML_FIELD_NUMBER: _ClassVar[int]
    scope: str
    namespace: str
    name: str
    chart_ref: str
    values_yaml: str
    def __init__(self, scope: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., chart_ref: _Optional[str] = ..., values_yaml: _Optional[str] = ...) -> None: ...

class DiffReleaseResponse(_message.Message):
    __slots__ = ("current_revision", "revision", "objects")
    class ObjectChange(_message.Message):
        __slots__ = ("api_version", "kind", "namespace", "name", "action", "diff", "kept")
        class Action(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
            __slots__ = ()
            ACTION_UNSPECIFIED: _ClassVar[DiffReleaseResponse.ObjectChange.Action]
            ACTION_ADDED: _ClassVar[DiffReleaseResponse.ObjectChange.Action]
            ACTION_REMOVED: _ClassVar[DiffReleaseResponse.ObjectChange.Action]
            ACTION_CHANGED: _ClassVar[DiffReleaseResponse.ObjectChange.Action]
            ACTION_UNCHANGED: _ClassVar[DiffReleaseResponse.ObjectChange.Action]
        ACTION_UNSPECIFIED: DiffReleaseResponse.ObjectChange.Action
        ACTION_ADDED: DiffReleaseResponse.ObjectChange.Action
        ACTION_REMOVED: DiffReleaseResponse.ObjectChange.Action
        ACTION_CHANGED: DiffReleaseResponse.ObjectChange.Action
        ACTION_UNCHANGED: DiffReleaseResponse.ObjectChange.Action
        API_VERSION_FIELD_NUMBER: _ClassVar[int]
        KIND_FIELD_NUMBER: _ClassVar[int]
        NAMESPACE_FIELD_NUMBER: _ClassVar[int]
        NAME_FIELD_NUMBER: _ClassVar[int]
        ACTION_FIELD_NUMBER: _ClassVar[int]
        DIFF_FIELD_NUMBER: _ClassVar[int]
        KEPT_FIELD_NUMBER: _ClassVar[int]
        api_version: str
        kind: str
        namespace: str
        name: str
        action: DiffReleaseResponse.ObjectChange.Action
        diff: str
        kept: bool
        def __init__(self, api_version: _Optional[str] = ..., kind: _Optional[str] = ..., namespace: _Optional[str] = ..., name: _Optional[str] = ..., action: _Optional[_Union[DiffReleaseResponse.ObjectChange.Action, str]] = ..., diff: _Optional[str] = ..., kept: _Optional[bool] = ...) -> None: ...
    CURRENT_REVISION_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    current_revision: int
    revision: int
    objects: _containers.RepeatedCompositeFieldContainer[DiffReleaseResponse.ObjectChange]
    def __init__(self, current_revision: _Optional[int] = ..., revision: _Optional[int] = ..., objects: _Optional[_Iterable[_Union[DiffReleaseResponse.ObjectChange, _Mapping]]] = ...) -> None: ...
