"""The database task queue (django-tasks-db), whose task rows join the writes a `core.batch.collect` block holds.

A complaint's receipt enqueues its delivery task inside intake's transaction; with the stock backend the task's
row was an INSERT of its own (a statement, and the ORM's create path, per complaint). Here it is held with the
complaint's other rows and written in their one statement; outside a block it is written at once, as before.
The row is built exactly as django-tasks-db builds it (`_task_to_db_task`; a test fails if that moves).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import signals
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json

from . import batch


class DatabaseQueue(DatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult

        row: Any = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        # What saving it would do first (the library fills a missing run_after in a pre_save handler).
        signals.pre_save.send(sender=DBTaskResult, instance=row, raw=False, using=DEFAULT_DB_ALIAS, update_fields=None)
        batch.add(row)
        return row
