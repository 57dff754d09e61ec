"""gRPC server reflection, so `buf curl` and grpcurl work without a schema file."""

from __future__ import annotations

from google.protobuf.descriptor import FileDescriptor
from google.protobuf.descriptor_pb2 import FileDescriptorProto
from protobuf import DescFile

# The entry point Buf-protobuf's generated code uses to build descriptors from bytes.
from protobuf._codegen import file_desc


def reflection_files(*files: FileDescriptor) -> list[DescFile]:
    """Google-protobuf file descriptors (what protoc's Python output registers) converted,
    with their imports, to the Buf-protobuf descriptors connectrpc-grpcreflect serves."""
    converted: dict[str, DescFile] = {}

    def convert(file: FileDescriptor) -> DescFile:
        if file.name not in converted:
            dependencies = [convert(dependency) for dependency in file.dependencies]
            proto = FileDescriptorProto()
            file.CopyToProto(proto)
            converted[file.name] = file_desc(proto.SerializeToString(), dependencies, {})
        return converted[file.name]

    return [convert(file) for file in files]
