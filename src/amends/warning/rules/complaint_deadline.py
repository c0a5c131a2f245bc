"""Complaint deadline at risk: an undecided complaint whose regulatory deadline (intake's clock: 15 days,
extendable to 30 and +30) is within `warn_days` (3), or already past (critical). Clears when the complaint
is decided.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from amends.core.texts import Message
from amends.intake.models import Complaint
from amends.recovery.models import reference

from ..models import RuleConfig, Severity
from . import Rule, Signal, register


@register
class ComplaintDeadline(Rule):
    code = "complaint_deadline"
    on_schedule = True
    clears = True
    dimension, gap = "standards", 3

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        warn = timedelta(days=float(self.param(config, "warn_days", 3)))
        due = (
            # A paused clock (outside appraisal) is not running towards its deadline.
            Complaint.objects.filter(decided_at__isnull=True, paused_at__isnull=True, due_at__lte=now + warn)
            .order_by("due_at", "pk")
            .values_list(
                "pk", "received_at", "due_at", "customer_id", "case_id", "case__org_unit_id", "touchpoint__code"
            )
        )
        signals = []
        for pk, received_at, due_at, customer_id, case_id, unit, touchpoint in due:
            overdue = due_at <= now
            values = {
                "ref": reference("TS", received_at, pk),
                "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
            }
            signals.append(
                Signal(
                    subject_type="complaint",
                    subject_id=str(pk),
                    title=Message(
                        gettext_noop("Complaint %(ref)s is past its regulatory deadline (%(due)s)")
                        if overdue
                        else gettext_noop("Complaint %(ref)s must be decided by %(due)s"),
                        **values,
                    ),
                    severity=Severity.CRITICAL if overdue else None,
                    customer_id=customer_id,
                    case_id=case_id,
                    org_unit_id=unit,
                    touchpoint=touchpoint or "",
                    detail={"complaint": pk, "due_at": timezone.localtime(due_at).isoformat(), "overdue": overdue},
                )
            )
        return signals
