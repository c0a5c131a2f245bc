"""Reads of promises: the realistic-promising hint, and a case's promises for its page and API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.recovery.models import Case

from . import rules
from .models import Promise, PromiseStatus

HISTORY_DAYS = 90


def suggestion(*, touchpoint_id: int | None, org_unit_id: int, due_at: datetime, now: datetime) -> dict[str, Any]:
    """How often similar promises of the last 90 days were kept, and the due time kept 90% of the time."""
    rows = (
        Promise.objects.filter(
            Q(touchpoint_id=touchpoint_id) if touchpoint_id is not None else Q(touchpoint__isnull=True),
            org_unit_id=org_unit_id,
            made_at__gte=now - timedelta(days=HISTORY_DAYS),
            made_at__lt=now,
        )
        .exclude(status=PromiseStatus.OPEN)
        .values_list("made_at", "first_due_at", "fulfilled_at", "status")
    )
    history = [rules.PastPromise(m, d, f, s == PromiseStatus.KEPT) for m, d, f, s in rows]
    answer = rules.suggest(now=now, due_at=due_at, history=history, zone=ZoneInfo(settings.TIME_ZONE))
    return {
        "similar": answer.similar,
        "kept": answer.kept,
        "kept_rate": round(answer.kept_rate, 3) if answer.kept_rate is not None else None,
        "suggested_due_at": answer.suggested_due_at,
        "quantile": answer.quantile,
        "enough_history": answer.enough_history,
        "later_than_asked": bool(answer.suggested_due_at and answer.suggested_due_at > due_at),
    }


def promise_brief(p: Promise) -> dict[str, Any]:
    return {
        "id": p.pk,
        "customer": p.customer_id,
        "case": p.case_id,
        "text": p.text,
        "channel": p.channel,
        "made_by": p.made_by_id,
        "made_at": p.made_at,
        "first_due_at": p.first_due_at,
        "due_at": p.due_at,
        "status": p.status,
        "renegotiations": p.renegotiations,
        "settled_at": p.settled_at,
        "fulfilled_at": p.fulfilled_at,
        "version": p.version,
        "history": [
            {"kind": r.kind, "at": r.at, "due_at": r.due_at, "customer_consent": r.customer_consent, "note": r.note}
            for r in p.revisions.all()
        ],
    }


def customer_promises(actor: User, customer: Any) -> list[dict[str, Any]]:
    """The customer page's promises, newest first (with or without a case)."""
    rows = Promise.objects.filter(customer=customer).prefetch_related("revisions").order_by("-made_at", "-id")
    return [promise_brief(p) for p in rows[:50]]


def case_promises(actor: User, case: Case) -> list[dict[str, Any]]:
    rows = Promise.objects.filter(case=case).prefetch_related("revisions").order_by("made_at", "id")
    return [promise_brief(p) for p in rows]


def _scoped(actor: User) -> Any:
    return scope_filter(Promise.objects.all(), actor, field="customer__org_unit")


def due_today(actor: User, *, now: datetime) -> list[Promise]:
    """The actor's own open promises due before the end of today (local time), overdue ones first."""
    end = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=999999)
    rows = (
        Promise.objects.filter(made_by=actor, status=PromiseStatus.OPEN, due_at__lte=end)
        .select_related("customer", "case", "touchpoint__journey")
        .order_by("due_at", "id")
    )
    return list(rows[:200])


def overdue_by_unit(actor: User, *, now: datetime) -> list[dict[str, Any]]:
    """Open promises past their due time, counted by the unit that made them (the sweep breaks them soon)."""
    rows = (
        _scoped(actor)
        .filter(status=PromiseStatus.OPEN, due_at__lt=now)
        .values("org_unit_id", "org_unit__name")
        .annotate(n=Count("id"), oldest=Min("due_at"))
        .order_by("-n", "org_unit__name")
    )
    return [
        {"org_unit": r["org_unit_id"], "name": r["org_unit__name"], "overdue": r["n"], "oldest_due_at": r["oldest"]}
        for r in rows
    ]


def kept_rate(
    actor: User, *, by: str, since: datetime, until: datetime, where: Q | None = None
) -> list[dict[str, Any]]:
    """Settled promises per month and touchpoint or unit: how many were kept. Counted in SQL, not in Python.
    `where` narrows the promises further (the insights reports' filters)."""
    if by not in {"touchpoint", "unit"}:
        raise ValueError("by is touchpoint or unit")
    key = "touchpoint__code" if by == "touchpoint" else "org_unit__name"
    rows = (
        _scoped(actor)
        .filter(where or Q(), made_at__gte=since, made_at__lt=until)
        .exclude(status=PromiseStatus.OPEN)
        .annotate(month=TruncMonth("made_at"))
        .values("month", key)
        .annotate(settled=Count("id"), kept=Count("id", filter=Q(status=PromiseStatus.KEPT)))
        .order_by("month", key)
    )
    return [
        {
            "month": timezone.localtime(r["month"]).strftime("%Y-%m")
            if timezone.is_aware(r["month"])
            else r["month"].strftime("%Y-%m"),
            by: r[key],
            "settled": r["settled"],
            "kept": r["kept"],
            "kept_rate": round(r["kept"] / r["settled"], 3),
        }
        for r in rows
    ]
