"""Reads of early warning: the alert inbox, playbooks, and events for the apps above (follow-up callbacks).

The event reads are the documented way for other apps to use what other systems sent; each rides an index
of `warning_event` (here (touchpoint, time)), so its cost grows with the answer, not the table. Insights
reads reported renewals and lapses in its own fact queries, by the (policy, time) index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet

from amends.accounts.access import scope_unit_ids
from amends.accounts.models import User
from amends.journeys.models import Touchpoint
from amends.recovery.models import Case

from .models import Alert, AlertStatus, Event, Playbook


@dataclass(frozen=True)
class Passed:
    customer_ref: str
    last_at: datetime
    claim_no: str


def customers_who_passed(touchpoint: str, *, since: datetime, until: datetime, limit: int = 1000) -> list[Passed]:
    """Customers with an event at `touchpoint` between `since` and `until`: each once, with their latest such
    event, most recent first, at most `limit`. For follow-up callbacks to sample customers who did not
    complain (the silent 96 %)."""
    rows = (
        Event.objects.filter(touchpoint=touchpoint, occurred_at__gte=since, occurred_at__lt=until)
        .exclude(customer_ref="")
        .values("customer_ref")
        .annotate(last_at=Max("occurred_at"), claim_no=Max("claim_no"))
        .order_by("-last_at", "customer_ref")[:limit]
    )
    return [Passed(r["customer_ref"], r["last_at"], r["claim_no"]) for r in rows]


def inbox(
    actor: User,
    *,
    status: str = "live",
    mine: bool = False,
    severity: int | None = None,
    rule: str = "",
    owner_role: str = "",
) -> QuerySet[Alert]:
    """The alerts the actor may see (their own, or their org scope), filtered, newest first."""
    qs = Alert.objects.select_related("customer", "touchpoint", "case", "owner", "org_unit")
    if mine:
        qs = qs.filter(owner=actor)
    else:
        units = scope_unit_ids(actor)
        qs = qs if units is None else qs.filter(Q(org_unit_id__in=units) | Q(owner=actor))
    qs = qs.exclude(status=AlertStatus.RESOLVED) if status == "live" else qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if rule:
        qs = qs.filter(rule=rule)
    if owner_role:
        qs = qs.filter(owner_role=owner_role)
    return qs.order_by("-raised_at", "-id")


def page(qs: QuerySet[Alert], number: int, size: int) -> dict[str, Any]:
    start = (number - 1) * size
    rows = list(qs[start : start + size + 1])
    return {"items": rows[:size], "page": number, "page_size": size, "has_more": len(rows) > size}


def playbook_brief(playbook: Playbook) -> dict[str, Any]:
    return {
        "touchpoint": playbook.touchpoint.code,
        "apology": playbook.apology,
        "fix_actions": playbook.fix_action_list,
        "atonement": playbook.atonement,
        "atonement_limit": str(playbook.atonement_limit) if playbook.atonement_limit is not None else None,
        "follow_up_days": playbook.follow_up_days,
        "version": playbook.version,
    }


def case_playbook(actor: User, case: Case) -> dict[str, Any] | None:
    """The case page's playbook panel (and the case API's `playbook`): the plan for the case's touchpoint."""
    if case.touchpoint_id is None:
        return None
    playbook = Playbook.objects.select_related("touchpoint").filter(touchpoint_id=case.touchpoint_id).first()
    if playbook is None:
        return None
    brief = playbook_brief(playbook)
    brief["follow_up_by"] = (case.opened_at + timedelta(days=playbook.follow_up_days)).date().isoformat()
    return brief


def playbooks() -> list[dict[str, Any]]:
    """Every active touchpoint, journey by journey, with its playbook or None: the playbooks page."""
    have = {p.touchpoint_id: p for p in Playbook.objects.select_related("updated_by")}
    rows = []
    for tp in (
        Touchpoint.objects.filter(active=True).select_related("journey").order_by("journey__position", "position")
    ):
        rows.append({"touchpoint": tp, "playbook": have.get(tp.pk)})
    return rows
