"""Reads of rectifications: a page of them with the failures before and after each change, counted in one
aggregate query for the whole page (two conditional counts per rectification), and one as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from amends.accounts.access import scope_unit_ids
from amends.accounts.models import User
from amends.recovery.models import Cause, Failure

from . import rules
from .models import OPEN_STATUSES, Rectification, RectificationStatus

PAGE_SIZE = 50


def window_days() -> int:
    return int(getattr(settings, "AMENDS_RECTIFICATION_WINDOW_DAYS", 90))


def _root(r: Rectification) -> Q:
    """The failures a rectification is about: its touchpoint (and cause, when given) within its unit's subtree."""
    q = Q(touchpoint_id=r.touchpoint_id, case__org_unit__path__startswith=r.org_unit.path)
    return q & Q(cause=r.cause) if r.cause else q


def before_after(rectifications: list[Rectification], now: datetime) -> dict[int, dict[str, Any]]:
    """Failures in the window before each change and in the window after it, of the same length."""
    aggregates: dict[str, Any] = {}
    spans: dict[int, rules.Windows] = {}
    for r in rectifications:
        span = rules.windows(effective_at=r.effective_at, now=now, window_days=window_days())
        if span is None:
            continue
        spans[r.pk] = span
        root = _root(r)
        aggregates[f"b{r.pk}"] = Count(
            "id", filter=root & Q(occurred_at__gte=span.before_start, occurred_at__lt=span.change)
        )
        aggregates[f"a{r.pk}"] = Count(
            "id", filter=root & Q(occurred_at__gte=span.change, occurred_at__lt=span.after_end)
        )
    counts = (
        Failure.objects.filter(touchpoint_id__in={r.touchpoint_id for r in rectifications}).aggregate(**aggregates)
        if aggregates
        else {}
    )
    out: dict[int, dict[str, Any]] = {}
    for r in rectifications:
        span = spans.get(r.pk)
        if span is None:
            out[r.pk] = {"window_days": None, "before": None, "after": None, "change": None}
            continue
        before, after = counts[f"b{r.pk}"], counts[f"a{r.pk}"]
        change = round((after - before) / before, 4) if before else None
        out[r.pk] = {"window_days": span.days, "before": before, "after": after, "change": change}
    return out


def brief(r: Rectification, figures: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "id": r.pk,
        "touchpoint": r.touchpoint.code,
        "touchpoint_name": r.touchpoint.name,
        "cause": r.cause or None,
        "title": r.title,
        "action": r.action,
        "org_unit": r.org_unit_id,
        "org_unit_name": r.org_unit.name,
        "owner": r.owner.username,
        "owner_name": str(r.owner),
        "due_date": r.due_date,
        "overdue": r.status in OPEN_STATUSES and r.due_date < timezone.localtime(now).date(),
        "status": r.status,
        "status_label": str(RectificationStatus(r.status).label),
        "cause_label": str(Cause(r.cause).label) if r.cause else "",
        "effective_at": r.effective_at,
        "note": r.outcome_note,
        "version": r.version,
        "failures": figures,
    }


def rectifications(actor: User, *, now: datetime, status: str = "", page: int = 1) -> dict[str, Any]:
    ids = scope_unit_ids(actor)
    qs = Rectification.objects.all()
    if ids is not None:
        qs = qs.filter(Q(org_unit_id__in=ids) | Q(owner=actor))
    qs = qs.select_related("touchpoint__journey", "owner", "org_unit")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    start = (page - 1) * PAGE_SIZE
    rows = list(qs.order_by("due_date", "id")[start : start + PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    figures = before_after(rows, now)
    return {"page": page, "more": more, "items": [brief(r, figures[r.pk], now) for r in rows]}


def detail(r: Rectification, now: datetime) -> dict[str, Any]:
    return brief(r, before_after([r], now)[r.pk], now)
