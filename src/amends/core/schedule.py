"""Time-based background work: how a task runs every so often. Every `amends worker` runs a scheduler thread
over the schedule (`assembly.wiring.schedule()`, which lists every app's tasks); each task runs once per
period however many workers (and machines) do: a period is the interval counted from the epoch, and the
worker that first inserts (task, period) into `ScheduledRun` enqueues it — the others find the row taken.

Kept deliberately small: fixed intervals, the sweeps are written to be safe if a slow run overlaps the next
one (each locks what it changes), and a sweep that finds nothing costs one indexed query.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction

from . import clock
from .models import ScheduledRun

log = logging.getLogger(__name__)


@dataclass
class Entry:
    task: Any  # a django_tasks Task
    every: timedelta
    last: int | None = field(default=None)  # the last period this scheduler looked at

    @property
    def path(self) -> str:
        return f"{self.task.func.__module__}.{self.task.func.__qualname__}"


WORKER = f"{socket.gethostname()}:{os.getpid()}"
# Claims older than this are pruned as new ones are taken (they only guard their own period).
KEEP = timedelta(days=1)


def period_of(entry: Entry, now: datetime) -> int:
    return int(now.timestamp() // entry.every.total_seconds())


def _queue_is_the_database(task: Any) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def claim(entry: Entry, now: datetime) -> bool:
    """Whether this scheduler is the first to take the entry's current period (and so must enqueue it)."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(task=entry.path, period=period_of(entry, now), enqueued_at=now, by=WORKER)
    except IntegrityError:
        return False
    return True


def enqueue_due(now: datetime, entries: list[Entry]) -> list[str]:
    """Enqueue each scheduled task whose current period no scheduler has claimed yet; returns the paths enqueued.
    Where the queue is the database the claim and the task commit together; on Redis the task is queued once
    the claim has committed, so a crash in between skips that one period rather than running it twice."""
    done = []
    for entry in entries:
        period = period_of(entry, now)
        if entry.last == period:
            continue  # this scheduler has seen the period already (claimed it, or found it taken)
        entry.last = period
        with transaction.atomic():
            if not claim(entry, now):
                continue
            if _queue_is_the_database(entry.task):
                entry.task.enqueue()
            else:
                transaction.on_commit(entry.task.enqueue, robust=True)
        done.append(entry.path)
    if done:
        ScheduledRun.objects.filter(enqueued_at__lt=now - KEEP).delete()
    return done


def run_scheduler(stop: threading.Event, entries: list[Entry], tick: float = 5.0) -> None:
    """The worker's scheduling thread: wake every `tick` seconds until `stop` is set."""
    while not stop.is_set():
        try:
            for path in enqueue_due(clock.now(), entries):
                log.info("scheduled %s", path)
        except Exception:  # a database hiccup must not end scheduling; the next tick tries again
            log.exception("scheduling failed")
        finally:
            close_old_connections()
        stop.wait(tick)
