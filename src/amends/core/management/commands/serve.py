"""`amends serve`: run Amends under a real application server (never `runserver`).

granian by default (`--server gunicorn` for gunicorn): its HTTP handling is Rust, not Python, which matters now
that a complaint costs a few milliseconds of Python (docs/decisions/0003-application-server.md has the
measurements). Either runs in this process, so settings are checked once before any worker starts, and `amends
demo` hands over to it after loading. Each worker process serves a few requests at once on threads (a
browser's keep-alive connections and a slow client do not hold a whole process), while processes
(`default_workers`) give real parallelism.
"""

from __future__ import annotations

import argparse
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

MAX_DEFAULT_WORKERS = 8
# Two per worker: as fast as four at 8 clients in same-run pairs (the cores are full either way) and each thread
# holds its own connection and working memory: a worker stayed near 117 MB after load with 2, 125–131 MB with 4.
DEFAULT_THREADS = 2
SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"


def default_workers(server: str = "gunicorn") -> int:
    """granian: one process per core (at least two, so one can restart while the other serves; more, granian
    warns, only adds switching, and measured no faster); gunicorn: 2 × cores + 1, its rule of thumb. Capped:
    past that, more processes only cost memory."""
    cores = os.cpu_count() or 1
    wanted = max(2, cores) if server == "granian" else 2 * cores + 1
    return min(wanted, MAX_DEFAULT_WORKERS)


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a port number (1–65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1–65535)")
    return port


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=port_number, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--workers",
        type=positive,
        default=None,
        help=f"worker processes (default: granian one per core, gunicorn 2 × cores + 1; at most {MAX_DEFAULT_WORKERS})",
    )
    parser.add_argument("--threads", type=positive, default=DEFAULT_THREADS, help="threads per worker")
    parser.add_argument(
        "--server", choices=SERVERS, default=DEFAULT_SERVER, help=f"application server (default {DEFAULT_SERVER})"
    )
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        default="gthread",
        help="gunicorn's worker type (default gthread; with --server gunicorn)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request to standard output")


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def check_port_free(host: str, port: int) -> None:
    """Fail with a sentence instead of gunicorn's five retries and a traceback when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {bind_address(host, port)}: {exc.strerror}. Choose another port with --port."
            ) from None


@dataclass(frozen=True)
class Serving:
    """How to serve, from the arguments `add_server_arguments` defined (shared by serve and demo)."""

    server: str
    host: str
    port: int
    workers: int
    threads: int
    worker_class: str
    access_log: bool

    @classmethod
    def from_arguments(cls, opts: dict[str, Any]) -> Serving:
        server, worker_class = opts["server"], opts["worker_class"]
        threads = 1 if server == "gunicorn" and worker_class == "sync" else opts["threads"]
        return cls(
            server,
            opts["host"],
            opts["port"],
            opts["workers"] or default_workers(server),
            threads,
            worker_class,
            bool(opts["access_log"]),
        )

    def describe(self) -> str:
        kind = f"gunicorn {self.worker_class}" if self.server == "gunicorn" else "granian"
        threads = f" × {self.threads} threads" if self.threads > 1 else ""
        return f"{kind}, {self.workers} workers{threads}"

    def run(self) -> None:
        # No database connection may cross the fork into the workers.
        connections.close_all()
        # WhiteNoise warns at start-up when STATIC_ROOT is missing; files are served from the finders anyway.
        os.makedirs(settings.STATIC_ROOT, exist_ok=True)
        if self.server == "gunicorn":
            run_gunicorn(
                gunicorn_options(
                    host=self.host,
                    port=self.port,
                    workers=self.workers,
                    threads=self.threads,
                    worker_class=self.worker_class,
                    access_log=self.access_log,
                )
            )
        else:
            run_granian(self)


def run_granian(serving: Serving) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    # Imported before the workers are forked, so they share it copy-on-write (gunicorn's `preload_app`).
    import amends.wsgi  # noqa: F401

    Server(
        "amends.wsgi:application",
        address=serving.host.strip("[]"),
        port=serving.port,
        interface=Interfaces.WSGI,
        workers=serving.workers,
        blocking_threads=serving.threads,
        websockets=False,
        log_level=LogLevels.info,
        log_access=serving.access_log,
        # A worker that dies is started again, as gunicorn's arbiter does.
        respawn_failed_workers=True,
        workers_kill_timeout=20,
    ).serve()


def gunicorn_options(
    *, host: str, port: int, workers: int | None, threads: int, worker_class: str, access_log: bool
) -> dict[str, Any]:
    return {
        "bind": [bind_address(host, port)],
        "workers": workers or default_workers(),
        "worker_class": worker_class,
        "threads": threads if worker_class == "gthread" else 1,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "amends",
        # The application is imported once in the arbiter and shared copy-on-write by the workers.
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        # gunicorn ≥ 25 opens a control socket at one fixed path per user; two servers (a demo next to a
        # test run) would fight over it. Process managers (systemd) do its job here.
        "control_socket_disable": True,
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }


def run_gunicorn(options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class AmendsServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from amends.wsgi import application

            return application

    AmendsServer().run()


class Command(BaseCommand):
    help = "Serve Amends with granian or gunicorn (amends.wsgi:application)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_server_arguments(parser)

    def handle(self, *args: Any, **opts: Any) -> None:
        check_port_free(opts["host"], opts["port"])
        serving = Serving.from_arguments(opts)
        self.stdout.write(
            f"Serving Amends ({settings.MODE} mode) on http://{bind_address(opts['host'], opts['port'])}/ "
            f"with {serving.describe()}. Stop with Ctrl+C."
        )
        serving.run()
