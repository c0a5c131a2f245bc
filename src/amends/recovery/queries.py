"""Reads of recovery cases for the queue, the case page and the API.

The queue shows overdue cases first (oldest deadline first), then the rest by priority. It is read as two
index-ordered segments instead of one sort over every open case, so a page costs the same with a thousand
cases or a million; steps for the page come in one extra query, never one per row.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext as _

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.core import clock, texts
from amends.core.errors import InvalidInput
from amends.core.sections import Sections
from amends.customers.presenters import customer_brief
from amends.journeys.queries import touchpoints_by_id

from . import rules
from .access import access_case
from .models import IS_OPEN, Case, CaseStatus, CaseStep, Failure, QueueView

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
    next_cursor: str | None = None


# Flags a queue may be narrowed to: read from what the priority was computed from (`Case.severity`).
FLAGS = ("escalated", "repeat", "raised")
# Orders the queue may be sorted in, as (field, descending); every order ends on the id, so it is total.
# "default" is the two segments of the module docstring; closed cases come most recently closed first.
SORTS: dict[str, list[tuple[str, bool]]] = {
    "due": [("due_at", False), ("id", False)],
    "priority": [("priority_score", True), ("due_at", False), ("id", False)],
    "newest": [("opened_at", True), ("id", True)],
    "oldest": [("opened_at", False), ("id", False)],
}
LATE = [("due_at", False), ("id", False)]
REST = SORTS["priority"]
CLOSED = [("closed_at", True), ("id", True)]
NULLABLE = {"due_at", "closed_at"}
DATES = {"due_at", "opened_at", "closed_at"}


@dataclass(frozen=True)
class QueueQuery:
    """What a queue shows: every filter is optional; `owner_id` narrows to one person, `unassigned` to nobody."""

    owner_id: int | None = None
    unassigned: bool = False
    status: str | None = None
    overdue: bool | None = None
    priority: int | None = None
    touchpoint_id: int | None = None
    channel: str | None = None
    segment: str | None = None
    flag: str | None = None
    sort: str = "default"


def _base(actor: User, query: QueueQuery) -> QuerySet[Case]:
    qs = scope_filter(Case.objects.all(), actor).select_related("customer", "owner").only(*LIST_COLUMNS)
    if query.owner_id is not None:
        qs = qs.filter(owner_id=query.owner_id)
    elif query.unassigned:
        qs = qs.filter(owner__isnull=True)
    qs = qs.filter(status=query.status) if query.status else qs.filter(IS_OPEN)
    if query.priority:
        qs = qs.filter(priority=query.priority)
    if query.touchpoint_id:
        qs = qs.filter(touchpoint_id=query.touchpoint_id)
    if query.segment:
        qs = qs.filter(customer__segment=query.segment)
    if query.channel:
        # Through the reverse relation intake adds: recovery does not import intake.
        qs = qs.filter(pk__in=Case.objects.filter(complaints__channel=query.channel).values("pk"))
    if query.flag == "escalated":
        qs = (
            qs.alias(flags=KeyTextTransform("escalation_flags", "severity"))
            .exclude(flags="[]")
            .exclude(flags__isnull=True)
        )
    elif query.flag == "repeat":
        qs = qs.filter(severity__repeat_failures_90d__gt=0)
    elif query.flag == "raised":
        qs = qs.filter(severity__raised_to__isnull=False)
    return qs


def _ordered(qs: QuerySet[Case], keys: list[tuple[str, bool]], cursor: list[Any] | None) -> QuerySet[Case]:
    if cursor is not None:
        qs = qs.filter(_after(keys, cursor))
    # Nulls last only where a column has them (due_at): elsewhere the plain order matches the indexes' own.
    return qs.order_by(*[F(f).desc() if d else F(f).asc(nulls_last=f in NULLABLE or None) for f, d in keys])


def _after(keys: list[tuple[str, bool]], values: list[Any]) -> Q:
    """Rows strictly after `values` in the order of `keys` (nulls last), with the first key as a range the
    index can start from: the keyset that makes page 50 cost what page 1 costs."""
    after, equal = Q(pk__in=[]), Q()
    for (field, desc), value in zip(keys, values, strict=True):
        if value is None:
            same, beyond = Q(**{f"{field}__isnull": True}), Q(pk__in=[])
        else:
            same = Q(**{field: value})
            beyond = Q(**{f"{field}__{'lt' if desc else 'gt'}": value})
            if field in NULLABLE:
                beyond |= Q(**{f"{field}__isnull": True})
        after |= equal & beyond
        equal &= same
    (lead, desc), first = keys[0], values[0]
    if first is not None and lead not in NULLABLE:
        after &= Q(**{f"{lead}__{'lte' if desc else 'gte'}": first})
    return after


def encode_cursor(segment: str, keys: list[tuple[str, bool]], case: Case) -> str:
    values = [getattr(case, f) for f, _ in keys]
    raw = json.dumps([segment, [v.isoformat() if isinstance(v, datetime) else v for v in values]])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys_of: dict[str, list[tuple[str, bool]]]) -> tuple[str, list[Any]]:
    """The segment and sort values a cursor carries; a cursor that does not fit the order is refused."""
    try:
        segment, values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        keys = keys_of[segment]
        if len(values) != len(keys):
            raise ValueError
        parsed = [
            None if v is None else datetime.fromisoformat(v) if f in DATES else int(v)
            for (f, _), v in zip(keys, values, strict=True)
        ]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput(_("This page link is out of date."), fields={"cursor": [_("Not a valid cursor.")]}) from exc
    return segment, parsed


def queue(
    actor: User,
    *,
    now: datetime,
    owner_id: int | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    page: int = 1,
    page_size: int = 25,
    query: QueueQuery | None = None,
    cursor: str | None = None,
) -> Page:
    """A page of the queue: by `page` (offset) or, cheaper deep down, after a `cursor` from the page before."""
    query = query or QueueQuery(owner_id=owner_id, status=status, overdue=overdue)
    base = _base(actor, query)
    want = page_size + 1
    if query.status == CaseStatus.CLOSED or query.sort in SORTS:
        keys = CLOSED if query.status == CaseStatus.CLOSED else SORTS[query.sort]
        qs = base.filter(closed_at__isnull=False) if query.status == CaseStatus.CLOSED else base
        if query.overdue is not None and query.status != CaseStatus.CLOSED:
            qs = qs.filter(due_at__lt=now) if query.overdue else qs.filter(Q(due_at__gte=now) | Q(due_at__isnull=True))
        after = decode_cursor(cursor, {"all": keys})[1] if cursor else None
        offset = 0 if cursor else (page - 1) * page_size
        rows = list(_ordered(qs, keys, after)[offset : offset + want])
        return _page(rows, page, page_size, lambda c: encode_cursor("all", keys, c))
    late = base.filter(due_at__lt=now)
    rest = base.filter(Q(due_at__gte=now) | Q(due_at__isnull=True))

    def cursor_of(c: Case) -> str:
        return (
            encode_cursor("late", LATE, c)
            if c.due_at is not None and c.due_at < now
            else encode_cursor("rest", REST, c)
        )

    if cursor:
        segment, after = decode_cursor(cursor, {"late": LATE, "rest": REST})
        rows = list(_ordered(late if segment == "late" else rest, LATE if segment == "late" else REST, after)[:want])
        if segment == "late" and len(rows) < want and query.overdue is not True:
            rows += list(_ordered(rest, REST, None)[: want - len(rows)])
        return _page(rows, page, page_size, cursor_of)
    offset = (page - 1) * page_size
    late, rest = _ordered(late, LATE, None), _ordered(rest, REST, None)
    if query.overdue is True:
        rows = list(late[offset : offset + want])
    elif query.overdue is False:
        rows = list(rest[offset : offset + want])
    else:
        rows = list(late[offset : offset + want])
        if len(rows) < want:
            late_total = offset + len(rows) if rows or offset == 0 else late.count()
            start = offset + len(rows) - late_total
            rows += list(rest[start : start + want - len(rows)])
    return _page(rows, page, page_size, cursor_of)


# Counting stops here: at head office a count of every open case would cost more than the page itself.
COUNT_CAP = 5000


def queue_counts(actor: User, *, now: datetime, query: QueueQuery) -> dict[str, Any]:
    """How many cases the queue's filters match and how many of them are overdue, each counted up to
    `COUNT_CAP` (`capped` says a figure reached it): two bounded index scans, whatever the organisation's size."""
    qs = _base(actor, QueueQuery(**{**query.__dict__, "sort": "default"})).order_by()
    if query.overdue is True:
        qs = qs.filter(due_at__lt=now)
    elif query.overdue is False:
        qs = qs.filter(Q(due_at__gte=now) | Q(due_at__isnull=True))
    total = qs.values("id")[: COUNT_CAP + 1].count()
    overdue = (
        0 if query.status == CaseStatus.CLOSED else qs.filter(due_at__lt=now).values("id")[: COUNT_CAP + 1].count()
    )
    return {
        "total": min(total, COUNT_CAP),
        "overdue": min(overdue, COUNT_CAP),
        "total_capped": total > COUNT_CAP,
        "overdue_capped": overdue > COUNT_CAP,
    }


def _page(rows: list[Case], page: int, page_size: int, cursor_of: Callable[[Case], str]) -> Page:
    items = rows[:page_size]
    _attach_current_steps(items)
    _attach_touchpoints(items)
    more = len(rows) > page_size
    return Page(items, page, page_size, more, cursor_of(items[-1]) if more and items else None)


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
                "note": s.shown_note,
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
                "text": texts.render(t.data.get("text_message"), t.text),
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


def queue_views(actor: User) -> list[QueueView]:
    """The actor's saved views, then those shared by supervisors above or beside them in the org tree."""
    unit = actor.org_unit
    ancestors = _ancestor_paths(unit.path) if unit else []
    shared = Q(shared=True, owner__org_unit__path__in=ancestors) if ancestors else Q(pk__in=[])
    rows = QueueView.objects.filter(Q(owner=actor) | shared).select_related("owner").order_by("-shared", "name")
    return list(rows[:50])


def _ancestor_paths(path: str) -> list[str]:
    """The paths of the unit and of every unit above it: "/1/4/17/" → "/1/", "/1/4/", "/1/4/17/"."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/" and i > 0]


def case_failures(case_id: int) -> list[dict[str, Any]]:
    """The failures the case recovers from, oldest first, with how each is coded (one query)."""
    rows = Failure.objects.filter(case_id=case_id).select_related("touchpoint").order_by("occurred_at", "pk")
    return [
        {
            "id": f.pk,
            "occurred_at": f.occurred_at,
            "touchpoint": f.touchpoint.name if f.touchpoint else "",
            "description": f.description,
            "source": f.get_source_display(),
            "cause": f.cause,
            "cause_label": f.get_cause_display() if f.cause else "",
            "dimension": f.dimension,
            "dimension_label": f.get_dimension_display() if f.dimension else "",
            "gap": f.gap,
        }
        for f in rows
    ]
