"""The development control plane: etcd and kube-apiserver on loopback, with RBAC on, a
certificate-authenticated admin, and a few bearer-token users who start with no rights.

Everything lives in one state directory: the PKI (kept across restarts), etcd's data (fresh at
every `up`: the cluster is disposable), the daemons' logs, the kubeconfigs and `state.json`,
which names the processes `down` stops."""

from __future__ import annotations

import json
import secrets
import shutil
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from otterhelm.devcluster import process
from otterhelm.devcluster.kubeconfig import BearerToken, ClientCertificate, write_kubeconfig
from otterhelm.devcluster.pki import ensure_pki
from otterhelm.devcluster.ports import free_loopback_ports
from otterhelm.devcluster.process import Daemon
from otterhelm.devcluster.toolchain import ETCD, KUBE_APISERVER, KUBERNETES_VERSION, Toolchain
from otterhelm.errors import Unavailable

STATE_FILE = "state.json"
ADMIN_USER = "otterhelm-admin"
DEFAULT_TOKEN_USERS = ("alice", "bob")
# Admission plugins that wait for controllers this cluster does not run: ServiceAccount rejects
# pods until a controller creates the `default` account; StorageObjectInUseProtection adds
# finalizers to claims that nothing ever removes.
DISABLED_ADMISSION_PLUGINS = ("ServiceAccount", "StorageObjectInUseProtection")
SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16"
ETCD_READY_TIMEOUT = 30.0
APISERVER_READY_TIMEOUT = 120.0
STARTUP_ATTEMPTS = 3


class DevClusterError(Unavailable):
    """The development control plane could not be started or reached."""


class DaemonExited(DevClusterError):
    """etcd or kube-apiserver ended while the control plane was starting."""


@dataclass(frozen=True)
class DevCluster:
    """A running development control plane. `kubeconfig` authenticates as a cluster admin
    (system:masters); `user_tokens` maps each bearer-token user to its token."""

    state_dir: Path
    kubeconfig: Path
    server: str
    ca_cert: Path
    admin_cert: Path
    admin_key: Path
    kubernetes_version: str
    etcd_endpoint: str
    etcd: Daemon
    apiserver: Daemon
    user_tokens: Mapping[str, str] = field(default_factory=dict)

    def daemons(self) -> tuple[Daemon, Daemon]:
        return (self.apiserver, self.etcd)

    def is_running(self) -> bool:
        return all(process.is_running(daemon) for daemon in self.daemons())

    def ssl_context(self, *, admin: bool = True) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca_cert))
        if admin:
            context.load_cert_chain(str(self.admin_cert), str(self.admin_key))
        return context

    def http_client(self, user: str | None = None, timeout: float = 30.0) -> httpx.Client:
        """An HTTP client for the API server: the admin by default, or the named token user."""
        if user is None:
            return httpx.Client(base_url=self.server, verify=self.ssl_context(), timeout=timeout)
        return httpx.Client(
            base_url=self.server,
            verify=self.ssl_context(admin=False),
            headers={"Authorization": f"Bearer {self.token_for(user)}"},
            timeout=timeout,
        )

    def token_for(self, user: str) -> str:
        try:
            return self.user_tokens[user]
        except KeyError:
            raise KeyError(f"no bearer-token user {user!r}; known: {sorted(self.user_tokens)}") from None

    def kubeconfig_for(self, user: str) -> Path:
        """A kubeconfig that authenticates as the named token user (no rights until RBAC grants some)."""
        return write_kubeconfig(
            self.state_dir / f"kubeconfig-{user}.yaml",
            server=self.server,
            ca_cert=self.ca_cert,
            user=user,
            credentials=BearerToken(self.token_for(user)),
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, Path):
                data[key] = str(value)
        data["user_tokens"] = dict(self.user_tokens)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DevCluster:
        return cls(
            state_dir=Path(data["state_dir"]),
            kubeconfig=Path(data["kubeconfig"]),
            server=data["server"],
            ca_cert=Path(data["ca_cert"]),
            admin_cert=Path(data["admin_cert"]),
            admin_key=Path(data["admin_key"]),
            kubernetes_version=data["kubernetes_version"],
            etcd_endpoint=data["etcd_endpoint"],
            etcd=Daemon(**data["etcd"]),
            apiserver=Daemon(**data["apiserver"]),
            user_tokens=dict(data["user_tokens"]),
        )


def load(state_dir: Path) -> DevCluster | None:
    """The cluster recorded in `state_dir`, running or not; None when there is none."""
    try:
        data = json.loads((state_dir / STATE_FILE).read_text())
    except FileNotFoundError:
        return None
    return DevCluster.from_json(data)


def _save(cluster: DevCluster) -> None:
    path = cluster.state_dir / STATE_FILE
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(cluster.to_json(), indent=2))
    partial.replace(path)


def _ensure_tokens(path: Path, users: Sequence[str]) -> dict[str, str]:
    """Bearer tokens for `users` in kube-apiserver's --token-auth-file format, kept across restarts."""
    tokens: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            token, user, *_ = line.split(",")
            tokens[user] = token
    if set(tokens) != set(users):
        tokens = {user: secrets.token_hex(24) for user in users}
        path.write_text("".join(f"{token},{user},{user}\n" for user, token in tokens.items()))
        path.chmod(0o600)
    return tokens


def _wait_until(
    ready: Callable[[], bool], daemon: Daemon, timeout: float, what: str, interval: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.is_running(daemon):
            how = process.exit_status(daemon) or "exited"
            raise DaemonExited(f"{daemon.name} {how} while {what}:\n{process.log_tail(daemon)}")
        if ready():
            return
        time.sleep(interval)
    raise DevClusterError(
        f"{daemon.name} not ready after {timeout:.0f}s ({what}):\n{process.log_tail(daemon)}"
    )


def _probe(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == 200
    except httpx.TransportError:
        return False


def _etcd_argv(binary: Path, data_dir: Path, client_port: int, peer_port: int) -> list[str]:
    client_url = f"http://127.0.0.1:{client_port}"
    peer_url = f"http://127.0.0.1:{peer_port}"
    return [
        str(binary),
        "--name=devcluster",
        f"--data-dir={data_dir}",
        f"--listen-client-urls={client_url}",
        f"--advertise-client-urls={client_url}",
        f"--listen-peer-urls={peer_url}",
        f"--initial-advertise-peer-urls={peer_url}",
        f"--initial-cluster=devcluster={peer_url}",
        "--initial-cluster-state=new",
        # A disposable test store: durability buys nothing and fsync costs every write.
        "--unsafe-no-fsync",
        "--log-level=warn",
    ]


def _apiserver_argv(
    binary: Path, state_dir: Path, etcd_endpoint: str, port: int, tokens_file: Path
) -> list[str]:
    pki = state_dir / "pki"
    return [
        str(binary),
        f"--etcd-servers={etcd_endpoint}",
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        f"--secure-port={port}",
        f"--cert-dir={state_dir / 'apiserver-certs'}",
        f"--tls-cert-file={pki / 'apiserver.crt'}",
        f"--tls-private-key-file={pki / 'apiserver.key'}",
        f"--client-ca-file={pki / 'ca.crt'}",
        f"--token-auth-file={tokens_file}",
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        f"--service-account-key-file={pki / 'service-account.pub'}",
        f"--service-account-signing-key-file={pki / 'service-account.key'}",
        f"--service-cluster-ip-range={SERVICE_CLUSTER_IP_RANGE}",
        # No kubelet or default route: the `kubernetes` endpoints would point nowhere.
        "--endpoint-reconciler-type=none",
        f"--disable-admission-plugins={','.join(DISABLED_ADMISSION_PLUGINS)}",
        "--allow-privileged=true",
        "--profiling=false",
    ]


@dataclass(frozen=True)
class _Launch:
    """What one start attempt needs, fixed across attempts."""

    state_dir: Path
    etcd_binary: Path
    apiserver_binary: Path
    ca_cert: Path
    admin_cert: Path
    admin_key: Path
    tokens_file: Path
    user_tokens: Mapping[str, str]
    die_with_caller: bool


def _launch(launch: _Launch, log: Callable[[str], None]) -> DevCluster:
    state_dir = launch.state_dir
    data_dir = state_dir / "etcd-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    etcd_client_port, etcd_peer_port, apiserver_port = free_loopback_ports(3)
    etcd_endpoint = f"http://127.0.0.1:{etcd_client_port}"
    log(f"starting etcd on {etcd_endpoint}")
    etcd = process.spawn(
        "etcd",
        _etcd_argv(launch.etcd_binary, data_dir, etcd_client_port, etcd_peer_port),
        state_dir / "etcd.log",
        die_with_parent=launch.die_with_caller,
    )
    # Recorded before waiting, so `down` can stop what was started even if `up` is interrupted.
    placeholder = Daemon(name="kube-apiserver", pid=-1, executable=str(launch.apiserver_binary), log="")
    cluster = DevCluster(
        state_dir=state_dir,
        kubeconfig=state_dir / "kubeconfig.yaml",
        server=f"https://127.0.0.1:{apiserver_port}",
        ca_cert=launch.ca_cert,
        admin_cert=launch.admin_cert,
        admin_key=launch.admin_key,
        kubernetes_version=KUBERNETES_VERSION,
        etcd_endpoint=etcd_endpoint,
        etcd=etcd,
        apiserver=placeholder,
        user_tokens=launch.user_tokens,
    )
    _save(cluster)
    with httpx.Client(base_url=etcd_endpoint, timeout=2.0) as etcd_client:
        _wait_until(lambda: _probe(etcd_client, "/health"), etcd, ETCD_READY_TIMEOUT, "waiting for /health")
    log(f"starting kube-apiserver {KUBERNETES_VERSION} on {cluster.server}")
    apiserver = process.spawn(
        "kube-apiserver",
        _apiserver_argv(
            launch.apiserver_binary, state_dir, etcd_endpoint, apiserver_port, launch.tokens_file
        ),
        state_dir / "kube-apiserver.log",
        die_with_parent=launch.die_with_caller,
    )
    cluster = replace(cluster, apiserver=apiserver)
    _save(cluster)
    with cluster.http_client(timeout=5.0) as client:
        _wait_until(
            lambda: _probe(client, "/readyz"),
            apiserver,
            APISERVER_READY_TIMEOUT,
            "waiting for /readyz",
            interval=0.25,
        )
    return cluster


def start(
    state_dir: Path,
    toolchain: Toolchain,
    *,
    token_users: Sequence[str] = DEFAULT_TOKEN_USERS,
    die_with_caller: bool = False,
    log: Callable[[str], None] = lambda _message: None,
) -> DevCluster:
    """Start etcd and kube-apiserver, wait for `/readyz`, write the admin kubeconfig. A cluster
    already running from `state_dir` is returned as it is. With `die_with_caller` the daemons
    end when the calling process dies, however it dies (test sessions use that)."""
    state_dir = state_dir.resolve()
    existing = load(state_dir)
    if existing is not None:
        if existing.is_running():
            with existing.http_client() as client:
                if _probe(client, "/readyz"):
                    log(f"devcluster already running at {existing.server}")
                    return existing
        stop(state_dir, purge=False)

    etcd_binary = toolchain.binary(ETCD)
    apiserver_binary = toolchain.binary(KUBE_APISERVER)
    state_dir.mkdir(parents=True, exist_ok=True)
    pki = ensure_pki(state_dir / "pki")
    tokens_file = state_dir / "tokens.csv"
    launch = _Launch(
        state_dir=state_dir,
        etcd_binary=etcd_binary,
        apiserver_binary=apiserver_binary,
        ca_cert=pki.ca.cert,
        admin_cert=pki.admin.cert,
        admin_key=pki.admin.key,
        tokens_file=tokens_file,
        user_tokens=_ensure_tokens(tokens_file, token_users),
        die_with_caller=die_with_caller,
    )
    started = time.monotonic()
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        try:
            cluster = _launch(launch, log)
            break
        except DaemonExited as error:
            # The ports were free when chosen but another program may bind one before the
            # daemon does; a fresh set of ports is the cure, so try again a bounded number of times.
            stop(state_dir, purge=False)
            if attempt == STARTUP_ATTEMPTS:
                raise
            log(f"attempt {attempt} failed, retrying with new ports: {error}")
        except BaseException:
            stop(state_dir, purge=False)
            raise
    write_kubeconfig(
        cluster.kubeconfig,
        server=cluster.server,
        ca_cert=cluster.ca_cert,
        user=ADMIN_USER,
        credentials=ClientCertificate(cluster.admin_cert, cluster.admin_key),
    )
    log(f"devcluster ready in {time.monotonic() - started:.1f}s; kubeconfig: {cluster.kubeconfig}")
    return cluster


def stop(state_dir: Path, *, purge: bool = False) -> bool:
    """Stop exactly the daemons recorded in `state_dir` (API server first). With `purge`, the
    state directory goes too. Returns whether a cluster was recorded there."""
    state_dir = state_dir.resolve()
    cluster = load(state_dir)
    if cluster is not None:
        for daemon in cluster.daemons():
            if daemon.pid > 0:
                process.stop(daemon)
        (state_dir / STATE_FILE).unlink(missing_ok=True)
        shutil.rmtree(state_dir / "etcd-data", ignore_errors=True)
    if purge:
        shutil.rmtree(state_dir, ignore_errors=True)
    return cluster is not None
