"""Background work of early warning, run by `amends worker`: the scheduled rules' sweep, and the failures and
cases that rules configured with `opens_case` open for their new alerts."""

from __future__ import annotations

from django_tasks import task

from amends.core import clock


@task()
def sweep_rules() -> dict[str, int]:
    """Run every enabled scheduled rule once; alerts raised per rule configuration."""
    from .rules.runner import run_scheduled

    return run_scheduled(now=clock.now())


@task()
def open_cases_for_alerts(alert_ids: list[int]) -> int:
    """Record the failure and open or join the case of each alert (with the playbook), unless someone did
    already. Enqueued in the transaction that raised the alerts, so it exists exactly when they do; kept out
    of that transaction because opening a case costs twenty-odd statements and an ingest batch must not."""
    from django.db import transaction

    from .models import Alert, AlertStatus
    from .services.playbooks import case_from_alert

    opened = 0
    for pk in alert_ids:
        with transaction.atomic():
            alert = Alert.objects.select_for_update().filter(pk=pk).first()
            if alert is None or alert.case_id is not None or alert.status == AlertStatus.RESOLVED:
                continue
            if alert.customer_id is None:
                continue
            opened += case_from_alert(alert, actor=None, at=clock.now()) is not None
    return opened
