"""`amends worker`: run background tasks (django-tasks-db) and enqueue the scheduled ones on time.

The database worker of django-tasks-db does the running; a thread beside it enqueues what the schedule
(`assembly.wiring.schedule()`: the promise, warning and survey sweeps, callbacks, approval escalation, the
report facts) says is due. Options are the database worker's.
"""

from __future__ import annotations

import threading
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from amends.assembly.wiring import schedule
from amends.core.schedule import run_scheduler


class Command(DatabaseWorker):
    help = "Run background tasks and enqueue the scheduled ones (the overdue-promise sweep…) on time."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        scheduler = threading.Thread(
            target=run_scheduler, args=(stop, schedule()), name="amends-scheduler", daemon=True
        )
        if not options.get("batch"):
            scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
