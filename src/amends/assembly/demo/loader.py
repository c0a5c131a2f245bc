"""Load the demo insurer once: organisation and staff, customers and policies, authority policies, then a year
of cases (with the compensation their atonements gave), promises and approvals waiting today.

The random stream is seeded (`SEED`) and never sees the date; history is planned in minutes before the
demo's "today" (today's midnight, local time) and only then turned into datetimes. So every load has the
same shape — the same customers, the same stories, the same number of cases in each state — while the
cases are overdue, due soon or just received relative to the day it runs. A second load is a no-op.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from amends.accounts.models import OrgUnit
from amends.audit.models import AuditEntry
from amends.customers.models import Customer, Policy
from amends.discretion.models import Approval, DiscretionRequest
from amends.followup.models import Callback, PortalSubmission, Survey
from amends.insights import facts
from amends.intake.models import ClockExtension, Complaint
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.promises.models import Promise
from amends.recovery.models import IS_OPEN, Case, CaseStatus, CaseStep, TimelineEntry, Timing
from amends.warning.models import Alert, Event

from . import org
from .cases import EPOCH_DAYS, plan_cases
from .discretion import atone, seed_policies, seed_waiting
from .followup import seed_followup
from .improvement import seed_rectification
from .people import create_customers, plan_customers
from .promises import KINDS, PER_KIND, seed_promises
from .replay import Replay
from .stories import seed_stories
from .warning import seed_events

SEED = 2026
DEFAULT_CUSTOMERS = 2000

# progress(stage, advance, total): stage names a step of the load; total is set once per stage.
Progress = Callable[[str, int, int | None], None]


@dataclass
class Summary:
    loaded: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)


def is_loaded() -> bool:
    return OrgUnit.objects.filter(code=org.HEAD_OFFICE_CODE).exists()


def demo_today(now: datetime | None = None) -> datetime:
    """The demo's "today": midnight (local time) of the day it is loaded. History ends before it."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def load(
    *,
    customers: int = DEFAULT_CUSTOMERS,
    cases: int | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Load the demo insurer unless it is already there. `cases` defaults to one per five customers."""
    started = time.perf_counter()
    report = progress or (lambda stage, advance, total: None)
    if customers < 20:
        raise ValueError("the demo needs at least 20 customers")
    with transaction.atomic():
        if is_loaded():
            return Summary(loaded=False)
        rng = random.Random(SEED)
        anchor = demo_today(now)
        report("organisation", 0, 1)
        catalogue.load(Journey, Touchpoint)
        units, staff = org.create_org()
        report("organisation", 1, 1)

        people = plan_customers(rng, customers)
        report("customers", 0, len(people))
        rows, policies = create_customers(people, units, anchor.date())
        report("customers", len(people), len(people))

        names = {code: tp["zh-hans"] for code, tp in Touchpoint.objects.values_list("code", "names")}
        wanted = min(cases if cases is not None else customers // 5, customers // 2)
        plans = plan_cases(rng, people, wanted, names)
        last_claim = max((p.claim_seq or 0 for p in plans), default=0)
        plans += seed_stories(last_claim)
        plans.sort(key=lambda p: (p.t0, p.key))
        epoch = anchor - timedelta(days=EPOCH_DAYS)
        seed_policies(admin=staff["admin"], units=units, at=epoch)
        replay = Replay(plans, people, rows, policies, staff, epoch, on_atonement=atone)
        total = sum(len(p.actions) for p in plans)
        report("cases", 0, total)
        replay.run(lambda n: report("cases", n, total))

        report("promises", 0, len(KINDS) * PER_KIND)
        seed_promises(
            seed=SEED + 4, staff=staff, customers=rows, today=anchor, report=lambda n: report("promises", n, None)
        )
        seed_waiting(staff=staff, today=anchor)
        seed_rectification(staff=staff, today=anchor)
        report("follow-up", 0, 1)
        seed_followup(seed=SEED + 6, staff=staff, today=anchor)
        report("follow-up", 1, 1)
        report("events", 0, None)
        seed_events(seed=SEED + 5, customers=rows, today=anchor, report=lambda n: report("events", n, None))
        # The report facts of everything just written, so the first dashboard does not count them itself.
        report("report facts", 0, 1)
        facts.bring_up_to_date()
        report("report facts", 1, 1)
    summary = summarise(now=now)
    summary.seconds = time.perf_counter() - started
    return summary


def summarise(*, now: datetime | None = None) -> Summary:
    moment = now or timezone.now()
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    open_cases = Case.objects.filter(IS_OPEN)
    counts = {
        "customers": Customer.objects.count(),
        "policies": Policy.objects.count(),
        "staff": len(org.STAFF),
        "cases": Case.objects.count(),
        "complaints": Complaint.objects.count(),
        "complaints_decided": Complaint.objects.filter(decided_at__isnull=False).count(),
        "overdue": open_cases.filter(due_at__lt=moment).count(),
        "due_within_3_days": open_cases.filter(due_at__gte=moment, due_at__lt=moment + timedelta(days=3)).count(),
        "reopened": Case.objects.filter(round__gt=1).count(),
        "closed_recovered": Case.objects.filter(status=CaseStatus.CLOSED, closure="recovered").count(),
        "closed_unreachable": Case.objects.filter(status=CaseStatus.CLOSED, closure="unreachable").count(),
        "immediate": Case.objects.filter(timing=Timing.IMMEDIATE).count(),
        "extensions_approved": ClockExtension.objects.filter(status="approved").count(),
        "extensions_pending": ClockExtension.objects.filter(status="pending").count(),
        "repeat_failures": _repeat_cases(),
        "steps": CaseStep.objects.count(),
        "timeline_entries": TimelineEntry.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "promises": Promise.objects.count(),
        "promises_kept": Promise.objects.filter(status="kept").count(),
        "surveys": Survey.objects.count(),
        "surveys_answered": Survey.objects.filter(status="answered").count(),
        "portal_complaints": PortalSubmission.objects.count(),
        "callbacks": Callback.objects.count(),
        "callbacks_open": Callback.objects.filter(status="open").count(),
        "events": Event.objects.count(),
        "alerts_live": Alert.objects.exclude(status="resolved").count(),
        "discretion_requests": DiscretionRequest.objects.count(),
        "discretion_granted": DiscretionRequest.objects.filter(status__in=["granted", "approved"]).count(),
        "approvals_waiting": Approval.objects.filter(status="pending").count(),
    }
    return Summary(loaded=True, counts=counts, by_status={s: by_status.get(s, 0) for s in CaseStatus.values})


def _repeat_cases() -> int:
    """Cases whose priority counts an earlier failure of the same customer (JSON queries differ by backend)."""
    severities = Case.objects.values_list("severity", flat=True)
    return sum(1 for s in severities if s.get("repeat_failures_90d", 0) > 0)
