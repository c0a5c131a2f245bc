"""`amends check-deploy`: is this installation fit to go live? Django's `check --deploy`, then our own checks.

Ours: production mode, a real secret key, DEBUG off, ALLOWED_HOSTS set, the database reachable and
migrated (and not SQLite), the front-end assets installed, the security headers, session idle time, login
throttle and the public URL used in links. Errors make the command exit non-zero; warnings
are printed and, with `--strict`, fail it too. It only reads: nothing is changed.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import IO, Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console
from rich.markup import escape

INSECURE_KEY = "amends-insecure-development-key-do-not-use-in-production"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}
VENDOR_ASSETS = ("vendor/htmx.min.js", "vendor/echarts.min.js")
OK, WARNING, ERROR = "ok", "warning", "error"
MARKS = {OK: "[green]✔[/green]", WARNING: "[yellow]⚠[/yellow]", ERROR: "[red]✘[/red]"}


@dataclass(frozen=True)
class Finding:
    level: str
    text: str


def django_checks(database_ok: bool) -> list[Finding]:
    """What `manage.py check --deploy` reports, as findings (silenced messages left out)."""
    messages = checks.run_checks(include_deployment_checks=True, databases=[DEFAULT_DB_ALIAS] if database_ok else None)
    out = []
    for m in messages:
        if m.is_silenced():
            continue
        text = f"{m.id}: {m.msg}" + (f" ({m.hint})" if m.hint else "")
        out.append(Finding(ERROR if m.level >= checks.ERROR else WARNING, text))
    return out or [Finding(OK, "no problems reported")]


def database_findings() -> tuple[list[Finding], bool]:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # whatever the driver raises, the answer is "unreachable"
        return [Finding(ERROR, f"database unreachable: {type(exc).__name__}: {exc}".strip())], False
    out = [Finding(OK, f"database reachable ({connection.vendor} {connection.settings_dict['NAME']})")]
    if connection.vendor == "sqlite":
        out.append(
            Finding(
                WARNING,
                "the database is SQLite: fine for one machine and a few dozen staff; use PostgreSQL "
                "(DATABASE_URL=postgres://…) for production",
            )
        )
    elif connection.vendor == "postgresql" and getattr(connection, "pg_version", 150000) < 150000:
        major = getattr(connection, "pg_version", 0) // 10000
        out.append(Finding(WARNING, f"PostgreSQL {major}: Amends is tested on 15 and later"))
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        out.append(Finding(ERROR, f"{len(pending)} migrations not applied: run `amends migrate`"))
    else:
        out.append(Finding(OK, "all migrations applied"))
    return out, True


def settings_findings() -> list[Finding]:
    out = []
    if settings.MODE != "production":
        out.append(Finding(ERROR, f"AMENDS_MODE is {settings.MODE!r}: insecure defaults are allowed; unset it"))
    else:
        out.append(Finding(OK, "production mode"))
    key = os.environ.get("SECRET_KEY", "")
    if not key or settings.SECRET_KEY == INSECURE_KEY:
        out.append(Finding(ERROR, "SECRET_KEY is not set: the published development key is in use"))
    elif len(key) < 50 or len(set(key)) < 5:
        out.append(Finding(WARNING, f"SECRET_KEY has {len(key)} characters: use 50 or more random ones"))
    else:
        out.append(Finding(OK, f"SECRET_KEY set ({len(key)} characters)"))
    out.append(Finding(ERROR, "DEBUG is on: set AMENDS_DEBUG=0") if settings.DEBUG else Finding(OK, "DEBUG off"))
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or not os.environ.get("ALLOWED_HOSTS"):
        out.append(Finding(ERROR, "ALLOWED_HOSTS is not set: give the names users reach Amends by"))
    elif "*" in hosts:
        out.append(Finding(ERROR, "ALLOWED_HOSTS contains '*': any Host header is accepted"))
    elif set(hosts) <= LOCAL_HOSTS:
        out.append(Finding(WARNING, f"ALLOWED_HOSTS is only {', '.join(hosts)}: nobody else can reach Amends"))
    else:
        out.append(Finding(OK, f"ALLOWED_HOSTS: {', '.join(hosts)}"))
    missing = [name for name in VENDOR_ASSETS if finders.find(name) is None]
    if missing:
        out.append(
            Finding(ERROR, f"front-end assets missing ({', '.join(missing)}): run scripts/bootstrap.sh (npm ci)")
        )
    else:
        out.append(Finding(OK, "front-end assets installed (htmx, ECharts)"))
    return out


def headers_findings() -> list[Finding]:
    """The security headers and session rules every answer carries, as a bank's web team would ask."""
    out = [
        Finding(OK, "Content-Security-Policy: script-src 'self', frame-ancestors 'none'")
        if settings.AMENDS_CSP
        else Finding(WARNING, "Content-Security-Policy is off (AMENDS_CSP=0)"),
        Finding(OK, f"Referrer-Policy: {settings.SECURE_REFERRER_POLICY}; Permissions-Policy; X-Content-Type-Options"),
    ]
    if settings.SECURE_PROXY_SSL_HEADER and settings.SECURE_HSTS_SECONDS:
        out.append(Finding(OK, f"HSTS: max-age={settings.SECURE_HSTS_SECONDS} (behind the TLS proxy)"))
    else:
        out.append(Finding(WARNING, "no HSTS: set AMENDS_BEHIND_TLS_PROXY=1 once Amends is served over TLS"))
    hours = settings.SESSION_COOKIE_AGE / 3600
    out.append(Finding(OK, f"staff sessions end after {hours:g} hours without a request"))
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    out.append(
        Finding(OK, f"sign-in pauses {cooloff} minutes after {settings.AXES_FAILURE_LIMIT} wrong passwords (axes)")
    )
    if urlsplit(settings.AMENDS_PUBLIC_URL).scheme != "https":
        out.append(Finding(WARNING, f"AMENDS_PUBLIC_URL {settings.AMENDS_PUBLIC_URL} is not https"))
    return out


def several_machines_findings() -> list[Finding]:
    """Redis (tasks, the shared cache), the replica and PgBouncer as configured; what several web nodes need."""
    out = []
    several = bool(settings.AMENDS_NODE_NAME)  # a node named for the balancer: one of several
    if settings.REDIS_URL:
        try:
            cache.set("amends-check-deploy", "ok", 5)
            shared = cache.get("amends-check-deploy") == "ok"
        except Exception as exc:  # whatever the client raises, Redis is not usable
            out.append(Finding(ERROR, f"Redis at REDIS_URL unreachable: {type(exc).__name__}: {exc}"))
        else:
            out.append(Finding(OK if shared else ERROR, "Redis reachable: one cache for every web node"))
    elif several:
        out.append(Finding(ERROR, "several web nodes without REDIS_URL: each keeps its own cache"))
    if settings.AMENDS_TASK_BACKEND == "rq":
        out.append(Finding(OK, "background tasks on Redis (RQ): start amends worker on as many machines as needed"))
    else:
        out.append(Finding(OK, "background tasks in the database: start one or more amends worker"))
    if "replica" in connections:
        try:
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery()")
                standby = cursor.fetchone()[0]
        except Exception as exc:  # as for the primary: unreachable is unreachable
            out.append(Finding(ERROR, f"the replica (DATABASE_REPLICA_URL) is unreachable: {type(exc).__name__}"))
        else:
            text = "reports read the replica (DATABASE_REPLICA_URL); the worker keeps their figures current"
            out.append(Finding(OK, text) if standby else Finding(WARNING, "DATABASE_REPLICA_URL is not a standby"))
    if settings.DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS"):
        out.append(Finding(OK, "behind PgBouncer (transaction mode): server-side cursors and binding off"))
    if settings.AMENDS_STORAGE == "s3":
        try:
            default_storage.exists("amends-check-deploy")  # a HEAD request: the bucket answers to our keys
        except Exception as exc:  # whatever boto raises, the store is not usable
            out.append(Finding(ERROR, f"the file store (AMENDS_S3_BUCKET) is unreachable: {type(exc).__name__}"))
        else:
            out.append(Finding(OK, f"files on the shared S3 store, bucket {settings.AMENDS_S3_BUCKET}"))
    elif several:
        out.append(Finding(ERROR, "several web nodes with files on this node's disk: set AMENDS_STORAGE=s3"))
    if urlsplit(settings.AMENDS_PUBLIC_URL).hostname in LOCAL_HOSTS:
        text = f"AMENDS_PUBLIC_URL is {settings.AMENDS_PUBLIC_URL}: links sent to customers would not reach you"
        out.append(Finding(ERROR if several else WARNING, text))
    else:
        out.append(Finding(OK, f"links sent to customers point to {settings.AMENDS_PUBLIC_URL}"))
    return out


class Command(BaseCommand):
    help = "Check that this installation is safe to go live: Django's deployment checks and Amends' own."
    requires_system_checks: list[str] = []  # they run below, with the deployment checks, as findings

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--strict", action="store_true", help="fail on warnings too")

    def handle(self, *args: Any, **opts: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout._out), highlight=False, soft_wrap=True)
        ours = settings_findings()
        db, database_ok = database_findings()
        sections = [
            ("Django deployment checks (check --deploy)", django_checks(database_ok)),
            ("Amends", ours + db),
            ("Headers and sessions", headers_findings()),
            ("Several machines", several_machines_findings()),
        ]
        for title, findings in sections:
            console.print(f"[bold]{title}[/bold]")
            for f in findings:
                console.print(f"  {MARKS[f.level]} {escape(f.text)}")
        everything = [f for _, findings in sections for f in findings]
        errors = sum(1 for f in everything if f.level == ERROR)
        warnings = sum(1 for f in everything if f.level == WARNING)
        summary = f"{errors} error(s), {warnings} warning(s)"
        if errors or (opts["strict"] and warnings):
            raise CommandError(f"Not ready to go live: {summary}.")
        console.print(f"Ready to go live: {summary}.")
