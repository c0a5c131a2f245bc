"""`amends bench events`: batches of 10,000 events through `POST /api/v1/events` on a real application server,
beside PostgreSQL's own `COPY` of the same rows into a table of the same shape, measured in the same run.

A fresh bench database is migrated and given customers and an integration token. The events are generated
before any clock starts: whole auto claims from report to payment, with calls in between, mostly on time and
consistent, so the on-ingest rules do their real work (queries over each batch's claims) and raise alerts at
a plausible rate (late arrivals, missing salvage parts, repeated calls). Then the server is driven with each
client count, every batch being new events. The reference COPYs the same rows, pre-formatted, into
`bench_event_copy` (`LIKE warning_event INCLUDING ALL`: the same columns, key and indexes). The run ends by
checking the stored rows and re-sending one batch, which must come back as 10,000 duplicates. The load
average of the machine (other people's work included) is reported before and after.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import psycopg
from django.db import connection

from amends.accounts.models import OrgKind, Role
from amends.accounts.tokens import token_issue
from amends.assembly import world
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.warning.models import Alert, Event

from . import database, environment
from .server import AppServer, ServerConfig, production_env
from .stats import summarize

DEFAULT_NAME = "amends_bench_events"
BATCH = 10_000
COLUMNS = "event_id, type, occurred_at, received_at, customer_ref, policy_no, claim_no, touchpoint, attributes"
PARTS = ["前保险杠", "后保险杠", "左前大灯", "右后视镜", "尾灯总成"]


@dataclass
class EventsOptions:
    database_url: str | None = None
    database_name: str = DEFAULT_NAME
    allow_sqlite: bool = False
    batches: int = 20  # per client count
    clients: list[int] = field(default_factory=lambda: [1, 2])
    server: ServerConfig = field(default_factory=lambda: ServerConfig.shipped())
    customers: int = 5_000
    drop_after: bool = False


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def claim_events(rng: random.Random, claim: int, *, customers: int, now: datetime) -> list[dict[str, Any]]:
    """One auto claim as the claims and call-centre systems report it, from the report to the payment. Mostly
    on time and consistent, with the small share of late arrivals, missing salvage parts, repeated calls
    and late payments that the rules are there to catch (about one alert per thousand events)."""
    customer = f"B{claim % customers:07d}"
    number = f"CLB{claim:08d}"
    t0 = now - timedelta(days=rng.uniform(14, 40))  # the latest step is 310 h (~13 days) in
    salvage = rng.sample(PARTS, 2)
    listed = salvage if rng.random() > 0.002 else salvage[:1]
    steps: list[tuple[str, str, float, dict[str, Any]]] = [
        ("claim.reported", "auto_claim.report", 0, {"channel": rng.choice(["hotline", "app"])}),
        ("assessor.appointment_set", "auto_claim.assessment", 0.5, {"assessor": f"S{rng.randrange(400):03d}"}),
        ("assessor.arrived", "auto_claim.assessment", rng.uniform(2, 20) if rng.random() > 0.003 else 30, {}),
        ("parts_list.issued", "auto_claim.salvage", 26, {"parts": PARTS[:3], "salvage_parts": listed}),
        ("salvage.required", "auto_claim.salvage", 27, {"part": salvage[1], "amount": "200.00"}),
        ("documents.complete", "auto_claim.documents", 50, {}),
        ("claim.paid", "auto_claim.payment", 50 + (rng.uniform(24, 200) if rng.random() > 0.003 else 260), {}),
    ]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        steps.append(("contact.inbound", "auto_claim.documents", rng.uniform(1, 240), {"channel": "hotline"}))
    out = []
    for n, (kind, touchpoint, hours, attributes) in enumerate(steps):
        out.append(
            {
                "event_id": f"bench-{claim:08d}-{n}",
                "type": kind,
                "occurred_at": (t0 + timedelta(hours=hours)).isoformat(),
                "customer_ref": customer,
                "claim_no": number,
                "touchpoint": touchpoint,
                "attributes": {**attributes, "operator": f"U{rng.randrange(900):03d}"},
            }
        )
    return out


class EventSource:
    """Claims one after another, cut into batches: a batch holds whole claims and the start of the next."""

    def __init__(self, seed: int, *, customers: int, now: datetime, first_claim: int = 0) -> None:
        self.rng, self.customers, self.now = random.Random(seed), customers, now
        self.claim = first_claim
        self.pending: list[dict[str, Any]] = []

    def batch(self, size: int = BATCH) -> list[dict[str, Any]]:
        while len(self.pending) < size:
            self.pending += claim_events(self.rng, self.claim, customers=self.customers, now=self.now)
            self.claim += 1
        out, self.pending = self.pending[:size], self.pending[size:]
        return out


def _copy_text(events: list[dict], received: str) -> bytes:
    """The same rows in COPY's text format (built before the clock starts)."""

    def esc(value: str) -> str:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    lines = []
    for e in events:
        attributes = json.dumps(e.get("attributes", {}), ensure_ascii=False)
        fields = (
            e["event_id"],
            e["type"],
            e["occurred_at"],
            received,
            e.get("customer_ref", ""),
            e.get("policy_no", ""),
            e.get("claim_no", ""),
            e.get("touchpoint", ""),
            attributes,
        )
        lines.append("\t".join(esc(f) for f in fields))
    return ("\n".join(lines) + "\n").encode()


def _seed(customers: int) -> str:
    """Customers the events name (so the rules resolve them), an org tree, and an integration token."""
    catalogue.load(Journey, Touchpoint)
    head = world.units([world.UnitSpec("HO", "总公司", OrgKind.HEAD_OFFICE, None, "总公司")])["HO"]
    seed_customers(customers, head.pk)
    integration = world.StaffSpec("integration", "理赔系统接口", Role.ADMIN, head.code)
    user = world.staff([integration], password=None)["integration"]
    return token_issue(actor=None, user=user)


def seed_customers(customers: int, unit_id: int) -> None:
    """The customers the events name (`B0000000`…), so that the rules resolve them, in the unit `unit_id`."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    value = Decimal("3000.00")
    world.customers(world.CustomerSpec(f"B{i:07d}", f"客户{i}", unit_id, now, value=value) for i in range(customers))


async def _post_all(url: str, token: str, bodies: list[bytes], clients: int) -> tuple[float, list[float], list[dict]]:
    queue = list(enumerate(bodies))
    answers: list[dict] = [{} for _ in bodies]
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=300)) as session:

        async def client() -> None:
            while queue:
                i, body = queue.pop(0)
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as answer:
                    payload = await answer.json(content_type=None)
                    answers[i] = {"status": answer.status, **payload}
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return time.perf_counter() - started, latencies, answers


def post_all(url: str, token: str, bodies: list[bytes], clients: int) -> tuple[float, list[float], list[dict]]:
    return asyncio.run(_post_all(url, token, bodies, clients))


def copy_reference(target: database.Target, payloads: list[bytes]) -> float:
    """Seconds PostgreSQL takes to COPY the pre-formatted rows, batch by batch, each batch its own commit."""
    with psycopg.connect(target.url.replace("postgresql://", "postgres://", 1), autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_event_copy")
        conn.execute("CREATE TABLE bench_event_copy (LIKE warning_event INCLUDING ALL)")
        started = time.perf_counter()
        for payload in payloads:
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy(f"COPY bench_event_copy ({COLUMNS}) FROM STDIN") as cp,
            ):
                cp.write(payload)
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_event_copy")
    return elapsed


def run_events(options: EventsOptions, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    target = database.resolve(options.database_url, options.database_name, allow_sqlite=options.allow_sqlite)
    progress(f"creating {target.name} and migrating")
    database.recreate(target)
    database.use(target)
    database.migrate()
    token = _seed(options.customers)
    report: dict[str, Any] = {
        "benchmark": "events",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": environment.machine(),
        "database": {**environment.database(connection), "name": target.name},
        "server": options.server.as_dict(),
        "batch": BATCH,
        "load_average_before": load_average(),
    }
    now = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=1)
    source = EventSource(5, customers=options.customers, now=now)
    runs = []
    sent_total = 0
    first_body = b""
    progress(f"starting {options.server.describe()}")
    with AppServer(options.server, production_env(target.url)) as server:
        url = server.base_url + "/api/v1/events"
        warm = EventSource(6, customers=options.customers, now=now, first_claim=10**7).batch(2000)
        post_all(url, token, [json.dumps({"events": warm}, ensure_ascii=False).encode()], 1)
        for clients in options.clients:
            progress(f"generating {options.batches} batches of {BATCH:,} events")
            batches = [source.batch() for _ in range(options.batches)]
            bodies = [json.dumps({"events": b}, ensure_ascii=False).encode() for b in batches]
            first_body = first_body or bodies[0]
            progress(f"POST /api/v1/events: {clients} client(s), {len(bodies)} batches")
            load_before = load_average()
            elapsed, latencies, answers = post_all(url, token, bodies, clients)
            accepted = sum(a.get("accepted", 0) for a in answers)
            errors = [a for a in answers if a.get("status") != 200]
            events = len(bodies) * BATCH
            run: dict[str, Any] = {
                "clients": clients,
                "events": events,
                "accepted": accepted,
                "errors": len(errors),
                "error_sample": errors[:2],
                "seconds": round(elapsed, 3),
                "events_per_s": round(events / elapsed, 1),
                "batch_latency": summarize(latencies).as_dict(),
                "load_average": [load_before, load_average()],
            }
            if target.is_postgres:
                progress(f"COPY of the same {events:,} rows")
                received = now.isoformat()
                payloads = [_copy_text(b, received) for b in batches]
                load_before = load_average()
                copy_seconds = copy_reference(target, payloads)
                run["copy"] = {
                    "seconds": round(copy_seconds, 3),
                    "rows_per_s": round(events / copy_seconds, 1),
                    "load_average": [load_before, load_average()],
                }
                run["ratio_to_copy"] = round((events / elapsed) / (events / copy_seconds), 4)
            runs.append(run)
            sent_total += events
        progress("re-sending one batch: every event must come back as a duplicate")
        _elapsed, _lat, replay = post_all(url, token, [first_body], 1)
    stored = Event.objects.filter(event_id__lt=f"bench-{10**7:08d}").count()
    report["runs"] = runs
    report["verification"] = {
        "sent": sent_total,
        "stored": stored,
        "replay": {k: replay[0].get(k) for k in ("status", "accepted", "duplicates")},
        "alerts_raised": Alert.objects.count(),
        "ok": stored == sent_total and replay[0].get("duplicates") == BATCH and replay[0].get("accepted") == 0,
    }
    report["load_average_after"] = load_average()
    if options.drop_after:
        database.drop(target)
    return report
