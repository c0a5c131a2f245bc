"""`amends bench cluster`: complaints through one web node directly, through HAProxy to one node and through
HAProxy to two nodes, in one run on one database; then background work drained by one and by two RQ workers:
text messages to customers, and batches of events (`amends bench events`' claims) stored by the workers with the
on-ingest rules, and the cases the rules' alerts open.

The nodes are real `amends serve` processes started by `amends.assembly.cluster` (the multi-node tests' own
pieces), sharing PostgreSQL and Redis. On one machine the nodes share its cores, so a second node adds
processes, not CPU: the run says what scales here and what does not, it does not predict a second machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Max, Min
from django.test import override_settings

from amends.accounts.models import OrgUnit
from amends.assembly import cluster
from amends.core.management.commands.serve import DEFAULT_SERVER
from amends.intake.models import Complaint
from amends.warning.models import Alert, Event

from . import database, environment, events, load
from .intake import verify
from .intake_data import Traffic, seed
from .server import production_env

DEFAULT_NAME = "amends_bench_cluster"
REDIS_URL = os.environ.get("AMENDS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


@dataclass
class ClusterOptions:
    database_url: str | None = None
    database_name: str = DEFAULT_NAME
    seconds: float = 10.0
    clients: list[int] = field(default_factory=lambda: [1, 8])
    workers: int = 2  # server workers per node
    threads: int = 4
    jobs: int = 2000  # background jobs drained by one, then two RQ workers
    event_batches: int = 6  # batches of events stored by one, then two RQ workers (new events each time)
    event_batch: int = events.BATCH
    event_customers: int = 2000
    warmup: float = 3.0  # seconds of unmeasured load per topology
    drop_after: bool = False


def run_cluster(options: ClusterOptions, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    target = database.resolve(options.database_url, options.database_name, allow_sqlite=True)
    if not target.is_postgres:
        raise database.BenchError("several web nodes share a PostgreSQL server: give --database-url postgres://…")
    missing = cluster.missing_tools()
    if missing:
        raise database.BenchError(f"amends bench cluster needs {', '.join(missing)}: run scripts/cluster-tools.sh")
    progress(f"creating {target.name} and migrating")
    database.recreate(target)
    database.use(target)
    database.migrate()
    world = seed()
    report: dict[str, Any] = {
        "benchmark": "cluster",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": environment.machine(),
        "database": {**environment.database(connection), "name": target.name},
        "nodes": {"server": DEFAULT_SERVER, "workers": options.workers, "threads": options.threads},
    }
    baseline = Complaint.objects.count()
    everything: list[load.Sent] = []
    runs: list[dict[str, Any]] = []
    env = cluster.node_env(production_env(target.url), target.url, REDIS_URL=REDIS_URL)
    env = {**os.environ, **env}
    node = dict(workers=options.workers, threads=options.threads)

    def measure(topology: str, base_url: str) -> None:
        # Unmeasured first: each node's workers load the text model and the caches on their first requests.
        warm = load.drive(
            base_url, world.token, Traffic(world, seed=7), clients=max(options.clients), seconds=options.warmup
        )
        everything.extend(warm.sent)
        for clients in options.clients:
            progress(f"{topology}: {clients} client(s) for {options.seconds:g} s")
            traffic = Traffic(world, seed=clients * 1000 + len(runs))
            result = load.drive(base_url, world.token, traffic, clients=clients, seconds=options.seconds)
            everything.extend(result.sent)
            runs.append({"topology": topology, "load_1m": os.getloadavg()[0], "http": result.as_dict()})

    with (
        tempfile.TemporaryDirectory(prefix="amends-bench-cluster-") as folder,
        cluster.web_node("web1", env, **node) as web1,
    ):
        measure("one node, direct", web1.url)
        for sub in ("one", "two"):
            (Path(folder) / sub).mkdir()
        with cluster.balancer([web1], Path(folder) / "one") as lb:
            measure("HAProxy, one node", lb.url)
        with (
            cluster.web_node("web2", env, **node) as web2,
            cluster.balancer([web1, web2], Path(folder) / "two") as lb,
        ):
            measure("HAProxy, two nodes", lb.url)
    report["runs"] = runs
    report["verification"] = verify(everything, baseline, [], 0)
    progress(f"background work: {options.jobs} jobs on Redis, drained by one worker, then by two")
    report["workers"] = [_drain(env, options.jobs, n) for n in (1, 2)]
    size, batches = options.event_batch, options.event_batches
    progress(f"events on Redis: {batches} batches of {size:,} stored by one worker, then {batches} more by two")
    events.seed_customers(options.event_customers, OrgUnit.objects.get(code="HO").pk)
    now = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=1)
    source = events.EventSource(5, customers=options.event_customers, now=now)
    report["events"] = [_drain_events(env, source, batches, size, n) for n in (1, 2)]
    if options.drop_after:
        database.drop(target)
    return report


RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def _run_workers(env: dict[str, str], workers: int) -> float:
    """`workers` RQ workers (`amends worker --batch`: they stop when the queue is empty); seconds until the last
    stopped, their start included."""
    worker_env = {**env, "AMENDS_TASK_BACKEND": "rq", "AMENDS_SMS_BACKEND": "amends.correspondence.sms.LogBackend"}
    command = [sys.executable, "-m", "amends.cli", "worker", "--batch", "--verbosity", "0"]
    started = time.monotonic()
    running = [
        subprocess.Popen(command, env=worker_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    for process in running:
        process.wait(timeout=1800)
    return time.monotonic() - started


def _drain_events(
    env: dict[str, str], source: events.EventSource, batches: int, size: int, workers: int
) -> dict[str, Any]:
    """Put `batches` new event batches on Redis, then time `workers` RQ workers storing them (the on-ingest rules
    included) and opening the cases the rules' alerts ask for, from the first job's start to the last one's end."""
    import redis
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    from .tasks import ingest_events_batch

    conn = redis.Redis.from_url(REDIS_URL)
    conn.flushdb()
    bodies = [json.dumps({"events": source.batch(size)}, ensure_ascii=False) for _ in range(batches)]
    stored_before, alerts_before = Event.objects.count(), Alert.objects.count()
    linked_before = Alert.objects.filter(case__isnull=False).count()
    with override_settings(TASKS=RQ, RQ_QUEUES={"default": {"URL": REDIS_URL}}):
        for body in bodies:
            ingest_events_batch.enqueue(body=body)
    load_before = os.getloadavg()[0]
    wall = _run_workers(env, workers)
    finished = [j for j in Job.fetch_many(FinishedJobRegistry("default", connection=conn).get_job_ids(), conn) if j]
    failed = FailedJobRegistry("default", connection=conn).count
    started = [j.started_at for j in finished if j.started_at]
    ended = [j.ended_at for j in finished if j.ended_at]
    seconds = (max(ended) - min(started)).total_seconds() if started and ended else None
    stored = Event.objects.count() - stored_before
    count = batches * size
    names = [j.func_name or "" for j in finished]
    conn.flushdb()
    return {
        "workers": workers,
        "batches": batches,
        "events": count,
        "stored": stored,
        "alerts": Alert.objects.count() - alerts_before,
        "cases_opened": Alert.objects.filter(case__isnull=False).count() - linked_before,
        "jobs": {
            "ingest": sum(name.endswith("ingest_events_batch") for name in names),
            "open_cases": sum(name.endswith("open_cases_for_alerts") for name in names),
            "failed": failed,
        },
        "seconds_draining": round(seconds, 2) if seconds else None,
        "seconds_with_start": round(wall, 2),
        "events_per_s": round(stored / seconds, 1) if seconds else None,
        "load_1m": [load_before, os.getloadavg()[0]],
        "ok": stored == count and failed == 0,
    }


def _drain(env: dict[str, str], jobs: int, workers: int) -> dict[str, Any]:
    """Enqueue `jobs` message deliveries on Redis, then time `workers` RQ workers running them to the end."""
    import redis

    from amends.correspondence.models import Message, MessageStatus
    from amends.correspondence.services import message_send
    from amends.recovery.models import Case

    conn = redis.Redis.from_url(REDIS_URL)
    conn.flushdb()
    cases = list(Case.objects.select_related("customer").order_by("pk")[:jobs])
    with override_settings(TASKS=RQ, RQ_QUEUES={"default": {"URL": REDIS_URL}}):
        sent = [
            message_send(actor=None, case=cases[i % len(cases)], body=f"bench {i}", channel="sms").pk
            for i in range(jobs)
        ]
    wall = _run_workers(env, workers)
    done = Message.objects.filter(pk__in=sent, status=MessageStatus.SENT)
    span = done.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    # From the first message sent to the last: the workers' start (Django's, a few seconds) is not drained work.
    seconds = (span["last"] - span["first"]).total_seconds() if span["first"] else None
    count = done.count()
    return {
        "workers": workers,
        "jobs": jobs,
        "sent": count,
        "seconds_draining": round(seconds, 2) if seconds else None,
        "seconds_with_start": round(wall, 2),
        "jobs_per_s": round(count / seconds, 1) if seconds else None,
        "load_1m": os.getloadavg()[0],
    }
