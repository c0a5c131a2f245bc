"""The worker's schedule: each task once per period, however many workers schedule it — in one process, and
with three real `amends worker` processes on the database queue and on Redis."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from amends.assembly import wiring
from amends.assembly.testing import at
from amends.core import schedule
from amends.core.models import ScheduledRun
from amends.promises.tasks import sweep_promises

DB_TASKS = {"default": {"BACKEND": "amends.core.task_queue.DatabaseQueue"}}
SWEEPS = {
    "sweep_promises",
    "sweep_rules",
    "sweep_surveys",
    "sample_callbacks",
    "escalate_approvals",
    "bring_facts_up_to_date",
    "retry_messages",
    "clean_orphan_files",
    "send_digests",
    "purge_throttles",
}
# Once a day or an hour: one period in a run of a test (two if it crosses the hour).
LONG_PERIODS = {"clean_orphan_files", "send_digests", "purge_throttles"}


def test_every_sweep_is_on_the_schedule_once():
    paths = [e.path for e in wiring.schedule()]
    assert sorted(paths) == sorted(set(paths))
    assert {p.rsplit(".", 1)[1] for p in paths} == SWEEPS


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_period_is_enqueued_once_however_many_schedulers_look():
    t0 = at("2026-11-02 10:00")
    mine, theirs = (
        schedule.Entry(sweep_promises, timedelta(minutes=1)),
        schedule.Entry(sweep_promises, timedelta(minutes=1)),
    )
    assert schedule.enqueue_due(t0, [mine]) == [mine.path]
    assert schedule.enqueue_due(t0 + timedelta(seconds=5), [theirs]) == []  # another worker, same period
    assert schedule.enqueue_due(t0 + timedelta(seconds=30), [mine]) == []  # same period again
    assert schedule.enqueue_due(t0 + timedelta(seconds=61), [theirs]) == [theirs.path]  # the next period
    assert DBTaskResult.objects.filter(task_path=mine.path).count() == 2
    assert ScheduledRun.objects.filter(task=mine.path).count() == 2


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_claims_older_than_a_day_are_pruned_as_new_ones_are_taken():
    t0 = at("2026-11-02 10:00")
    schedule.enqueue_due(t0, [schedule.Entry(sweep_promises, timedelta(minutes=1))])
    schedule.enqueue_due(t0 + timedelta(days=2), [schedule.Entry(sweep_promises, timedelta(minutes=1))])
    assert list(ScheduledRun.objects.values_list("enqueued_at", flat=True)) == [t0 + timedelta(days=2)]


INTERVAL = 3  # seconds, for every sweep in the three-worker runs


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _run_three_workers(extra_env: dict[str, str], seconds: float) -> list[str]:
    env = {
        **os.environ,
        "AMENDS_MODE": "dev",
        "DATABASE_URL": _database_url(),
        **{
            name: str(INTERVAL)
            for name in (
                "AMENDS_PROMISE_SWEEP_SECONDS",
                "AMENDS_WARNING_SWEEP_SECONDS",
                "AMENDS_SURVEY_SWEEP_SECONDS",
                "AMENDS_CALLBACK_SAMPLE_SECONDS",
                "AMENDS_APPROVAL_SWEEP_SECONDS",
                "AMENDS_FACTS_REFRESH_SECONDS",
                "AMENDS_MESSAGE_SWEEP_SECONDS",
            )
        },
        **extra_env,
    }
    command = [sys.executable, "-m", "amends.cli", "worker", "--tick", "0.2", "--verbosity", "0"]
    workers = [subprocess.Popen(command, env=env, start_new_session=True) for _ in range(3)]
    try:
        # Let them run `seconds` once at least two of them schedule: starting Django takes a while on a busy
        # machine, and a worker that has not started yet cannot compete for a period.
        started = time.monotonic()
        while len(_takers()) < 2 and time.monotonic() - started < 90:
            time.sleep(0.2)
        time.sleep(seconds)
    finally:
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)  # a warm stop: the job in hand finishes
        for w in workers:
            try:
                w.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(w.pid, signal.SIGKILL)
                w.wait(timeout=10)
    # A period taken just before the stop may still be queued: one worker drains the queue, scheduling nothing.
    subprocess.run([*command, "--batch"], env=env, check=True, timeout=300)
    return [str(w.pid) for w in workers]


def _claims() -> collections.Counter[str]:
    return collections.Counter(p.rsplit(".", 1)[1] for p in ScheduledRun.objects.values_list("task", flat=True))


def _takers() -> set[str]:
    return {by.rsplit(":", 1)[1] for by in ScheduledRun.objects.values_list("by", flat=True)}


def _assert_each_period_ran_once(ran: collections.Counter[str], pids: list[str]) -> None:
    claims = _claims()
    assert set(claims) == SWEEPS, claims
    assert min(n for task, n in claims.items() if task not in LONG_PERIODS) >= 2, claims  # several periods
    assert all(claims[task] <= 2 for task in LONG_PERIODS), claims  # and a long one once, however many workers
    # One run per period taken, none twice. The period a worker claimed as it was being stopped may have no run
    # (stopped between its claim and its job): a sweep catches up in the next period, so at most one is missed.
    assert set(ran) <= set(claims) and all(ran[task] <= claims[task] for task in claims), (ran, claims)
    assert all(ran[task] >= claims[task] - 1 for task in claims), (ran, claims)
    takers = _takers()
    assert takers <= set(pids) and len(takers) >= 2  # several workers were scheduling all along


@pytest.mark.django_db(transaction=True)
def test_three_workers_on_the_database_queue_run_each_task_once_per_period():
    pids = _run_three_workers({"AMENDS_TASK_BACKEND": "db"}, seconds=7)
    results = DBTaskResult.objects.filter(status="SUCCESSFUL").values_list("task_path", flat=True)
    _assert_each_period_ran_once(collections.Counter(p.rsplit(".", 1)[1] for p in results), pids)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="workers on Redis need a shared database: PostgreSQL")
def test_three_workers_on_redis_run_each_task_once_per_period():
    redis = pytest.importorskip("redis", reason="the rq extra is installed by the README's setup")
    from rq import Queue
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    url = os.environ.get("AMENDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    conn = redis.Redis.from_url(url)
    conn.flushdb()
    pids = _run_three_workers({"AMENDS_TASK_BACKEND": "rq", "REDIS_URL": url}, seconds=7)
    queue = Queue("default", connection=conn)
    assert FailedJobRegistry(queue=queue).get_job_ids() == []
    jobs = Job.fetch_many(FinishedJobRegistry(queue=queue).get_job_ids(), connection=conn)
    ran = collections.Counter(job.func_name.rsplit(".", 1)[1] for job in jobs if job is not None)
    conn.flushdb()
    _assert_each_period_ran_once(ran, pids)
