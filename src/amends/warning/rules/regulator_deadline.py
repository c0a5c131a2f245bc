"""Regulator transfer feedback due: a complaint transferred by the regulator (12378 / 监管转办) whose feedback to
the regulator is not yet recorded and whose regulator deadline is within `warn_days` (default
AMENDS_REGULATOR_WARN_DAYS), or already past (critical). Clears when the feedback is recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_noop

from amends.intake.models import Channel, Complaint

from ..models import RuleConfig
from . import Rule, Signal, register
from .deadlines import deadline_signal


@register
class RegulatorDeadline(Rule):
    code = "regulator_deadline"
    on_schedule = True
    clears = True
    dimension, gap = "standards", 3

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        warn = timedelta(days=float(self.param(config, "warn_days", settings.AMENDS_REGULATOR_WARN_DAYS)))
        owed = (
            Complaint.objects.filter(
                channel=Channel.REGULATOR, regulator_feedback_at__isnull=True, regulator_due_at__lte=now + warn
            )
            .order_by("regulator_due_at", "pk")
            .values_list(
                "pk", "received_at", "regulator_ref", "regulator_due_at", "customer_id", "case_id", "case__org_unit_id"
            )
        )
        return [
            deadline_signal(
                complaint_id=pk,
                received_at=received_at,
                due_at=due_at,
                now=now,
                past_due=gettext_noop(
                    "Feedback to the regulator on %(ref)s (transfer %(transfer)s) is past due (%(due)s)"
                ),
                due_by=gettext_noop("Feedback to the regulator on %(ref)s (transfer %(transfer)s) is due by %(due)s"),
                values={"transfer": transfer or "—"},
                detail={"transfer": transfer},
                customer_id=customer_id,
                case_id=case_id,
                org_unit_id=unit,
                is_failure=False,
            )
            for pk, received_at, transfer, due_at, customer_id, case_id, unit in owed
            if due_at is not None  # the filter excludes it; for the type checker
        ]
