"""`amends worker`: run background tasks and enqueue the scheduled ones on time.

With the database backend (the default) django-tasks-db's worker does the running; with
`AMENDS_TASK_BACKEND=rq` an RQ worker on `REDIS_URL` does. Beside either, a thread takes each scheduled task's
period (`assembly.wiring.schedule()`: the promise, warning and survey sweeps, callbacks, approval escalation,
the report facts) once across every worker running (`core.schedule`), so start as many workers as you need.
"""

from __future__ import annotations

import argparse
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from amends.assembly.wiring import schedule
from amends.core.schedule import run_scheduler


class Command(BaseCommand):
    help = "Run background tasks and enqueue the scheduled ones (sweeps, callbacks, report facts) on time."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit (no scheduling)")
        parser.add_argument("--no-scheduler", action="store_true", help="run tasks only; let other workers schedule")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between looks at the schedule")

    def handle(self, *args: Any, batch: bool, no_scheduler: bool, tick: float, **options: Any) -> None:
        stop = threading.Event()
        if not (batch or no_scheduler):
            threading.Thread(
                target=run_scheduler, args=(stop, schedule(), tick), name="amends-scheduler", daemon=True
            ).start()
        verbosity = options.get("verbosity", 1)
        try:
            if settings.AMENDS_TASK_BACKEND == "rq":
                # SimpleWorker runs each job in this process: RQ's default forks a child per job, which would
                # inherit the scheduler thread's open database connection.
                call_command(
                    "rqworker",
                    "default",
                    worker_class="rq.worker.SimpleWorker",
                    job_class="django_tasks_rq.Job",
                    burst=batch,
                    verbosity=verbosity,
                )
            else:
                call_command("db_worker", batch=batch, verbosity=verbosity)
        finally:
            stop.set()
