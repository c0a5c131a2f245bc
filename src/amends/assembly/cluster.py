"""Amends on more than one machine, started for real on this one: web nodes (`amends serve`) behind HAProxy,
PgBouncer in transaction mode, a PostgreSQL primary with a streaming replica built from it, and an
S3-compatible store for the files every node must see (moto's server mode, from the dev dependencies).

The multi-node tests and `amends bench` use these; each piece is a context manager that starts the real
program from Debian's packages (`scripts/cluster-tools.sh` installs them), waits until it answers, and stops it
(and everything it started) on the way out. Nothing here is imported by the product.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class ClusterError(RuntimeError):
    pass


def missing_tools() -> list[str]:
    """The programs a cluster needs that this machine lacks (empty when all are there)."""
    needed = {"haproxy": "haproxy", "pgbouncer": "pgbouncer", "initdb": str(PG_BIN / "initdb")}
    return [name for name, path in needed.items() if shutil.which(path) is None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise ClusterError(f"{what} did not come up within {timeout:.0f} s")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes], *, hard: bool = False) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class Node:
    """One web node: `amends serve` on its own port, named in its answers' `X-Served-By`."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """As a machine that dies: no warning, no clean shutdown."""
        _stop(self.process, hard=True)


def node_env(base: Mapping[str, str], database_url: str, **extra: str) -> dict[str, str]:
    """What every node needs to share: the database, and Redis when given (`extra` REDIS_URL)."""
    return {
        **base,
        "AMENDS_MODE": base.get("AMENDS_MODE", "dev"),
        "DATABASE_URL": database_url,
        "SECRET_KEY": base.get("SECRET_KEY", secrets.token_urlsafe(48)),
        **extra,
    }


@contextlib.contextmanager
def web_node(name: str, env: Mapping[str, str], *, workers: int = 2, threads: int = 4) -> Iterator[Node]:
    port = free_port()
    command = [sys.executable, "-m", "amends.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(
        command, env={**env, "AMENDS_NODE_NAME": name}, start_new_session=True, stdout=subprocess.DEVNULL
    )
    node = Node(name, port, process)
    try:
        wait_until(lambda: answers(f"{node.url}/healthz"), f"web node {name}")
        yield node
    finally:
        _stop(process)


@dataclass
class Balancer:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


HAPROXY = """global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
frontend amends
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
{servers}
"""


@contextlib.contextmanager
def balancer(nodes: list[Node], folder: Path) -> Iterator[Balancer]:
    """HAProxy in front of `nodes`, round robin, each checked on /healthz every half second."""
    port = free_port()
    servers = "\n".join(f"    server {n.name} 127.0.0.1:{n.port} check" for n in nodes)
    config = folder / "haproxy.cfg"
    config.write_text(HAPROXY.format(port=port, servers=servers))
    process = subprocess.Popen(
        ["haproxy", "-db", "-f", str(config)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    lb = Balancer(port, process)
    try:
        wait_until(lambda: answers(f"{lb.url}/healthz"), "HAProxy")
        yield lb
    finally:
        _stop(process)


@dataclass
class S3Store:
    """A local S3-compatible server with one empty bucket, and the settings a node needs to use it."""

    port: int
    bucket: str

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "AMENDS_STORAGE": "s3",
            "AMENDS_S3_BUCKET": self.bucket,
            "AMENDS_S3_ENDPOINT_URL": self.endpoint,
            "AMENDS_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "amends-test",
            "AWS_SECRET_ACCESS_KEY": "amends-test-secret",
        }

    def storage(self) -> dict[str, object]:
        """The `STORAGES["default"]` entry that settings build from `env()`, for a test's own process."""
        env = self.env()
        options = {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            "region_name": env["AMENDS_S3_REGION"],
            "access_key": env["AWS_ACCESS_KEY_ID"],
            "secret_key": env["AWS_SECRET_ACCESS_KEY"],
            "default_acl": None,
            "file_overwrite": False,
        }
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


@contextlib.contextmanager
def s3_store(bucket: str = "amends-files") -> Iterator[S3Store]:
    """moto's S3 server on a free port, holding nothing but memory: gone when the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = S3Store(port, bucket)
    try:
        wait_until(lambda: answers(f"{store.endpoint}/moto-api/"), "the S3-compatible store")
        request = urllib.request.Request(f"{store.endpoint}/{bucket}", method="PUT")  # create the bucket
        with urllib.request.urlopen(request, timeout=10):
            pass
        yield store
    finally:
        _stop(process)


def _as_postgres(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """PostgreSQL's own programs refuse to run as root: run them as the `postgres` user when we are root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]


@dataclass
class PgBouncer:
    port: int
    process: subprocess.Popen[bytes]


PGBOUNCER = """[databases]
* = host=127.0.0.1 port={server_port}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
unix_socket_dir =
"""


@contextlib.contextmanager
def pgbouncer(server_port: int = 5432) -> Iterator[PgBouncer]:
    """PgBouncer in transaction mode in front of the PostgreSQL server on `server_port`."""
    folder = Path(tempfile.mkdtemp(prefix="amends-pgbouncer-"))
    port = free_port()
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(PGBOUNCER.format(server_port=server_port, port=port, folder=folder))
    if os.geteuid() == 0:  # pgbouncer refuses to run as root: it runs as postgres and writes its log here
        for path in (folder, *folder.iterdir()):
            shutil.chown(path, "postgres")
    command = ["pgbouncer", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: _accepts(port), "PgBouncer")
        yield PgBouncer(port, process)
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Replicated:
    """A primary and a streaming replica of it, each its own PostgreSQL cluster on its own port."""

    primary_port: int
    replica_port: int
    folder: Path
    processes: list[str] = field(default_factory=list)

    def url(self, port: int, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"


@contextlib.contextmanager
def primary_and_replica() -> Iterator[Replicated]:
    """Build a primary (replication allowed from this machine) and a replica of it by pg_basebackup -R."""
    folder = Path(tempfile.mkdtemp(prefix="amends-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    primary, replica = folder / "primary", folder / "replica"
    pair = Replicated(free_port(), free_port(), folder)
    started: list[Path] = []
    try:
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "-E", "UTF8"])
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {pair.primary_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        _pg_ctl(primary, "start")
        started.append(primary)
        source = ["-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres"]
        _as_postgres([str(PG_BIN / "pg_basebackup"), *source, "-D", str(replica), "-R", "-X", "stream"])
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"port = {pair.replica_port}\n")
        _pg_ctl(replica, "start")
        started.append(replica)
        yield pair
    finally:
        for data in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                _pg_ctl(data, "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _pg_ctl(data: Path, action: str) -> None:
    args = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data / "log.txt"), "-w", "-m", "fast", action]
    _as_postgres(args, timeout=120)
