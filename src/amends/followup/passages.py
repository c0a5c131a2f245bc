"""Who passed a touchpoint recently without complaining: the population the daily callback sample draws from.

One function, `passages`, so the sampling never cares where passages come from. Two sources: the events
other systems send (`warning.queries.customers_who_passed`, per touchpoint: a claim paid, an assessment
done…), and the policies that started in the window (a sale, or a renewal for a customer who already had
cover), which the policy data holds even where no event is sent. Customers with a case opened in the
window are left out: they have been heard, and their follow-up is the survey's. The sample takes each
customer once, whichever source named them.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from amends.customers.models import Customer, Policy
from amends.journeys.queries import touchpoint_by_code, touchpoints_by_id
from amends.recovery.models import Case
from amends.warning.queries import customers_who_passed

from .models import Callback
from .rules import Passage

SALE, RENEWAL = "sale.delivery", "renewal.payment"
# Per touchpoint, the most recent customers the events name; the sample draws from far fewer.
PER_TOUCHPOINT = 5000


def passages(*, since: datetime, until: datetime) -> list[Passage]:
    return _from_events(since, until) + _from_policies(since, until)


def _not_heard(customer_ids: set[int], since: datetime) -> set[int]:
    heard = set(
        Case.objects.filter(customer_id__in=customer_ids, opened_at__gte=since).values_list("customer_id", flat=True)
    )
    called = set(
        Callback.objects.filter(customer_id__in=customer_ids, status="open").values_list("customer_id", flat=True)
    )
    return customer_ids - heard - called


def _from_events(since: datetime, until: datetime) -> list[Passage]:
    found = []
    for tp in touchpoints_by_id().values():
        if tp.active:
            for p in customers_who_passed(tp.code, since=since, until=until, limit=PER_TOUCHPOINT):
                found.append((tp, p))
    if not found:
        return []
    by_no = dict(
        Customer.objects.filter(customer_no__in={p.customer_ref for _, p in found}).values_list("customer_no", "pk")
    )
    quiet = _not_heard(set(by_no.values()), since)
    out = []
    for tp, p in found:
        customer_id = by_no.get(p.customer_ref)
        if customer_id in quiet:
            out.append(
                Passage(
                    ref=f"event:{tp.code}:{p.customer_ref}:{timezone.localdate(p.last_at):%Y%m%d}",
                    customer_id=customer_id,
                    touchpoint=tp.code,
                    criticality=tp.criticality,
                    at=p.last_at,
                )
            )
    return out


def _from_policies(since: datetime, until: datetime) -> list[Passage]:
    first, last = timezone.localdate(since), timezone.localdate(until)
    heard = Case.objects.filter(customer_id=OuterRef("customer_id"), opened_at__gte=since)
    called = Callback.objects.filter(customer_id=OuterRef("customer_id"), status="open")
    rows = (
        Policy.objects.filter(start_date__gte=first, start_date__lte=last)
        .exclude(Exists(heard))
        .exclude(Exists(called))
        .annotate(since=F("customer__since"))
        .values_list("policy_no", "customer_id", "start_date", "since")
        .order_by("pk")
    )
    tz = timezone.get_current_timezone()
    out = []
    for policy_no, customer_id, start, customer_since in rows:
        code = RENEWAL if customer_since is not None and customer_since < start else SALE
        tp = touchpoint_by_code(code)
        out.append(
            Passage(
                # The policy number, not the row id: the day's draw must not depend on how ids were assigned.
                ref=f"policy:{policy_no}:{start:%Y%m%d}",
                customer_id=customer_id,
                touchpoint=code,
                criticality=tp.criticality if tp else 3,
                at=datetime.combine(start, datetime.min.time(), tzinfo=tz),
            )
        )
    return out
