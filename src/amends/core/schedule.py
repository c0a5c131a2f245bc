"""Time-based background work: how a task runs every so often. `amends worker` enqueues each entry of the
schedule (`assembly.wiring.schedule()`, which lists every app's tasks) when it is due, unless one is already
waiting or running.

Kept deliberately small: fixed intervals and one pending run at most per task, which is all the sweeps
need (a sweep that finds nothing costs one indexed query). The schedule is read by the worker only.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import close_old_connections

from . import clock

log = logging.getLogger(__name__)


@dataclass
class Entry:
    task: Any  # a django_tasks Task
    every: timedelta
    last: datetime | None = field(default=None)

    @property
    def path(self) -> str:
        return f"{self.task.func.__module__}.{self.task.func.__qualname__}"


def pending(path: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=path, status__in=["READY", "RUNNING"]).exists()


def enqueue_due(now: datetime, entries: list[Entry]) -> list[str]:
    """Enqueue each scheduled task whose interval has passed; returns the paths enqueued."""
    done = []
    for entry in entries:
        if entry.last is not None and now - entry.last < entry.every:
            continue
        entry.last = now
        if pending(entry.path):
            continue
        entry.task.enqueue()
        done.append(entry.path)
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
