"""Repeat failure: a customer's second service failure within `window_days` (90) — the double deviation risk
(二次失误): a customer failed twice forgives far less. The alert raises the customer's open case to high
priority. Swept over failures recorded in the last `recent_hours` (48); one alert per newest failure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.utils.translation import gettext_noop

from amends.core.texts import Message
from amends.recovery.models import IS_OPEN, Case, Failure

from ..models import RuleConfig
from . import Rule, Signal, register


@register
class RepeatFailure(Rule):
    code = "repeat_failure"
    on_schedule = True

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        window = timedelta(days=float(self.param(config, "window_days", 90)))
        recent = timedelta(hours=float(self.param(config, "recent_hours", 48)))
        repeated = (
            Failure.objects.filter(occurred_at__gte=now - window, occurred_at__lte=now)
            .values("customer_id")
            .annotate(n=Count("id"), last=Max("occurred_at"), last_id=Max("id"))
            .filter(n__gte=2, last__gte=now - recent)
        )
        rows = list(repeated)
        if not rows:
            return []
        open_cases: dict[int, int] = {}
        for case_id, customer_id in (
            Case.objects.filter(IS_OPEN, customer_id__in=[r["customer_id"] for r in rows])
            .order_by("opened_at")
            .values_list("pk", "customer_id")
        ):
            open_cases[customer_id] = case_id  # the newest open case wins
        return [
            Signal(
                subject_type="customer",
                subject_id=f"{r['customer_id']}:{r['last_id']}",
                title=Message(
                    gettext_noop(
                        "%(n)s service failures in %(days)s days for the same customer: double deviation risk"
                    ),
                    n=r["n"],
                    days=window.days,
                ),
                customer_id=r["customer_id"],
                case_id=open_cases.get(r["customer_id"]),
                detail={"failures": r["n"], "window_days": window.days},
                raise_priority=True,
            )
            for r in rows
        ]
