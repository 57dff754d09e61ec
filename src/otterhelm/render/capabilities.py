"""`.Capabilities` in templates, as Helm v4.3.1 sets it for `helm template` (client-only mode).

Helm v4 derives the default Kubernetes version from the client-go it was built with
(v4.3.1: client-go v0.37, so `v1.37.0`); `--kube-version` replaces it and `--api-versions`
appends to the default API version set (pkg/chart/common/capabilities.go).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from otterhelm.errors import InvalidArgument
from otterhelm.template.gotypes import STRING, Func, GoObject
from otterhelm.template.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

HELM_VERSION = "v4.3.1"
HELM_GIT_COMMIT = "c0d08d0d6d9424d4a14febb5e8a3e51b0dd00dff"
HELM_GIT_TREE_STATE = "clean"
HELM_GO_VERSION = "go1.27.2"
KUBE_CLIENT_VERSION = "v1.37"
DEFAULT_KUBE_VERSION = "v1.37.0"

# Every GroupVersion of client-go's scheme plus apiextensions v1/v1beta1, in the scheme's
# priority order (only `Has` is observable in practice).
DEFAULT_API_VERSIONS: tuple[str, ...] = (
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1alpha1",
    "certificates.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1alpha1",
    "rbac.authorization.k8s.io/v1beta1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1alpha3",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1beta2",
    "scheduling.k8s.io/v1",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storage.k8s.io/v1beta1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
    "apiextensions.k8s.io/v1beta1",
)

_DIGITS = frozenset("0123456789")


class KubeVersionError(InvalidArgument):
    """A `--kube-version` that Kubernetes' generic version parser rejects."""


class KubeVersion(GoObject, FrozenRecord):
    """common.KubeVersion: `Version` keeps the given text, String() is the normalized form."""

    __slots__ = ("major", "minor", "normalized", "version")

    def __init__(self, version: str, normalized: str, major: str, minor: str) -> None:
        self.version = version
        self.normalized = normalized
        self.major = major
        self.minor = minor

    go_type: ClassVar[str] = "common.KubeVersion"
    go_fields: ClassVar[Mapping[str, str]] = {"Version": "version", "Major": "major", "Minor": "minor"}
    go_methods: ClassVar[Mapping[str, Func]] = {
        "String": Func(lambda self: self.normalized, ()),
        "GitVersion": Func(lambda self: self.version, ()),
    }

    def go_string(self) -> str:
        return self.normalized


def generic_version_number(text: str) -> str | None:
    """The dotted number that k8s.io/apimachinery's ParseGeneric reads at the start of `text`
    (`^\\s*v?([0-9]+(?:\\.[0-9]+)*)(.*)$`, in Python's reading of `\\s`), or None where that
    pattern does not match. Scanned by hand: compiling the pattern costs every run more."""
    start = len(text) - len(text.lstrip())
    if text.startswith("v", start):
        start += 1
    end = _end_of_digits(text, start)
    if end == start:
        return None
    while text.startswith(".", end):
        after = _end_of_digits(text, end + 1)
        if after == end + 1:
            break
        end = after
    return text[start:end]


def _end_of_digits(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    return end


def parse_kube_version(text: str) -> KubeVersion:
    """Helm's ParseKubeVersion: `1.30.2-gke.1` -> Version v1.30.2-gke.1, String() v1.30.2."""
    numeric = generic_version_number(text)
    if numeric is None:
        raise KubeVersionError(f'could not parse "{text}" as version')
    components = numeric.split(".")
    if len(components) < 2:
        raise KubeVersionError(f'illegal version string "{text}"')
    if components[0].startswith("0") and components[0] != "0":
        raise KubeVersionError(f'illegal zero-prefixed version component "{components[0]}" in "{text}"')
    numbers = []
    for component in components:
        number = int(component)
        if number >= 2**64:
            raise KubeVersionError(
                f'illegal non-numeric version component "{component}" in "{text}": '
                f'strconv.ParseUint: parsing "{component}": value out of range'
            )
        numbers.append(number)
    git_version = text if text.startswith("v") else "v" + text
    return KubeVersion(
        version=git_version,
        normalized="v" + ".".join(str(n) for n in numbers),
        major=str(numbers[0]),
        minor=str(numbers[1]),
    )


class VersionSet(list[str], GoObject):
    """common.VersionSet: a []string with `Has`."""

    go_type: ClassVar[str] = "common.VersionSet"
    go_methods: ClassVar[Mapping[str, Func]] = {"Has": Func(lambda self, v: v in self, (STRING,))}


class HelmVersion(GoObject, FrozenRecord):
    """version.BuildInfo of the Helm release otterhelm reproduces."""

    __slots__ = ("git_commit", "git_tree_state", "go_version", "kube_client_version", "version")

    def __init__(
        self,
        version: str = HELM_VERSION,
        git_commit: str = HELM_GIT_COMMIT,
        git_tree_state: str = HELM_GIT_TREE_STATE,
        go_version: str = HELM_GO_VERSION,
        kube_client_version: str = KUBE_CLIENT_VERSION,
    ) -> None:
        self.version = version
        self.git_commit = git_commit
        self.git_tree_state = git_tree_state
        self.go_version = go_version
        self.kube_client_version = kube_client_version

    go_type: ClassVar[str] = "version.BuildInfo"
    go_fields: ClassVar[Mapping[str, str]] = {
        "Version": "version",
        "GitCommit": "git_commit",
        "GitTreeState": "git_tree_state",
        "GoVersion": "go_version",
        "KubeClientVersion": "kube_client_version",
    }

    def go_string(self) -> str:
        # fmt prints a struct with no String method as its fields in braces.
        return (
            "{"
            + " ".join(
                (
                    self.version,
                    self.git_commit,
                    self.git_tree_state,
                    self.go_version,
                    self.kube_client_version,
                )
            )
            + "}"
        )


class Capabilities(GoObject, FrozenRecord):
    __slots__ = ("api_versions", "helm_version", "kube_version")

    def __init__(
        self, kube_version: KubeVersion, api_versions: VersionSet, helm_version: HelmVersion | None = None
    ) -> None:
        self.kube_version = kube_version
        self.api_versions = api_versions
        self.helm_version = HelmVersion() if helm_version is None else helm_version

    go_type: ClassVar[str] = "*common.Capabilities"
    go_fields: ClassVar[Mapping[str, str]] = {
        "KubeVersion": "kube_version",
        "APIVersions": "api_versions",
        "HelmVersion": "helm_version",
    }


def template_capabilities(
    kube_version: str | None = None, extra_api_versions: Iterable[str] = ()
) -> Capabilities:
    """What `helm template` renders with: defaults, `--kube-version`, `--api-versions`."""
    kube = parse_kube_version(kube_version) if kube_version else parse_kube_version(DEFAULT_KUBE_VERSION)
    return Capabilities(
        kube_version=kube, api_versions=VersionSet([*DEFAULT_API_VERSIONS, *extra_api_versions])
    )
