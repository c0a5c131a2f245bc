"""High value at risk: a key account or a high-premium customer with an open failure (an open case) and a
policy up for renewal within `renewal_days` (60). The renewal is where an unrecovered failure costs the
most. Params: `premium_at_least` (10,000 yuan), `segments` (["key_account"]). Clears when the case closes
or the renewal passes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from amends.core.texts import Message
from amends.customers.models import Policy, PolicyStatus
from amends.recovery.models import IS_OPEN, Case

from ..models import RuleConfig
from . import Rule, Signal, register


@register
class HighValueAtRisk(Rule):
    code = "high_value"
    on_schedule = True
    clears = True

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        today = timezone.localtime(now).date()
        horizon = today + timedelta(days=int(self.param(config, "renewal_days", 60)))
        premium = Decimal(str(self.param(config, "premium_at_least", "10000")))
        segments = list(self.param(config, "segments", ["key_account"]))
        open_case = Case.objects.filter(IS_OPEN, customer_id=OuterRef("customer_id"))
        policies = (
            Policy.objects.filter(status=PolicyStatus.ACTIVE, end_date__gte=today, end_date__lte=horizon)
            .filter(Q(customer__segment__in=segments) | Q(premium__gte=premium))
            .filter(Exists(open_case))
            .select_related("customer")
            .order_by("end_date", "pk")
        )
        cases = dict(
            Case.objects.filter(IS_OPEN, customer_id__in=policies.values("customer_id"))
            .order_by("opened_at")
            .values_list("customer_id", "pk")
        )
        return [
            Signal(
                subject_type="policy",
                subject_id=p.policy_no,
                title=Message(
                    gettext_noop("%(customer)s renews %(policy)s on %(date)s with an open failure"),
                    customer=p.customer.name,
                    policy=p.policy_no,
                    date=p.end_date.isoformat(),
                ),
                customer_id=p.customer_id,
                case_id=cases.get(p.customer_id),
                detail={"policy_no": p.policy_no, "renewal": p.end_date.isoformat(), "premium": f"{p.premium:.2f}"},
            )
            for p in policies
        ]
