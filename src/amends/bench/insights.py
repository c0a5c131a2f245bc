"""`amends bench insights`: every insights endpoint over a simulated million-case database, beside a reference
measured in the same run (`SELECT count(*)` over the cases table, the least any report over them must do).

The database (`amends_bench_insights`) is written by `amends simulate` with every customer failing and being
found (a case each; half complain), VACUUM ANALYZEd, and reused by later runs when its size fits. Each report
is timed in process (the query work) and through a real server (`GET /api/v1/insights/{report}`), for a
head-office admin (the whole table) and a city supervisor (a subtree). The machine's load is reported beside
the figures, since the machine is shared.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import psycopg
from django.db import connection
from django.test import Client
from django.utils import timezone

from amends.accounts.models import OrgKind, OrgUnit, Role, User
from amends.accounts.tokens import token_issue
from amends.assembly import world
from amends.assembly.simulation import Params, simulate
from amends.core import clock
from amends.insights import facts, queries, reports
from amends.insights.views import PANELS

from . import database, environment, load
from .server import AppServer, ServerConfig, production_env
from .stats import summarize

VERSION = 1
# Every customer fails and is found, half of them complain: a case per customer, the worst case for reports.
DENSE = replace(Params(), failure_rate=1.0, dissatisfied_rate=1.0, complaint_rate=0.5, proactive_rate=1.0)


@dataclass
class InsightsOptions:
    database_url: str | None = None
    database_name: str = "amends_bench_insights"
    cases: int = 1_000_000
    runs: int = 20
    rebuild: bool = False
    http: bool = True
    server: ServerConfig = field(default_factory=lambda: ServerConfig.shipped())
    reports: list[str] = field(default_factory=list)


def _existing(target: database.Target) -> dict[str, Any] | None:
    try:
        with psycopg.connect(target.url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT cases, built_at, seconds, version FROM bench_insights_dataset ORDER BY built_at DESC LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return None
    return dict(zip(("cases", "built_at", "build_seconds", "version"), row, strict=True)) if row else None


def _build(target: database.Target, cases: int, until: date, progress: Callable[[str], None]) -> float:
    started = time.perf_counter()
    database.recreate(target)
    database.use(target)
    database.migrate()
    last: dict[str, float] = {}

    def step(label: str, n: int) -> None:
        now = time.perf_counter()
        if now - last.get(label, 0) > 10:
            last[label] = now
            progress(f"{label}: {n:,}")

    result = simulate(DENSE, customers=cases, seed=1, until=until, progress=step)
    progress(f"written {result['rows']} in {result['seconds']['write']} s")
    staff_for_measures()
    with psycopg.connect(target.url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        seconds = time.perf_counter() - started
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_insights_dataset"
            " (cases int, built_at timestamptz, seconds float, version int)"
        )
        conn.execute("INSERT INTO bench_insights_dataset VALUES (%s, now(), %s, %s)", [cases, seconds, VERSION])
    return seconds


def staff_for_measures() -> None:
    """A head-office admin and a city supervisor to measure as (the simulated world has the units)."""
    head = OrgUnit.objects.filter(parent__isnull=True).order_by("id").values_list("code", flat=True)[0]
    city = OrgUnit.objects.filter(kind=OrgKind.CITY).order_by("id").values_list("code", flat=True)[0]
    wanted = [
        world.StaffSpec("bench_admin", "bench_admin", Role.ADMIN, head),
        world.StaffSpec("bench_supervisor", "bench_supervisor", Role.SUPERVISOR, city),
    ]
    present = set(User.objects.filter(username__in=[s.username for s in wanted]).values_list("username", flat=True))
    world.staff([s for s in wanted if s.username not in present], password=None)


def run_insights(options: InsightsOptions, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    target = database.resolve(options.database_url, options.database_name)
    if not target.is_postgres:
        raise database.BenchError("the insights bench measures PostgreSQL: pass --database-url postgres://…")
    until = timezone.localtime(clock.now()).date()
    meta = None if options.rebuild else _existing(target)
    reused = bool(meta and meta["cases"] == options.cases and meta["version"] == VERSION)
    if reused and meta:
        progress(f"reusing {target.name} (built {meta['built_at']:%Y-%m-%d %H:%M})")
        database.use(target)
        database.migrate()
        build_seconds = meta["build_seconds"]
    else:
        progress(f"building {target.name}: simulating {options.cases:,} customers with a case each")
        build_seconds = _build(target, options.cases, until, progress)
    # A database migrated since it was built (or changed meanwhile) has facts to write before any report is timed.
    started = time.perf_counter()
    noted = facts.bring_up_to_date()
    if noted:
        progress(f"brought the report facts up to date ({noted:,} notes) in {time.perf_counter() - started:.1f} s")
    names = options.reports or list(reports.REGISTRY)
    unknown = set(names) - set(reports.REGISTRY)
    if unknown:
        raise database.BenchError(
            f"unknown reports {', '.join(sorted(unknown))}; reports: {', '.join(reports.REGISTRY)}"
        )
    report: dict[str, Any] = {
        "benchmark": "insights",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": environment.machine(),
        "load_before": os.getloadavg(),
        "database": {**environment.database(connection), "name": target.name},
        "dataset": {**_dataset(), "reused": reused, "build_seconds": round(build_seconds, 1)},
        "runs_per_measure": options.runs,
    }
    actors = [
        ("head-office admin", User.objects.select_related("org_unit").get(username="bench_admin")),
        ("city supervisor", User.objects.select_related("org_unit").get(username="bench_supervisor")),
    ]
    measures = [_reference(options.runs)]
    progress(_said(measures[-1]))
    for label, user in actors:
        for name in names:
            measures.append(_in_process(label, user, name, options.runs))
            progress(_said(measures[-1]))
    # The dashboard as staff open it (session, middleware, templates), in process: the page, then each panel
    # it loads (one report each).
    for label, user in actors:
        for path in ["/insights/", *[f"/insights/panel/{name}/" for name in PANELS if name in names]]:
            measures.append(_page(label, user, path, options.runs))
            progress(_said(measures[-1]))
    if options.http:
        secret = secrets.token_urlsafe(48)
        progress(f"starting {options.server.describe()}")
        report["server"] = options.server.as_dict()
        with AppServer(options.server, production_env(target.url, secret)) as server:
            for label, user in actors:
                bearer = {"Authorization": f"Bearer {token_issue(actor=None, user=user)}"}
                for name in names:
                    measures.append(_http(server.base_url, label, name, bearer, options.runs))
                    progress(_said(measures[-1]))
    report["measures"] = measures
    report["load_after"] = os.getloadavg()
    return report


def _said(m: dict[str, Any]) -> str:
    """One measure as a progress line, so a long run shows its figures as it goes."""
    return (
        f"{m['actor']}: {m['what']} ({m['via']}): p50 {m.get('p50_ms')} ms, p95 {m.get('p95_ms')} ms, load {m['load']}"
    )


def _dataset() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM recovery_case), (SELECT count(*) FROM intake_complaint),"
            " (SELECT count(*) FROM recovery_failure), (SELECT count(*) FROM customers_customer),"
            " (SELECT count(*) FROM customers_policy)"
        )
        row = cursor.fetchone()
    return dict(zip(("cases", "complaints", "failures", "customers", "policies"), row, strict=True))


def _timed(work: Callable[[int], Any], runs: int) -> dict[str, Any]:
    work(0)
    latencies = []
    for i in range(runs):
        started = time.perf_counter()
        work(i)
        latencies.append(time.perf_counter() - started)
    s = summarize(latencies)
    return {"p50_ms": round(s.p50_ms, 1), "p95_ms": round(s.p95_ms, 1), "load": round(os.getloadavg()[0], 2)}


def _reference(runs: int) -> dict[str, Any]:
    def count(_: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM recovery_case")
            cursor.fetchone()

    return {
        "actor": "reference",
        "what": "SELECT count(*) FROM recovery_case",
        "via": "in process",
        **_timed(count, runs),
    }


def _in_process(label: str, user: User, name: str, runs: int) -> dict[str, Any]:
    def work(_: int) -> None:
        user.__dict__.pop("_scope_unit_ids", None)
        queries.run(user, name, {})

    return {"actor": label, "what": name, "via": "in process", **_timed(work, runs)}


def _page(label: str, user: User, path: str, runs: int) -> dict[str, Any]:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def work(_: int) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise database.BenchError(f"{path} answered {response.status_code}")

    return {"actor": label, "what": f"page {path}", "via": "in process", **_timed(work, runs)}


def _http(base_url: str, label: str, name: str, headers: dict[str, str], runs: int) -> dict[str, Any]:
    path = f"/api/v1/insights/{name}"
    load.get(base_url, [path], headers, 1)
    started_load = os.getloadavg()[0]
    status, latencies = load.get(base_url, [path], headers, runs)
    row: dict[str, Any] = {"actor": label, "what": f"GET {path}", "via": "HTTP", "status": status}
    if status == 200:
        s = summarize(latencies)
        row.update(p50_ms=round(s.p50_ms, 1), p95_ms=round(s.p95_ms, 1))
    row["load"] = round(max(started_load, os.getloadavg()[0]), 2)
    return row
