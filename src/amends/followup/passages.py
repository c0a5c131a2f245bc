"""Who passed a touchpoint recently without complaining: the population the daily callback sample draws from.

One function, `passages`, so its source can change without touching the sampling: today it reads the
policies that started in the window (a sale, or a renewal for a customer who already had cover), since
that is what the data holds; when the warning app's events land it will read `claim.paid`,
`policy.renewed`… events instead. Customers with a case opened in the window are left out: they have been
heard, and their follow-up is the survey's.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from amends.customers.models import Policy
from amends.journeys.queries import touchpoint_by_code
from amends.recovery.models import Case

from .models import Callback
from .rules import Passage

SALE, RENEWAL = "sale.delivery", "renewal.payment"


def passages(*, since: datetime, until: datetime) -> list[Passage]:
    first, last = timezone.localdate(since), timezone.localdate(until)
    heard = Case.objects.filter(customer_id=OuterRef("customer_id"), opened_at__gte=since)
    called = Callback.objects.filter(customer_id=OuterRef("customer_id"), status="open")
    rows = (
        Policy.objects.filter(start_date__gte=first, start_date__lte=last)
        .exclude(Exists(heard))
        .exclude(Exists(called))
        .annotate(since=F("customer__since"))
        .values_list("pk", "customer_id", "start_date", "since")
        .order_by("pk")
    )
    tz = timezone.get_current_timezone()
    out = []
    for pk, customer_id, start, customer_since in rows:
        code = RENEWAL if customer_since is not None and customer_since < start else SALE
        tp = touchpoint_by_code(code)
        out.append(
            Passage(
                ref=f"policy:{pk}:{start:%Y%m%d}",
                customer_id=customer_id,
                touchpoint=code,
                criticality=tp.criticality if tp else 3,
                at=datetime.combine(start, datetime.min.time(), tzinfo=tz),
            )
        )
    return out
