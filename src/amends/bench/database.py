"""The benchmark databases: named `amends_bench…`, dropped and created afresh, and swapped in as Django's
default connection for the in-process parts of a run (seeding, statement counts, verification).

Only databases whose name starts with `amends_bench` are ever dropped, so a mistyped URL cannot cost anyone
their development database. PostgreSQL is the point; SQLite only on request (`--allow-sqlite`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connections

PREFIX = "amends_bench"


class BenchError(Exception):
    """A run cannot start or cannot go on; the message says what to do."""


@dataclass(frozen=True)
class Target:
    url: str
    vendor: str  # "postgresql" or "sqlite"
    name: str

    @property
    def is_postgres(self) -> bool:
        return self.vendor == "postgresql"

    def maintenance_url(self) -> str:
        return _with_path(self.url, "/postgres")


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def resolve(database_url: str | None, name: str, *, allow_sqlite: bool = False) -> Target:
    """The bench database `name` on the server of `database_url` (default: $DATABASE_URL)."""
    if not name.startswith(PREFIX):
        raise BenchError(f"bench database names start with {PREFIX!r} (got {name!r}), so no other database is dropped")
    url = database_url or os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme if url else ""
    if scheme in ("postgres", "postgresql", "pgsql"):
        return Target(_with_path(url, "/" + name), "postgresql", name)
    if allow_sqlite:
        path = Path(settings.DATA_DIR) / f"{name}.sqlite3"
        return Target(f"sqlite:///{path}", "sqlite", name)
    raise BenchError(
        "The benchmarks measure PostgreSQL, the production database: pass --database-url "
        "postgres://USER@HOST:PORT/ (or set DATABASE_URL to one); a database named "
        f"{name!r} is created on that server. Add --allow-sqlite to measure the embedded SQLite file instead."
    )


def recreate(target: Target) -> None:
    if target.is_postgres:
        with psycopg.connect(target.maintenance_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{target.name}"')
    else:
        _remove_sqlite(target)


def drop(target: Target) -> None:
    if target.is_postgres:
        connections.close_all()
        with psycopg.connect(target.maintenance_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
    else:
        _remove_sqlite(target)


def exists(target: Target) -> bool:
    if not target.is_postgres:
        return Path(urlsplit(target.url).path).exists()
    with psycopg.connect(target.maintenance_url(), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name]).fetchone() is not None


def _remove_sqlite(target: Target) -> None:
    path = Path(urlsplit(target.url).path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def use(target: Target) -> None:
    """Point Django's default connection at the bench database for the rest of this process, with the same
    connection options as the application's settings (persistent connections with health checks)."""
    config = dj_database_url.parse(target.url, conn_max_age=60, conn_health_checks=True)
    if target.vendor == "sqlite":
        config["OPTIONS"] = dict(settings.DATABASES["default"].get("OPTIONS", {})) or {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    connections.close_all()
    connections.settings["default"] = config
    connections.configure_settings(connections.settings)
    del connections["default"]


def migrate() -> None:
    call_command("migrate", verbosity=0, interactive=False)


def foreign_backends(target: Target) -> set[int]:
    """PostgreSQL backends connected to other databases than the bench one (other people's work)."""
    if not target.is_postgres:
        return set()
    with psycopg.connect(target.maintenance_url(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname IS NOT NULL AND datname NOT IN (%s, 'postgres')",
            [target.name],
        ).fetchall()
    return {pid for (pid,) in rows}
