"""A real local Kubernetes control plane (etcd and kube-apiserver built from their published Go
modules) for development, tests and CI."""

from otterhelm.devcluster.cluster import (
    ADMIN_USER,
    DEFAULT_TOKEN_USERS,
    DevCluster,
    DevClusterError,
    load,
    start,
    stop,
)
from otterhelm.devcluster.toolchain import (
    ETCD,
    HELM,
    KUBE_APISERVER,
    KUBERNETES_VERSION,
    Tool,
    Toolchain,
    ToolMissing,
    default_tools_dir,
)

__all__ = [
    "ADMIN_USER",
    "DEFAULT_TOKEN_USERS",
    "ETCD",
    "HELM",
    "KUBERNETES_VERSION",
    "KUBE_APISERVER",
    "DevCluster",
    "DevClusterError",
    "Tool",
    "ToolMissing",
    "Toolchain",
    "default_tools_dir",
    "load",
    "start",
    "stop",
]
