"""Background work on promises, run by `amends worker` (django-tasks, database-backed by default)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from amends.core import clock
from amends.warning.rules import config

from . import services


@task()
def sweep_promises() -> dict[str, int]:
    """Break every promise past its due time (a reliability failure that opens or joins a case), then warn
    whoever made one that is due soon. Each half is an early-warning rule configuration (`promise_overdue`,
    `promise_due_soon`) that can be switched off; without a configuration row both run."""
    now = clock.now()
    overdue, due_soon = config("promise_overdue"), config("promise_due_soon")
    broken = services.promises_break_overdue(now=now) if overdue is None or overdue.enabled else 0
    minutes = settings.AMENDS_PROMISE_ALERT_MINUTES
    if due_soon is not None:
        minutes = int(due_soon.params.get("lead_minutes", minutes))
    alerted = 0
    if due_soon is None or due_soon.enabled:
        alerted = services.promises_alert_due_soon(now=now, lead=timedelta(minutes=minutes))
    return {"broken": broken, "alerted": alerted}
