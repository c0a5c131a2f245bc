"""Background work on promises, run by `amends worker` (django-tasks, database-backed by default)."""

from __future__ import annotations

from django_tasks import task

from amends.core import clock

from . import services


@task()
def sweep_overdue_promises() -> int:
    """Break every promise past its due time (a reliability failure that opens or joins a case)."""
    return services.promises_break_overdue(now=clock.now())
