"""Where the Go-built tools live: scripts/tools.d/go-tools builds each pinned version once into
`<tools dir>/<tool>-<version>/bin/<tool>`; this module finds them again.

The versions here must match the wrapper modules in tools/ (tests/devcluster checks that)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from otterhelm.errors import FailedPrecondition

KUBERNETES_VERSION = "v1.36.3"
ETCD_VERSION = "v3.6.16"
HELM_VERSION = "v4.3.1"

TOOLS_DIR_VARIABLE = "OTTERHELM_TOOLS_DIR"


class ToolMissing(FailedPrecondition):
    """A Go-built tool has not been built on this machine yet."""


@dataclass(frozen=True)
class Tool:
    name: str
    version: str


KUBE_APISERVER = Tool("kube-apiserver", KUBERNETES_VERSION)
ETCD = Tool("etcd", ETCD_VERSION)
HELM = Tool("helm", HELM_VERSION)


def default_tools_dir(environ: Mapping[str, str], home: Path) -> Path:
    configured = environ.get(TOOLS_DIR_VARIABLE)
    return Path(configured) if configured else home / ".cache" / "otterhelm" / "tools"


@dataclass(frozen=True)
class Toolchain:
    tools_dir: Path

    def path(self, tool: Tool) -> Path:
        return self.tools_dir / f"{tool.name}-{tool.version}" / "bin" / tool.name

    def binary(self, tool: Tool) -> Path:
        """The tool's executable; raises ToolMissing when it has not been built yet."""
        path = self.path(tool)
        if not path.is_file():
            raise ToolMissing(
                f"{tool.name} {tool.version} is not built at {path}: run scripts/tools "
                f"(or set {TOOLS_DIR_VARIABLE} to where it was built)"
            )
        return path
