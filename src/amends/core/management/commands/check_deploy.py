"""`amends check-deploy`: is this installation fit to go live? Django's `check --deploy`, then our own checks.

Ours: production mode, a real secret key, DEBUG off, ALLOWED_HOSTS set, the database reachable and
migrated (and not SQLite), the front-end assets installed, the security headers, session idle time, login
throttle and the public URL used in links; then what several machines need: Redis, the task backend with a
worker listening and running the schedule, the replica (a standby, how far behind), PgBouncer's settings,
shared file storage, a public URL this installation answers to. Errors make the command exit non-zero;
warnings are printed and, with `--strict`, fail it too. It only reads: nothing is changed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http.request import validate_host
from rich.console import Console
from rich.markup import escape

from amends.core import clock
from amends.core.models import ScheduledRun

INSECURE_KEY = "amends-insecure-development-key-do-not-use-in-production"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}
VENDOR_ASSETS = ("vendor/htmx.min.js", "vendor/echarts.min.js")
OK, WARNING, ERROR = "ok", "warning", "error"
# The default schedule's shortest period is a minute: a schedule not claimed for this long has no worker.
SCHEDULE_QUIET = timedelta(minutes=10)
REPLICA_BEHIND_BYTES = 16 * 2**20
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


def several_machines_findings(database_ok: bool = True) -> list[Finding]:
    """Redis (tasks, the shared cache), the task backend, the replica, PgBouncer, the file store and the public
    URL as configured; what several web nodes need (a node named by AMENDS_NODE_NAME is one of several)."""
    out = []
    several = bool(settings.AMENDS_NODE_NAME)  # a node named for the balancer: one of several
    if several:
        fingerprint = hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:12]
        out.append(
            Finding(
                OK,
                f"node {settings.AMENDS_NODE_NAME}; SECRET_KEY fingerprint {fingerprint}: compare it "
                "on every node (another key there breaks sessions and signed links between them)",
            )
        )
        if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
            out.append(Finding(ERROR, "several web nodes on SQLite: machines cannot share the file; use PostgreSQL"))
    redis_ok = False
    if settings.REDIS_URL:
        try:
            cache.set("amends-check-deploy", "ok", 5)
            redis_ok = cache.get("amends-check-deploy") == "ok"
        except Exception as exc:  # whatever the client raises, Redis is not usable
            out.append(Finding(ERROR, f"Redis at REDIS_URL unreachable: {type(exc).__name__}: {exc}"))
        else:
            out.append(Finding(OK if redis_ok else ERROR, "Redis reachable: one cache for every web node"))
    elif several:
        out.append(Finding(ERROR, "several web nodes without REDIS_URL: each keeps its own cache"))
    out += task_findings(redis_ok, database_ok)
    if "replica" in connections:
        out += replica_findings()
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
    host = urlsplit(settings.AMENDS_PUBLIC_URL).hostname or ""
    if host in LOCAL_HOSTS:
        text = f"AMENDS_PUBLIC_URL is {settings.AMENDS_PUBLIC_URL}: links sent to customers would not reach you"
        out.append(Finding(ERROR if several else WARNING, text))
    elif not validate_host(host, settings.ALLOWED_HOSTS):
        text = f"AMENDS_PUBLIC_URL's host {host} is not in ALLOWED_HOSTS: customers' links would be refused (400)"
        out.append(Finding(ERROR, text))
    else:
        out.append(Finding(OK, f"links sent to customers point to {settings.AMENDS_PUBLIC_URL}"))
    return out


def task_findings(redis_ok: bool, database_ok: bool) -> list[Finding]:
    """Which queue background work goes through, whether a worker listens there, and whether one runs the
    schedule (sweeps, reminders, the report facts): a claim in `core_scheduledrun` every period."""
    out = []
    if settings.AMENDS_TASK_BACKEND == "rq":
        out.append(Finding(OK, "background tasks on Redis (RQ): start amends worker on as many machines as needed"))
        if redis_ok:
            out.append(_rq_workers())
    else:
        out.append(Finding(OK, "background tasks in the database: start one or more amends worker"))
    if not database_ok:
        return out
    try:
        latest = ScheduledRun.objects.order_by("-enqueued_at").first()
    except DatabaseError:  # not migrated yet: said above
        return out
    if latest is None:
        out.append(
            Finding(
                WARNING, "no worker has run the schedule yet (sweeps, reminders, report facts): start amends worker"
            )
        )
        return out
    quiet = clock.now() - latest.enqueued_at
    minutes = int(quiet.total_seconds() // 60)
    if quiet > SCHEDULE_QUIET:
        text = (
            f"no worker has claimed the schedule for {minutes} minutes (last: {latest.by}): is amends worker running?"
        )
        out.append(Finding(WARNING, text))
    else:
        out.append(
            Finding(OK, f"a worker runs the schedule (last claimed {int(quiet.total_seconds())} s ago by {latest.by})")
        )
    return out


def _rq_workers() -> Finding:
    import redis
    from rq import Worker

    try:
        count = Worker.count(connection=redis.Redis.from_url(settings.REDIS_URL))
    except Exception as exc:  # Redis answered the cache; whatever fails here, say so
        return Finding(ERROR, f"RQ's workers could not be counted on Redis: {type(exc).__name__}: {exc}")
    if not count:
        return Finding(
            WARNING,
            "no RQ worker is listening on Redis: what requests enqueue (acknowledgements, "
            "notices) waits until amends worker starts",
        )
    return Finding(OK, f"{count} RQ worker(s) listening on Redis")


def replica_findings() -> list[Finding]:
    """The replica is a standby, replaying, and how far behind the primary it is."""
    try:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            standby = cursor.fetchone()[0]
            paused, replayed = False, None
            if standby:
                cursor.execute("SELECT pg_is_wal_replay_paused(), pg_last_wal_replay_lsn()::text")
                paused, replayed = cursor.fetchone()
    except Exception as exc:  # as for the primary: unreachable is unreachable
        return [Finding(ERROR, f"the replica (DATABASE_REPLICA_URL) is unreachable: {type(exc).__name__}")]
    if not standby:
        return [Finding(WARNING, "DATABASE_REPLICA_URL is not a standby")]
    text = "reports read the replica (DATABASE_REPLICA_URL); the worker keeps their figures current"
    if paused:
        return [Finding(WARNING, "the replica's replay is paused: reports show the figures of when it stopped")]
    behind = _bytes_behind(replayed)
    if behind is None:
        return [Finding(OK, text)]
    if behind > REPLICA_BEHIND_BYTES:
        return [Finding(WARNING, f"the replica is {behind / 2**20:.0f} MB of WAL behind the primary: reports lag")]
    return [Finding(OK, f"{text} ({behind / 1024:.0f} kB of WAL behind the primary)")]


def _bytes_behind(replayed: str | None) -> int | None:
    primary = connections[DEFAULT_DB_ALIAS]
    if replayed is None or primary.vendor != "postgresql":
        return None
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)::bigint", [replayed])
            return max(0, int(cursor.fetchone()[0]))
    except DatabaseError:  # the primary is itself a standby, or not reachable: said elsewhere
        return None


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
            ("Several machines", several_machines_findings(database_ok)),
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
