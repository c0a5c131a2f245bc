"""`amends bench intake`: complaints through the HTTP API of a real application server, beside pgbench.

A fresh `amends_bench` database is migrated and seeded; the statements one complaint costs are counted in
process; then a server is started and driven at each client count, pgbench measures the database's own
single-row insert rate at the same count, and the run ends by checking that every 201 is exactly one row and
that replayed keys answer 200 with the same complaint.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings

from amends.accounts.tokens import user_for_token
from amends.intake import services
from amends.intake.models import Complaint
from amends.journeys.queries import touchpoint_by_code

from . import database, environment, load, pgbench
from .cpu import CpuMeter, CpuUse
from .intake_data import IntakeWorld, Traffic, seed
from .server import AppServer, ServerConfig, production_env
from .statements import Captured, capture

DEFAULT_NAME = "amends_bench"
BARE_APP = "amends.bench.bare:application"
BARE_PATH = "/bare/insert"
SQLITE_SCRATCH_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_insert (id integer PRIMARY KEY AUTOINCREMENT, customer_id bigint NOT NULL, "
    "channel text NOT NULL, received_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, description text NOT NULL)"
)


@dataclass
class IntakeOptions:
    database_url: str | None = None
    database_name: str = DEFAULT_NAME
    allow_sqlite: bool = False
    seconds: float = 10.0
    clients: list[int] = field(default_factory=lambda: [1, 8])
    servers: list[ServerConfig] = field(default_factory=lambda: [ServerConfig.shipped()])
    pgbench_seconds: int | None = None  # default: the same as `seconds`
    warmup: float = 1.0
    replay_sample: int = 100
    customers: int = 2000
    drop_after: bool = False


def run_intake(options: IntakeOptions, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    target = database.resolve(options.database_url, options.database_name, allow_sqlite=options.allow_sqlite)
    progress(f"creating {target.name} and migrating")
    database.recreate(target)
    database.use(target)
    database.migrate()
    world = seed(customers=options.customers)
    if target.is_postgres:
        _analyze_filled_tables()
    report: dict[str, Any] = {
        "benchmark": "intake",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": environment.machine(),
        "database": {**environment.database(connection), "name": target.name},
    }
    progress("counting statements per complaint")
    report["statements"] = [c.as_dict() for c in count_statements(world)]
    baseline = Complaint.objects.count()
    runs: list[dict[str, Any]] = []
    everything: list[load.Sent] = []
    replays: list[tuple[load.Sent, load.Sent]] = []
    rows_added_by_replays = 0
    with connection.cursor() as cursor:  # the scratch table of pgbench and of the bare view
        cursor.execute(pgbench.SCRATCH_TABLE if target.is_postgres else SQLITE_SCRATCH_TABLE)
    for config in options.servers:
        progress(f"starting {config.describe()}")
        env = production_env(target.url)
        with AppServer(config, env) as server, AppServer(config, env, app=BARE_APP) as bare:
            warm = load.drive(
                server.base_url,
                world.token,
                Traffic(world, seed=1),
                clients=max(options.clients),
                seconds=options.warmup,
            )
            everything += warm.sent
            load.drive(bare.base_url, "", Traffic(world), clients=max(options.clients), seconds=0.3, path=BARE_PATH)
            for clients in options.clients:
                progress(f"{config.kind}: {clients} client(s) for {options.seconds:g} s")
                traffic = Traffic(world, seed=clients * 1000 + len(runs))
                if target.is_postgres:
                    # The warm-up or the run before grew the complaint tables well past autovacuum's threshold
                    # (10 % and 50 rows): as it would on a live database, analyze them before measuring.
                    _analyze_filled_tables()
                meter = CpuMeter(server.pid)
                result = load.drive(server.base_url, world.token, traffic, clients=clients, seconds=options.seconds)
                used = meter.stop(result.elapsed, database.foreign_backends(target))
                everything += result.sent
                run: dict[str, Any] = {"server": config.as_dict(), "http": result.as_dict()}
                run["http"]["cpu_cores"] = used.as_dict() if used else None
                run["http"]["cpu_ms_per_complaint"] = cpu_per_complaint(used, result.throughput())
                progress(f"bare Django view: {clients} client(s)")
                meter = CpuMeter(bare.pid)
                ref_view = load.drive(
                    bare.base_url, "", Traffic(world), clients=clients, seconds=options.seconds, path=BARE_PATH
                )
                used = meter.stop(ref_view.elapsed, database.foreign_backends(target))
                run["bare_view"] = {
                    "requests_per_s": round(ref_view.throughput(), 1),
                    "errors": ref_view.errors,
                    "latency": ref_view.latency().as_dict(),
                    "cpu_cores": used.as_dict() if used else None,
                }
                run["ratio_to_bare_view"] = (
                    round(result.throughput() / ref_view.throughput(), 4) if ref_view.throughput() else None
                )
                if target.is_postgres and pgbench.executable():
                    progress(f"pgbench: {clients} client(s)")
                    meter = CpuMeter(None)
                    ref = pgbench.run(
                        target.url,
                        clients=clients,
                        seconds=int(options.pgbench_seconds or max(1, round(options.seconds))),
                        threads=min(clients, os.cpu_count() or 1),
                    )
                    used = meter.stop(ref.seconds, database.foreign_backends(target))
                    run["pgbench"] = {**ref.as_dict(), "cpu_cores": used.as_dict() if used else None}
                    run["ratio"] = round(result.throughput() / ref.tps, 4) if ref.tps else None
                runs.append(run)
            rss = server.worker_rss_mb()
            for run in runs:
                if run["server"] == config.as_dict():
                    run["worker_rss_mb"] = rss
            progress("replaying a sample of keys")
            rows_before = Complaint.objects.count()
            replays += _replay_sample(server.base_url, world.token, everything, options.replay_sample)
            rows_added_by_replays += Complaint.objects.count() - rows_before
    report["runs"] = runs
    report["verification"] = verify(everything, baseline, replays, rows_added_by_replays)
    if options.drop_after:
        database.drop(target)
    return report


def _analyze_filled_tables() -> None:
    """Statistics for the tables that hold rows, as autovacuum keeps them on a live database (here it may be
    off): after the seed, and before each measured run, the tables having grown. With none the planner
    takes a table of thousands of rows for a few, and a prepared statement's generic plan scans instead of using
    an index (a customer's open cases' last complaints read all complaints). Empty tables are left alone:
    statistics saying "empty" make the foreign-key checks' cached plans scan the tables the run then fills."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")
            if cursor.fetchone()[0]:
                cursor.execute(f"ANALYZE {name}")


def cpu_per_complaint(used: CpuUse | None, per_second: float) -> dict[str, float] | None:
    """Milliseconds of CPU one complaint costs the application server and PostgreSQL (cores ÷ rate)."""
    if used is None or not per_second or math.isnan(per_second):
        return None
    return {
        name: round(cores / per_second * 1000, 2)
        for name, cores in (("server", used.server), ("postgres", used.postgres))
    }


def count_statements(world: IntakeWorld) -> list[Captured]:
    """The statements of one complaint: service only (new customer, existing customer, one joining an open
    case), the token lookup, and whole HTTP requests through Django's stack (as the server runs them)."""
    actor = world.actor
    customer_id, policy_no = world.customers[0]
    touchpoint = world.touchpoints[0] if world.touchpoints else ""

    def new_customer() -> Any:
        data = services.ComplaintInput(
            channel="hotline",
            description="定损员没有按约定时间到场。",
            request="尽快定损",
            new_customer=services.NewCustomer("统计新客户", "15000000001", "", "online"),
            touchpoint=touchpoint,
        )
        return services.complaint_receive(actor=actor, data=data, idempotency_key="count-new")

    def existing(claim: str, key: str) -> Callable[[], Any]:
        data = services.ComplaintInput(
            channel="hotline",
            description="理赔材料反复要求补交。",
            request="一次性告知材料",
            customer_id=customer_id,
            policy_no=policy_no,
            claim_no=claim,
            touchpoint=touchpoint,
        )
        return lambda: services.complaint_receive(actor=actor, data=data, idempotency_key=key)

    # The first use of a token records it (an UPDATE at most once an hour), and a process reads the lexicon,
    # the text model's id, message templates, touchpoints and org subtrees at most every few seconds: count the
    # steady state, after one complaint that is rolled back.
    user_for_token(world.token)
    for code in world.touchpoints:
        touchpoint_by_code(code)  # the catalogue is kept per process (journeys.queries)
    with transaction.atomic():
        existing("CLWARM", "count-warm")()
        new_customer()
        transaction.set_rollback(True)
    captured = [
        capture("complaint_receive: new customer", new_customer)[1],
        capture("complaint_receive: existing customer, policy, new case", existing("CLCOUNT1", "count-ex"))[1],
        capture("complaint_receive: existing customer joins open case", existing("CLCOUNT1", "count-join"))[1],
        capture("token lookup (user_for_token)", lambda: user_for_token(world.token))[1],
    ]
    traffic = Traffic(world, existing_share=0.0, seed=99)
    for label, body in (
        ("HTTP POST /api/v1/complaints: new customer", traffic.body()),
        (
            "HTTP POST /api/v1/complaints: existing customer",
            {**traffic.body(), "customer": {"id": customer_id}, "policy_no": policy_no, "claim_no": "CLCOUNT2"},
        ),
    ):
        answer, seen = capture(label, _http_post(world.token, body))
        if answer.status_code != 201:
            raise database.BenchError(f"{label} answered {answer.status_code}: {answer.content[:500]!r}")
        captured.append(seen)
    return captured


def _http_post(token: str, body: dict) -> Callable[[], Any]:
    def post() -> Any:
        # Django's test client skips the request_started handler that a real server runs, and with it the
        # connection health check (a SELECT 1 per request under CONN_HEALTH_CHECKS): run it as the server would.
        close_old_connections()
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            return Client().post(
                "/api/v1/complaints",
                data=json.dumps(body, ensure_ascii=False),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"count-{random.getrandbits(64):x}"},
            )

    return post


def _replay_sample(base_url: str, token: str, sent: list[load.Sent], size: int) -> list[tuple[load.Sent, load.Sent]]:
    created = [s for s in sent if s.status == 201]
    sample = random.Random(5).sample(created, min(size, len(created)))
    return list(zip(sample, load.replay(base_url, token, sample), strict=True))


def verify(
    sent: list[load.Sent], baseline: int, replays: list[tuple[load.Sent, load.Sent]], rows_added_by_replays: int
) -> dict[str, Any]:
    """Nothing lost, nothing duplicated: every 201 is one row with its key, and rows = 201s."""
    created = [s for s in sent if s.status == 201]
    ids = [s.complaint_id for s in created]
    rows = Complaint.objects.count() - baseline
    by_key = dict(
        Complaint.objects.filter(idempotency_key__in=[s.key for s in created]).values_list("idempotency_key", "id")
    )
    mismatched = [s.key for s in created if by_key.get(s.key) != s.complaint_id]
    # A request whose answer never arrived (timeout, reset) may still have been recorded: not lost, but say so.
    unanswered = [s.key for s in sent if s.status == 0]
    recorded_unanswered = Complaint.objects.filter(idempotency_key__in=unanswered).count() if unanswered else 0
    bad_replays = [
        {"key": first.key, "first_id": first.complaint_id, "status": again.status, "id": again.complaint_id}
        for first, again in replays
        if again.status != 200 or again.complaint_id != first.complaint_id
    ]
    ok = (
        rows == len(created) + recorded_unanswered
        and rows_added_by_replays == 0
        and len(set(ids)) == len(ids)
        and not mismatched
        and not bad_replays
    )
    return {
        "ok": ok,
        "responses_201": len(created),
        "rows_created": rows,
        "distinct_ids": len(set(ids)),
        "keys_not_matching_their_row": len(mismatched),
        "unanswered_requests": len(unanswered),
        "unanswered_but_recorded": recorded_unanswered,
        "replayed": len(replays),
        "replays_not_200_same_id": bad_replays[:10],
        "rows_added_by_replays": rows_added_by_replays,
    }
