"""Complaint deadline at risk: an undecided complaint whose regulatory deadline (intake's clock: 15 days,
extendable to 30 and +30) is within `warn_days` (3), or already past (critical). Clears when the complaint
is decided.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext_noop

from amends.intake.models import Complaint

from ..models import RuleConfig
from . import Rule, Signal, register
from .deadlines import deadline_signal


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
        return [
            deadline_signal(
                complaint_id=pk,
                received_at=received_at,
                due_at=due_at,
                now=now,
                past_due=gettext_noop("Complaint %(ref)s is past its regulatory deadline (%(due)s)"),
                due_by=gettext_noop("Complaint %(ref)s must be decided by %(due)s"),
                customer_id=customer_id,
                case_id=case_id,
                org_unit_id=unit,
                touchpoint=touchpoint or "",
            )
            for pk, received_at, due_at, customer_id, case_id, unit, touchpoint in due
        ]
