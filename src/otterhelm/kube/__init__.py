"""An asynchronous Kubernetes API client: kubeconfig loading, impersonation, typed errors.

Small on purpose: it speaks the REST API directly with httpx so that the release manager
can add get/create/apply/delete of arbitrary objects on the same `KubeClient.request`.
"""

from otterhelm.kube.client import KubeClient
from otterhelm.kube.credentials import ClusterCredentials, in_cluster_credentials, load_kubeconfig
from otterhelm.kube.errors import KubeApiError, error_from_response
from otterhelm.kube.identity import Identity
from otterhelm.kube.resources import CONFIG_MAPS, NAMESPACES, SECRETS, STORAGE_CLASSES, Resource

__all__ = [
    "CONFIG_MAPS",
    "NAMESPACES",
    "SECRETS",
    "STORAGE_CLASSES",
    "ClusterCredentials",
    "Identity",
    "KubeApiError",
    "KubeClient",
    "Resource",
    "error_from_response",
    "in_cluster_credentials",
    "load_kubeconfig",
]
