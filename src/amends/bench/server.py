"""A real application server for the HTTP measurements: `amends serve` (granian, or gunicorn with gthread or sync
workers) on a free loopback port, in production mode (DEBUG off, a random secret key).

The server is a child process that this module starts, waits for (`/healthz` answers 200) and stops by its
own pid; it never touches any other process.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .database import BenchError

KINDS = ("granian", "gthread", "sync")
DEFAULT_APP = "amends.wsgi:application"


@dataclass(frozen=True)
class ServerConfig:
    kind: str = "granian"
    workers: int = 5
    threads: int = 4

    @classmethod
    def default(cls, kind: str, *, workers: int | None = None, threads: int | None = None) -> ServerConfig:
        """What `amends serve` runs by default (its processes per server, 4 threads each where threads apply), so
        the bench measures the shipped configuration (docs/decisions/0003-application-server.md); `kind` is
        granian, or gunicorn's gthread or sync worker."""
        from amends.core.management.commands.serve import DEFAULT_THREADS, default_workers

        server = "granian" if kind == "granian" else "gunicorn"
        if kind == "sync":
            return cls(kind, workers or default_workers(server), 1)
        return cls(kind, workers or default_workers(server), threads or DEFAULT_THREADS)

    @classmethod
    def shipped(cls) -> ServerConfig:
        """`amends serve` as it runs with no options."""
        from amends.core.management.commands.serve import DEFAULT_SERVER

        return cls.default("granian" if DEFAULT_SERVER == "granian" else "gthread")

    def describe(self) -> str:
        if self.kind == "granian":
            return f"granian {_version('granian')} (WSGI), {self.workers} workers × {self.threads} blocking threads"
        if self.kind == "gthread":
            return f"gunicorn {_version('gunicorn')} gthread, {self.workers} workers × {self.threads} threads"
        return f"gunicorn {_version('gunicorn')} sync, {self.workers} workers"

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "workers": self.workers, "threads": self.threads, "text": self.describe()}


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # not installed: the version is only for the report
        return "?"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(database_url: str, secret_key: str | None = None) -> dict[str, str]:
    """The environment of a production web process: the settings' production checks stay on."""
    return {
        "DJANGO_SETTINGS_MODULE": "amends.settings",
        "AMENDS_MODE": "production",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "AMENDS_LOG_LEVEL": "WARNING",
        # The benches send one person's searches by the thousand: the per-person limit would answer 429.
        "AMENDS_SEARCH_PER_MINUTE": "1000000",
    }


class AppServer:
    def __init__(self, config: ServerConfig, env: dict[str, str], app: str = DEFAULT_APP) -> None:
        self.config = config
        self.app = app
        self.env = {**os.environ, **env}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        # Kept open for the server's whole life and removed in __exit__, hence no `with`.
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="amends-bench-server-", suffix=".log", delete=False
        )

    def command(self) -> list[str]:
        c = self.config
        bind = f"127.0.0.1:{self.port}"
        if c.kind not in KINDS:
            raise BenchError(f"unknown server kind {c.kind!r}; choose one of {', '.join(KINDS)}")
        if self.app == DEFAULT_APP:
            # The shipped way to serve: `amends serve` (the server in process, the app loaded once, its defaults).
            serve = [sys.executable, "-m", "amends.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
            serve += ["--workers", str(c.workers), "--threads", str(c.threads)]
            if c.kind == "granian":
                return [*serve, "--server", "granian"]
            return [*serve, "--server", "gunicorn", "--worker-class", c.kind]
        if c.kind == "granian":
            return [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(c.workers),
                "--blocking-threads",
                str(c.threads),
                "--no-ws",
                "--log-level",
                "warning",
                self.app,
            ]
        return [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--bind",
            bind,
            "--workers",
            str(c.workers),
            "--worker-class",
            c.kind,
            "--threads",
            str(c.threads),
            "--preload",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ]

    def start(self, timeout: float = 60.0) -> str:
        self.process = subprocess.Popen(
            self.command(), env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the application server exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return self.base_url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise BenchError(f"the application server did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker process (the children of the server's master), in MB."""
        if self.process is None:
            return []
        return [round(rss, 1) for rss in (_rss_mb(pid) for pid in _children(self.process.pid)) if rss]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        text = Path(self._log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
