"""Background work on promises, run by `amends worker` (django-tasks, database-backed by default)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from amends.core import clock

from . import services


@task()
def sweep_promises() -> dict[str, int]:
    """Break every promise past its due time (a reliability failure that opens or joins a case), then warn
    whoever made one that is due soon."""
    now = clock.now()
    broken = services.promises_break_overdue(now=now)
    lead = timedelta(minutes=settings.AMENDS_PROMISE_ALERT_MINUTES)
    return {"broken": broken, "alerted": services.promises_alert_due_soon(now=now, lead=lead)}
