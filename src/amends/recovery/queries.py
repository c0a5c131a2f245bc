"""Reads of recovery cases for the queue, the case page and the API.

The queue shows overdue cases first (oldest deadline first), then the rest by priority. It is read as two
index-ordered segments instead of one sort over every open case, so a page costs the same with a thousand
cases or a million; steps for the page come in one extra query, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.core import clock
from amends.core.sections import Sections
from amends.customers.presenters import customer_brief
from amends.journeys.queries import touchpoints_by_id

from . import rules
from .access import access_case
from .models import IS_OPEN, Case, CaseStatus, CaseStep

# What apps above recovery show of a case (complaints, discretion, promises, the playbook, codes…), each with
# its own template in one of the case page's slots: added by `assembly.wiring`, so recovery never imports them.
CASE_SECTIONS = Sections("case", slots=("head", "lead", "main", "side"))


# What a queue row shows; the rest of a case (priority factors, episode…) stays in the database.
LIST_COLUMNS = (
    "id",
    "status",
    "priority",
    "priority_score",
    "due_at",
    "opened_at",
    "closed_at",
    "closure",
    "round",
    "version",
    "org_unit_id",
    "touchpoint_id",
    "customer__id",
    "customer__name",
    "customer__segment",
    "owner__id",
    "owner__username",
    "owner__display_name",
)


@dataclass
class Page:
    items: list[Case]
    page: int
    page_size: int
    has_more: bool


def _base(actor: User, *, owner_id: int | None, status: str | None) -> QuerySet[Case]:
    qs = scope_filter(Case.objects.all(), actor).select_related("customer", "owner").only(*LIST_COLUMNS)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.filter(status=status) if status else qs.filter(IS_OPEN)


def queue(
    actor: User,
    *,
    now: datetime,
    owner_id: int | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    page: int = 1,
    page_size: int = 25,
) -> Page:
    base = _base(actor, owner_id=owner_id, status=status)
    offset, want = (page - 1) * page_size, page_size + 1
    if status == CaseStatus.CLOSED:
        rows = list(base.filter(closed_at__isnull=False).order_by("-closed_at", "-id")[offset : offset + want])
        return _page(rows, page, page_size)
    late = base.filter(due_at__lt=now).order_by("due_at", "id")
    rest = base.filter(Q(due_at__gte=now) | Q(due_at__isnull=True)).order_by("-priority_score", "due_at", "id")
    if overdue is True:
        rows = list(late[offset : offset + want])
    elif overdue is False:
        rows = list(rest[offset : offset + want])
    else:
        rows = list(late[offset : offset + want])
        if len(rows) < want:
            late_total = offset + len(rows) if rows or offset == 0 else late.count()
            start = offset + len(rows) - late_total
            rows += list(rest[start : start + want - len(rows)])
    return _page(rows, page, page_size)


def _page(rows: list[Case], page: int, page_size: int) -> Page:
    items = rows[:page_size]
    _attach_current_steps(items)
    _attach_touchpoints(items)
    return Page(items=items, page=page, page_size=page_size, has_more=len(rows) > page_size)


def _attach_touchpoints(cases: list[Case]) -> None:
    touchpoints = touchpoints_by_id()
    for c in cases:
        if c.touchpoint_id is not None:
            c.touchpoint = touchpoints.get(c.touchpoint_id)


def _attach_current_steps(cases: list[Case]) -> None:
    by_case: dict[int, list[str]] = {c.pk: [] for c in cases}
    rounds = {c.pk: c.round for c in cases}
    for case_id, rnd, step in CaseStep.objects.filter(case_id__in=by_case).values_list("case_id", "round", "step"):
        if rounds[case_id] == rnd:
            by_case[case_id].append(step)
    for c in cases:
        c.done_steps = by_case[c.pk]  # type: ignore[attr-defined]
        c.next_step = rules.next_step(by_case[c.pk]) if c.is_open else None  # type: ignore[attr-defined]


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "username": user.username, "name": str(user)} if user else None


def case_summary(actor: User, case: Case, *, now: datetime) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "priority": case.priority,
        "priority_score": case.priority_score,
        "customer": {"id": case.customer_id, "name": case.customer.name, "segment": case.customer.segment},
        "owner": _person(case.owner),
        "touchpoint": case.touchpoint.code if case.touchpoint else None,
        "due_at": case.due_at,
        "overdue": is_overdue(case, now),
        "opened_at": case.opened_at,
        "round": case.round,
        "next_step": getattr(case, "next_step", None),
        "version": case.version,
    }


def is_overdue(case: Case, now: datetime) -> bool:
    return case.is_open and case.due_at is not None and case.due_at < now


def case_detail(actor: User, case_id: int, *, now: datetime) -> dict[str, Any]:
    case = access_case(actor, case_id)
    _attach_current_steps([case])
    steps = list(case.steps.select_related("actor").order_by("round", "at", "id"))
    timeline = list(case.timeline.select_related("actor").order_by("at", "id"))
    return {
        **case_summary(actor, case, now=now),
        "customer": customer_brief(actor, case.customer),
        "timing": case.timing or None,
        "closure": case.closure or None,
        "closed_at": case.closed_at,
        "priority_factors": case.priority_factors,
        **CASE_SECTIONS.read(actor, case),
        "steps": [
            {
                "id": s.pk,
                "round": s.round,
                "step": s.step,
                "skipped": s.skipped,
                "skipped_reason": s.skipped_reason or None,
                "note": s.note,
                "outcome": s.outcome or None,
                "actor": _person(s.actor),
                "at": s.at,
            }
            for s in steps
        ],
        "timeline": [
            {
                "at": t.at,
                "kind": t.kind,
                "round": t.round,
                "actor": _person(t.actor),
                "text": t.text,
                "data": t.data,
            }
            for t in timeline
        ],
    }


def customer_cases(actor: User, customer: Any) -> list[dict[str, Any]]:
    """The customer page's past and open cases, newest first."""
    now = clock.now()
    rows = list(
        Case.objects.filter(customer=customer)
        .select_related("customer", "owner")
        .only(*LIST_COLUMNS)
        .order_by("-opened_at")[:100]
    )
    _attach_touchpoints(rows)
    return [case_summary(actor, c, now=now) for c in rows]
