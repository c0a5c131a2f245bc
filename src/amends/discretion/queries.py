"""Reads of discretion: a case's requests for its page and API, what waits on an approver, the policies in
force, and the equal-treatment report (aggregated in SQL, one query per grouping)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.recovery.models import Case, CaseStatus, Closure

from .models import Approval, ApprovalStatus, AuthorityPolicy, DiscretionRequest, RequestStatus


def _person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "username": user.username, "name": str(user)} if user else None


def approval_brief(a: Approval) -> dict[str, Any]:
    return {
        "id": a.pk,
        "approver": _person(a.approver),
        "level": a.level,
        "status": a.status,
        "assigned_at": a.assigned_at,
        "due_at": a.due_at,
        "decided_at": a.decided_at,
        "note": a.note,
        "version": a.version,
    }


def request_brief(r: DiscretionRequest, approvals: list[Approval] | None = None) -> dict[str, Any]:
    history = (
        approvals if approvals is not None else list(r.approvals.select_related("approver").order_by("level", "id"))
    )
    waiting = next((a for a in history if a.status == "pending"), None)
    return {
        "id": r.pk,
        "case": r.case_id,
        "customer": r.customer_id,
        "kind": r.kind,
        "amount": yuan(r.amount),
        "reason": r.reason,
        "customer_at_fault": r.customer_at_fault,
        "extra_cost": r.extra_cost,
        "breaches_regulation": r.breaches_regulation,
        "status": r.status,
        "reasons": r.reasons,
        "origin": r.origin,
        "requested_by": _person(r.requested_by),
        "requested_at": r.requested_at,
        "decided_at": r.decided_at,
        "approval": approval_brief(waiting) if waiting else None,
        "approvals": [approval_brief(a) for a in history],
    }


def case_discretion(actor: User, case: Case) -> list[dict[str, Any]]:
    """A case's requests, oldest first, each with its approvals (two queries for the whole case)."""
    rows = list(
        DiscretionRequest.objects.filter(case=case).select_related("requested_by").order_by("requested_at", "id")
    )
    by_request: dict[int, list[Approval]] = {r.pk: [] for r in rows}
    for a in Approval.objects.filter(request__in=rows).select_related("approver").order_by("level", "id"):
        by_request[a.request_id].append(a)
    return [request_brief(r, by_request[r.pk]) for r in rows]


def approvals_waiting(actor: User, *, limit: int = 200) -> list[Approval]:
    """What waits on the actor, oldest first, with the case context the approvals page shows (one query)."""
    rows = (
        Approval.objects.filter(approver=actor, status=ApprovalStatus.PENDING)
        .select_related("request__customer", "request__case__touchpoint__journey", "request__requested_by", "approver")
        .order_by("assigned_at", "id")
    )
    return list(rows[:limit])


def approvals_waiting_below(actor: User, *, limit: int = 100) -> list[Approval]:
    """Approvals waiting on other people in the actor's scope (a branch head watching the line), oldest first."""
    rows = scope_filter(
        Approval.objects.filter(status=ApprovalStatus.PENDING).exclude(approver=actor), actor, field="request__org_unit"
    )
    return list(
        rows.select_related("request__customer", "request__case", "request__requested_by", "approver").order_by(
            "assigned_at", "id"
        )[:limit]
    )


def yuan(value: Decimal | None) -> str:
    """Money as the API writes it: a string with two decimals (SQLite's SUM drops trailing zeros)."""
    return f"{value or Decimal('0'):.2f}"


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 2) if seconds is not None else None


def request_aggregates() -> dict[str, Any]:
    """What is counted over a set of requests, for one GROUP BY (`.values(…).annotate(**…)`) or `.aggregate`:
    requests by status, amounts, time to an approver's decision, and the cases behind them and how they
    ended, both for every case asked about and for the cases that got something."""
    given = Q(status__in=[RequestStatus.GRANTED, RequestStatus.APPROVED])
    answered = Q(status__in=[RequestStatus.APPROVED, RequestStatus.REJECTED])
    closed, recovered = Q(case__status=CaseStatus.CLOSED), Q(case__closure=Closure.RECOVERED)
    return {
        "requests": Count("id"),
        "granted": Count("id", filter=Q(status=RequestStatus.GRANTED)),
        "approved": Count("id", filter=Q(status=RequestStatus.APPROVED)),
        "rejected": Count("id", filter=Q(status=RequestStatus.REJECTED)),
        "refused": Count("id", filter=Q(status=RequestStatus.REFUSED)),
        "pending": Count("id", filter=Q(status=RequestStatus.PENDING)),
        "amount_requested": Sum("amount"),
        "amount_given": Sum("amount", filter=given),
        "approval_seconds": Avg("decision_seconds", filter=answered),
        "cases": Count("case", distinct=True),
        "cases_closed": Count("case", distinct=True, filter=closed),
        "cases_recovered": Count("case", distinct=True, filter=recovered),
        "cases_reopened": Count("case", distinct=True, filter=Q(case__round__gt=1)),
        "given_cases": Count("case", distinct=True, filter=given),
        "given_cases_closed": Count("case", distinct=True, filter=given & closed),
        "given_cases_recovered": Count("case", distinct=True, filter=given & recovered),
    }


def request_figures(r: dict[str, Any]) -> dict[str, Any]:
    """A row of `request_aggregates` as the pages, the API and the insights report show it: rates, yuan as
    strings, hours."""
    return {
        "requests": r["requests"],
        "granted_on_the_spot": r["granted"],
        "approved": r["approved"],
        "rejected": r["rejected"],
        "refused": r["refused"],
        "pending": r["pending"],
        # Over decided requests: one still waiting for its approver is neither granted nor refused yet.
        "grant_rate": _rate(r["granted"] + r["approved"], r["requests"] - r["pending"]),
        "on_the_spot_rate": _rate(r["granted"], r["requests"]),
        "approval_rate": _rate(r["approved"], r["approved"] + r["rejected"]),
        "amount_requested": yuan(r["amount_requested"]),
        "amount_given": yuan(r["amount_given"]),
        "hours_to_approval_decision": _hours(r["approval_seconds"]),
        "cases": r["cases"],
        "cases_closed": r["cases_closed"],
        "cases_recovered": r["cases_recovered"],
        "cases_reopened": r["cases_reopened"],
        "recovered_rate": _rate(r["cases_recovered"], r["cases_closed"]),
        "given_cases": r["given_cases"],
        "given_cases_closed": r["given_cases_closed"],
        "given_cases_recovered": r["given_cases_recovered"],
        "given_recovered_rate": _rate(r["given_cases_recovered"], r["given_cases_closed"]),
    }


def equal_treatment(actor: User, *, by: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Use of discretion and its outcomes per customer segment or per org unit, counted in SQL: requests,
    grants on the spot, approvals and their rate, amounts, time to decision, and how the cases ended."""
    if by not in {"segment", "unit"}:
        raise ValueError("by is segment or unit")
    keys = ["segment"] if by == "segment" else ["org_unit_id", "org_unit__name"]
    rows = (
        scope_filter(DiscretionRequest.objects.all(), actor)
        .filter(requested_at__gte=since, requested_at__lte=until)
        .values(*keys)
        .annotate(**request_aggregates())
        .order_by(*keys)
    )
    out = []
    for r in rows:
        key: dict[str, Any] = (
            {"segment": r["segment"]}
            if by == "segment"
            else {"org_unit": r["org_unit_id"], "name": r["org_unit__name"]}
        )
        out.append({**key, **request_figures(r)})
    return out


def policies_in_force(*, now: datetime) -> list[AuthorityPolicy]:
    """The newest version in force of every policy (a small table: one row per role, unit and kind)."""
    rows = AuthorityPolicy.objects.filter(effective_from__lte=now).select_related("org_unit", "created_by")
    newest: dict[tuple[str, int, str], AuthorityPolicy] = {}
    for p in rows.order_by("effective_from", "version"):
        newest[(p.role, p.org_unit_id, p.kind)] = p
    return sorted(newest.values(), key=lambda p: (p.org_unit.path, p.role, p.kind))


def policy_brief(p: AuthorityPolicy) -> dict[str, Any]:
    return {
        "id": p.pk,
        "role": p.role,
        "org_unit": {"id": p.org_unit_id, "code": p.org_unit.code, "name": p.org_unit.name},
        "kind": p.kind,
        "version": p.version,
        "effective_from": p.effective_from,
        "per_action_limit": yuan(p.per_action_limit),
        "actor_budget": yuan(p.actor_budget) if p.actor_budget is not None else None,
        "unit_budget": yuan(p.unit_budget) if p.unit_budget is not None else None,
        "period": p.period,
        "note": p.note,
    }
