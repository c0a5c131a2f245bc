"""Demo events and early warnings: a month of claim events from the claims and call-centre systems, and the
situations each shipped rule is there to catch, so the inbox opens with live alerts of every kind.

Everything happens before the load day, like the rest of the demo's history: the events are ingested
through `warning.services.event_ingest` with the clock a minute before midnight, then the scheduled rules
run as the worker would (twice: a repeat failure shows on the sweep after its second failure). The worker
carries on from there at load time. Its own random stream (`SEED + 5`): nothing else in the demo changes.
The ¥300 salvage case of the seeds is claim `CL2026E000300`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from amends.core import clock
from amends.customers.models import Customer, Policy, PolicyStatus, Segment
from amends.recovery.models import Case, Failure
from amends.warning.rules.runner import run_scheduled
from amends.warning.services import event_ingest

BACKGROUND_CLAIMS = 240
PARTS = ["前保险杠", "后保险杠", "左前大灯", "右后视镜", "尾灯总成", "前挡风玻璃", "左前叶子板"]


class Stream:
    """Events being built, each with a deterministic id."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(self, kind: str, at: datetime, customer: Customer, claim: str, touchpoint: str = "", **attrs: Any) -> None:
        event: dict[str, Any] = {
            "event_id": f"demo-{len(self.events) + 1:06d}",
            "type": kind,
            "occurred_at": at.isoformat(),
            "customer_ref": customer.customer_no,
            "claim_no": claim,
        }
        if touchpoint:
            event["touchpoint"] = touchpoint
        if attrs:
            event["attributes"] = attrs
        self.events.append(event)


def _claim(n: int) -> str:
    return f"CL2026E{n:06d}"


def _background(rng: random.Random, s: Stream, customers: list[Customer], now: datetime) -> None:
    """Ordinary claims, nearly all on time: what the rules watch without raising anything."""
    for i in range(1, BACKGROUND_CLAIMS + 1):
        customer = rng.choice(customers)
        claim = _claim(1000 + i)
        t = now - timedelta(days=rng.uniform(3, 30))
        s.add("claim.reported", t, customer, claim, "auto_claim.report", channel=rng.choice(["hotline", "app"]))
        t += timedelta(minutes=rng.uniform(5, 60))
        s.add("assessor.appointment_set", t, customer, claim, "auto_claim.assessment")
        t += timedelta(hours=rng.uniform(1, 20))
        s.add("assessor.arrived", t, customer, claim, "auto_claim.assessment")
        parts = sorted(rng.sample(PARTS, rng.randint(1, 3)))
        salvage = [p for p in parts if rng.random() < 0.5]
        t += timedelta(hours=rng.uniform(1, 6))
        s.add("parts_list.issued", t, customer, claim, "auto_claim.salvage", parts=parts, salvage_parts=salvage)
        for part in salvage:
            s.add("salvage.required", t, customer, claim, "auto_claim.salvage", part=part, amount="200.00")
        if rng.random() < 0.3:
            s.add("contact.inbound", t + timedelta(days=1), customer, claim, "auto_claim.documents", reason="进度查询")
        t += timedelta(days=rng.uniform(1, 3))
        s.add("documents.complete", t, customer, claim, "auto_claim.documents")
        paid = t + timedelta(days=rng.uniform(1, 7))
        if paid < now:
            s.add("claim.paid", paid, customer, claim, "auto_claim.payment", amount=f"{rng.randint(8, 120) * 100}.00")
        if rng.random() < 0.4:
            # These draws once made renewal events for invented policy numbers (retention read all zeros);
            # `_renewals` now reports the real terms. Drawn still, so the rest of the stream stays as it was.
            rng.uniform(1, 60)
            rng.choice(["policy.renewed", "policy.lapsed"])


# The chance that a term is renewed, by what its customer lived through in it (the seeds: most come back when
# the problem is solved, nearly all when it is solved fast; few when it is not).
RENEWAL_CHANCE = {
    "no_failure": 0.85,
    "recovered_fast": 0.9,
    "recovered": 0.75,
    "unreachable": 0.55,
    "not_recovered": 0.35,
    "failure_only": 0.7,
}


def _renewals(rng: random.Random, s: Stream, today: datetime) -> None:
    """Policy admin's word on every demo term that ended in the last year: renewed or lapsed, more often
    renewed when the customer's recovery in the term went well. A handful of reads, not one per term."""
    start = today.date() - timedelta(days=365)
    terms = list(
        Policy.objects.filter(end_date__gte=start, end_date__lt=today.date(), status=PolicyStatus.EXPIRED)
        .select_related("customer")
        .order_by("policy_no")
    )
    cases: dict[int, list[tuple[datetime, datetime | None, str]]] = defaultdict(list)
    for customer_id, opened, closed, closure in Case.objects.values_list(
        "customer_id", "opened_at", "closed_at", "closure"
    ):
        cases[customer_id].append((opened, closed, closure))
    failed: dict[int, list[datetime]] = defaultdict(list)
    for customer_id, when in Failure.objects.values_list("customer_id", "occurred_at"):
        failed[customer_id].append(when)
    for term in terms:
        begin = timezone.make_aware(datetime.combine(term.start_date, datetime.min.time()))
        end = timezone.make_aware(datetime.combine(term.end_date, datetime.max.time()))
        in_term = [c for c in cases[term.customer_id] if begin <= c[0] <= end]
        if in_term:
            opened, closed, closure = max(in_term)
            if closure == "recovered":
                fast = closed is not None and closed - opened <= timedelta(days=3)
                experience = "recovered_fast" if fast else "recovered"
            else:
                experience = "unreachable" if closure == "unreachable" else "not_recovered"
        else:
            experience = "failure_only" if any(begin <= f <= end for f in failed[term.customer_id]) else "no_failure"
        renewed = rng.random() < RENEWAL_CHANCE[experience]
        at = end - timedelta(hours=rng.uniform(1, 20))
        s.events.append(
            {
                "event_id": f"demo-renewal-{term.policy_no}",
                "type": "policy.renewed" if renewed else "policy.lapsed",
                "occurred_at": at.isoformat(),
                "customer_ref": term.customer.customer_no,
                "policy_no": term.policy_no,
            }
        )


def _situations(s: Stream, customers: list[Customer], key: Customer | None, now: datetime) -> None:
    """One or more of each thing the rules are there to catch."""
    a, b, c, d = customers[:4]
    # Assessor not there 20 h after the report (imminent), and 30 h after (breached; the case opens itself).
    s.add("claim.reported", now - timedelta(hours=20), a, _claim(1), "auto_claim.report")
    s.add("assessor.appointment_set", now - timedelta(hours=19), a, _claim(1), "auto_claim.assessment")
    s.add("claim.reported", now - timedelta(hours=30), b, _claim(2), "auto_claim.report")
    # A morning of missed assessor visits: five reports yesterday, nobody on site: a spike at the touchpoint.
    for n, customer in enumerate(customers[4:9], start=3):
        s.add("claim.reported", now - timedelta(hours=26 + n), customer, _claim(n), "auto_claim.report")
    # The seed's ¥300: the claims system wants the tail lamp back; the stamped parts list does not say so.
    # The same customer had the assessor breach above: a second failure within 90 days.
    s.add("parts_list.issued", now - timedelta(days=1), b, _claim(300), "auto_claim.salvage",
          parts=["后保险杠", "尾灯总成"], salvage_parts=["后保险杠"])  # fmt: skip
    s.add("salvage.required", now - timedelta(hours=3), b, _claim(300), "auto_claim.salvage",
          part="尾灯总成", amount="300.00")  # fmt: skip
    # Three calls in five days about one claim, none resolved.
    for days in (5, 2, 0.2):
        s.add("contact.inbound", now - timedelta(days=days), c, _claim(20), "auto_claim.documents", reason="催赔款")
    # Documents complete 12 days ago and still not paid.
    s.add("documents.complete", now - timedelta(days=12), d, _claim(21), "auto_claim.documents")
    # A key account renewing soon, whose assessor has not come.
    if key is not None:
        s.add("claim.reported", now - timedelta(hours=28), key, _claim(22), "auto_claim.report")


def key_account_renewing(today: date) -> Customer | None:
    """The first key account with a policy up for renewal within 60 days, if the demo has one."""
    policy = (
        Policy.objects.filter(
            status=PolicyStatus.ACTIVE,
            customer__segment=Segment.KEY_ACCOUNT,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=60),
        )
        .select_related("customer")
        .order_by("end_date", "policy_no")
        .first()
    )
    return policy.customer if policy else None


def seed_events(
    *, seed: int, customers: list[Customer], today: datetime, report: Callable[[int], None] | None = None
) -> int:
    """`today` is the demo's midnight; the events and the rule runs end a minute before it."""
    now = today - timedelta(minutes=1)
    rng = random.Random(seed)
    ordered = sorted(customers, key=lambda c: c.customer_no)
    individuals = [c for c in ordered if c.segment != Segment.KEY_ACCOUNT]
    s = Stream()
    _background(rng, s, ordered, now)
    _situations(s, individuals, key_account_renewing(today.date()), now)
    _renewals(random.Random(seed + 1), s, today)
    with clock.frozen(now):
        for start in range(0, len(s.events), 2000):
            event_ingest(actor=None, events=s.events[start : start + 2000])
            if report:
                report(min(2000, len(s.events) - start))
        run_scheduled(now=now)
        run_scheduled(now=now)
    return len(s.events)
