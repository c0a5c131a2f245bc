"""Background work of discretion, run by `amends worker`: approvals past their deadline escalate one level."""

from __future__ import annotations

from django_tasks import task

from amends.core import clock

from . import services


@task()
def escalate_approvals() -> dict[str, int]:
    return {"escalated": services.approvals_escalate_overdue(now=clock.now())}
