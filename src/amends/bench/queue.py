"""`amends bench queue`: the queue and the case page over a million cases, in process and through HTTP.

For a handler, a city supervisor and a head-office admin: `queries.queue()` page 1 and page 50, overdue only,
the handler's own cases, and `case_detail()`; then the same through a real server (`GET /api/v1/cases`,
`GET /api/v1/cases/{id}`, and the queue page `/` when it exists). Each is timed over `runs` runs and its SQL
statements counted; any statement slower than 50 ms is EXPLAIN ANALYZEd in the report.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.accounts.tokens import token_issue
from amends.core import clock
from amends.customers.models import Customer
from amends.intake.services import ComplaintInput, complaint_receive
from amends.journeys.models import Touchpoint
from amends.recovery import queries
from amends.recovery.models import IS_OPEN, Case
from amends.search import queries as search

from . import database, environment, load, queue_data
from .cpu import CpuMeter
from .server import AppServer, ServerConfig, production_env
from .statements import HEALTH_CHECK, capture
from .stats import summarize

SLOW_MS = 50.0


@dataclass
class QueueOptions:
    database_url: str | None = None
    database_name: str = "amends_bench_queue"
    allow_sqlite: bool = False
    cases: int = 1_000_000
    runs: int = 50
    rebuild: bool = False
    http: bool = True
    explain: bool = False
    server: ServerConfig = field(default_factory=lambda: ServerConfig.shipped())


@dataclass
class Actor:
    label: str
    user: User
    case_ids: list[int]


def run_queue(options: QueueOptions, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    target = database.resolve(options.database_url, options.database_name, allow_sqlite=options.allow_sqlite)
    if not target.is_postgres:
        raise database.BenchError("the queue bench loads its million cases with PostgreSQL's own SQL: use PostgreSQL")
    meta = None if options.rebuild else queue_data.existing(target)
    reused = meta is not None and meta["cases"] == options.cases and meta["version"] == queue_data.VERSION
    if meta is not None and reused:
        progress(f"reusing {target.name} ({options.cases:,} cases, built {meta['built_at']:%Y-%m-%d %H:%M})")
        database.use(target)
        database.migrate()
        build_seconds = meta["build_seconds"]
    else:
        progress(f"building {target.name} with {options.cases:,} cases")
        database.recreate(target)
        database.use(target)
        database.migrate()
        queue_data.build_org()
        build_seconds = queue_data.build(target, cases=options.cases, progress=progress)
    report: dict[str, Any] = {
        "benchmark": "queue",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": environment.machine(),
        "database": {**environment.database(connection), "name": target.name},
        "dataset": {**_dataset(), "reused": reused, "build_seconds": round(build_seconds, 1)},
        "runs_per_measure": options.runs,
    }
    actors = _actors(options.runs)
    measures: list[dict[str, Any]] = []
    explain: list[dict[str, Any]] = []
    for actor in actors:
        for what, work in _in_process(actor):
            progress(f"{actor.label}: {what}")
            measures.append(_measure(actor, what, work, options.runs, explain if options.explain else None))
    progress("front-line agent: complaint_receive() over the million cases (rolled back)")
    measures.append(_intake_at_scale(options.runs))
    if options.http:
        secret = secrets.token_urlsafe(48)
        progress(f"starting {options.server.describe()}")
        report["server"] = options.server.as_dict()
        with AppServer(options.server, production_env(target.url, secret)) as server:
            for actor in actors:
                measures += _http_measures(server.base_url, server.pid, actor, options.runs, secret, progress)
    report["measures"] = measures
    report["explain"] = explain
    return report


def _dataset() -> dict[str, int]:
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM recovery_case),"
            " (SELECT count(*) FROM recovery_case WHERE status <> 'closed'),"
            " (SELECT count(*) FROM recovery_case WHERE status <> 'closed' AND due_at < %s),"
            " (SELECT count(*) FROM customers_customer), (SELECT count(*) FROM recovery_casestep),"
            " (SELECT count(*) FROM recovery_timelineentry), (SELECT count(*) FROM intake_complaint)",
            [now],
        )
        row = cursor.fetchone()
    keys = ("cases", "open", "overdue", "customers", "steps", "timeline", "complaints")
    return dict(zip(keys, row, strict=True))


def _actors(runs: int) -> list[Actor]:
    found = []
    for label, username in (
        ("handler (city)", "bench_h_0_0_0"),
        ("city supervisor", "bench_sup_0_0"),
        ("head-office admin", "bench_admin"),
    ):
        user = User.objects.select_related("org_unit").get(username=username)
        # Cases with steps and a timeline, spread over the table, for case_detail.
        ids = list(
            scope_filter(Case.objects.filter(IS_OPEN, status="in_progress"), user)
            .order_by("id")
            .values_list("id", flat=True)[: runs * 50 : 50]
        )
        found.append(Actor(label, user, ids))
    return found


def _in_process(actor: Actor) -> list[tuple[str, Callable[[int], Any]]]:
    user = actor.user

    def queue(**kw: Any) -> Callable[[int], Any]:
        return lambda _: queries.queue(_fresh(user), now=clock.now(), **kw)

    works = [
        ("queue() page 1", queue(page=1)),
        ("queue() page 50", queue(page=50)),
        ("queue(overdue=True) page 1", queue(overdue=True, page=1)),
    ]
    if user.role == "handler":
        works.append(("queue(owner=me) page 1", queue(owner_id=user.pk, page=1)))
    if actor.case_ids:
        ids = actor.case_ids
        works.append(("case_detail()", lambda i: queries.case_detail(_fresh(user), ids[i % len(ids)], now=clock.now())))
    for what, texts in search_texts(actor):
        works.append((f"search() {what}", _searching(user, texts)))
    return works


def _searching(user: User, texts: list[str]) -> Callable[[int], Any]:
    return lambda i: search.search(_fresh(user), texts[i % len(texts)])


def search_texts(actor: Actor) -> list[tuple[str, list[str]]]:
    """What staff type in the search box, varied per run so no answer comes from a cache: case references, a
    two-character name, a phone number (matched for this actor's role), a claim number, a phrase one
    complaint in twelve says, a rare one, and a phrase with a two-character word (which narrows the phrase's hits)."""
    ids = actor.case_ids or [1]
    customers = list(
        scope_filter(Customer.objects.all(), actor.user).order_by("id").values_list("id", "name", "phone")[:50]
    )
    return [
        ("reference", [f"BJ-{clock.now():%Y}-{i:06d}" for i in ids]),
        ("name", [name for _, name, _ in customers] or ["王伟"]),
        ("phone", [phone for _, _, phone in customers if phone] or ["13800138000"]),
        ("claim number", [f"CL{i}" for i in ids]),
        ("words 尾灯总成", ["尾灯总成", "尾灯总成 三周"]),
        ("rare words 刹车片异响", ["刹车片异响", "互相推诿"]),
        ("a word and two characters 道路救援 拖车", ["道路救援 拖车", "家财险理赔 发票"]),
    ]


class _RollBack(Exception):
    pass


def _intake_at_scale(runs: int) -> dict[str, Any]:
    """complaint_receive for existing customers of a busy city, each in a transaction rolled back at the end:
    what intake costs when the owner choice and the repeat count run over a million cases."""
    agent = User.objects.select_related("org_unit").get(username="bench_front_0_0_0")
    customers = list(
        Customer.objects.filter(org_unit_id=agent.org_unit_id).order_by("id").values_list("id", flat=True)[: runs + 3]
    )
    touchpoint = Touchpoint.objects.filter(active=True).order_by("id").values_list("code", flat=True).first() or ""

    def work(i: int) -> None:
        data = ComplaintInput(
            channel="hotline",
            description="定损员没有按约定时间到场。",
            request="尽快定损",
            customer_id=customers[i % len(customers)],
            touchpoint=touchpoint,
            claim_no=f"CLSCALE{i}",
        )
        try:
            with transaction.atomic():
                complaint_receive(actor=_fresh(agent), data=data, idempotency_key=None)
                raise _RollBack
        except _RollBack:
            pass

    return _measure(Actor("front-line agent", agent, []), "complaint_receive() (rolled back)", work, runs, None)


def _fresh(user: User) -> User:
    """The actor as a request would see it: no scope cached from an earlier call."""
    user.__dict__.pop("_scope_unit_ids", None)
    return user


def _measure(
    actor: Actor, what: str, work: Callable[[int], Any], runs: int, explain: list[dict[str, Any]] | None
) -> dict[str, Any]:
    for i in range(3):
        work(i)
    latencies = []
    meter = CpuMeter(None)
    began = time.perf_counter()
    for i in range(runs):
        started = time.perf_counter()
        work(i)
        latencies.append(time.perf_counter() - started)
    used = meter.stop(time.perf_counter() - began)
    _, seen = capture(what, lambda: work(0))
    summary = summarize(latencies)
    result: dict[str, Any] = {
        "actor": actor.label,
        "what": what,
        "via": "in process",
        "p50_ms": round(summary.p50_ms, 2),
        "p95_ms": round(summary.p95_ms, 2),
        "statements": seen.count,
        "other_cores": round(used.other, 2) if used else None,
        "statement_ms": [round(t, 2) for t in seen.times_ms],
        "slow_statements": [],
    }
    for index, (sql, ms) in enumerate(zip(seen.statements, seen.times_ms, strict=True), 1):
        if sql == HEALTH_CHECK or not sql.lstrip().upper().startswith("SELECT"):
            continue
        if ms > SLOW_MS:
            # On a shared machine one slow run can be someone else's load: the plan's own time decides.
            plan = explain_analyze(sql)
            if _execution_ms(plan) > SLOW_MS:
                result["slow_statements"].append({"ms": ms, "sql": sql, "plan": plan})
        if explain is not None and what.startswith("queue"):
            explain.append(
                {"actor": actor.label, "what": what, "index": index, "sql": sql, "plan": explain_analyze(sql)}
            )
    return result


def _execution_ms(plan: str) -> float:
    found = re.search(r"Execution Time: ([0-9.]+) ms", plan)
    return float(found.group(1)) if found else 0.0


def explain_analyze(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _http_measures(
    base_url: str, server_pid: int | None, actor: Actor, runs: int, secret: str, progress: Callable[[str], None]
) -> list[dict[str, Any]]:
    token = token_issue(actor=None, user=actor.user)
    bearer = {"Authorization": f"Bearer {token}"}
    cookie = _session_cookie(actor.user, secret)
    paths: list[tuple[str, list[str], dict[str, str]]] = [
        ("GET /api/v1/cases", ["/api/v1/cases"], bearer),
        ("GET /api/v1/cases?page=50", ["/api/v1/cases?page=50"], bearer),
        ("GET /api/v1/cases?overdue=true", ["/api/v1/cases?overdue=true"], bearer),
    ]
    if actor.user.role == "handler":
        paths.append(("GET /api/v1/cases?owner=me", ["/api/v1/cases?owner=me"], bearer))
    if actor.case_ids:
        paths.append(("GET /api/v1/cases/{id}", [f"/api/v1/cases/{i}" for i in actor.case_ids], bearer))
    paths.append(("GET / (queue page)", ["/"], cookie))
    for what, texts in search_texts(actor):
        paths.append((f"GET /api/v1/search {what}", [f"/api/v1/search?q={quote(t)}" for t in texts], bearer))
    out = []
    for what, urls, headers in paths:
        progress(f"{actor.label}: {what}")
        load.get(base_url, urls, headers, 3)
        meter = CpuMeter(server_pid)
        began = time.perf_counter()
        status, latencies = load.get(base_url, urls, headers, runs)
        used = meter.stop(time.perf_counter() - began)
        row: dict[str, Any] = {"actor": actor.label, "what": what, "via": "HTTP", "status": status}
        row["other_cores"] = round(used.other, 2) if used else None
        if status != 200:
            row["note"] = {404: "404: not there yet, skipped", 302: "302: redirected (login?), skipped"}.get(
                status, f"{status}: skipped"
            )
            out.append(row)
            continue
        summary = summarize(latencies)
        row.update(p50_ms=round(summary.p50_ms, 2), p95_ms=round(summary.p95_ms, 2), note="200")
        row["statements"] = _http_statements(urls[0], headers, secret)
        out.append(row)
    return out


def _session_cookie(user: User, secret: str) -> dict[str, str]:
    """A logged-in session for the pages, stored in the bench database and signed with the server's key."""
    with override_settings(SECRET_KEY=secret, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(user)
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={value}"}


def _as_server(client: Client, path: str) -> Any:
    # The test client skips the request_started handler a real server runs, and with it the connection
    # health check (a SELECT 1 per request): run it as the server would.
    close_old_connections()
    return client.get(path)


def _http_statements(path: str, headers: dict[str, str], secret: str) -> int | None:
    """Statements of one request through Django's whole stack, in process (the server runs the same code)."""
    client = Client(headers={k: v for k, v in headers.items() if k != "Cookie"})
    if "Cookie" in headers:
        name, value = headers["Cookie"].split("=", 1)
        client.cookies[name] = value
    with override_settings(SECRET_KEY=secret, ALLOWED_HOSTS=["testserver"]):
        answer, seen = capture(path, lambda: _as_server(client, path))
    return seen.count if answer.status_code == 200 else None
