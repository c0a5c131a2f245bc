"""JSON API of discretion: ask on a case, decide an approval, what waits on me, the equal-treatment report,
and the authority policies (read by everyone, set by quality managers and admins)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from amends.accounts.access import SEES_INSIGHTS, require
from amends.accounts.http import actor_of
from amends.core import clock
from amends.core.schemas import InstantIn, Money, Out, PersonOut, Time
from amends.recovery.access import access_case

from . import queries, services
from .models import Approval

router = Router(tags=["discretion"])


class DiscretionIn(Schema):
    kind: Literal["cash", "premium_discount", "voucher", "waiver", "upgrade", "rule_exception"]
    amount: Decimal = Field(..., description='Yuan, e.g. "300.00"; 0 for a rule exception that costs nothing')
    reason: str = Field(..., max_length=5000)
    customer_at_fault: bool
    extra_cost: bool = Field(..., description="Does it cost the company anything extra?")
    breaches_regulation: bool = Field(..., description="Would it breach a law or regulation? Then it is refused.")


class ApprovalOut(Out):
    id: int
    approver: PersonOut | None
    level: int
    status: str
    assigned_at: Time
    due_at: Time
    decided_at: Time | None
    note: str
    version: int


class WaitingOnOut(Out):
    """The approval a request waits on: who, by when, at which level."""

    id: int
    approver: PersonOut | None
    due_at: Time
    level: int


class RequestOut(Out):
    """A discretion request: `granted` at once, `refused` on a breach, or `pending_approval` (`approval`)."""

    id: int
    case: int | None
    customer: int
    kind: str
    amount: Money
    reason: str
    customer_at_fault: bool
    extra_cost: bool
    breaches_regulation: bool
    status: str
    reasons: list[str]
    origin: str
    requested_by: PersonOut | None
    requested_at: Time
    decided_at: Time | None
    approval: WaitingOnOut | None
    approvals: list[ApprovalOut]


class WaitingCaseOut(Out):
    id: int | None
    reference: str | None


class WaitingCustomerOut(Out):
    id: int
    name: str
    segment: str


class WaitingApprovalOut(ApprovalOut):
    request: RequestOut
    case: WaitingCaseOut
    customer: WaitingCustomerOut


class ApprovalsOut(Out):
    items: list[WaitingApprovalOut]


class TreatmentRowOut(Out):
    """One segment's (`segment`) or unit's (`unit`) requests, grants, amounts and outcomes."""

    requests: int
    approved: int
    rejected: int
    refused: int
    pending: int
    granted_on_the_spot: int
    grant_rate: float | None
    on_the_spot_rate: float | None
    approval_rate: float | None
    amount_requested: Money
    amount_given: Money
    hours_to_approval_decision: float | None
    cases: int
    cases_closed: int
    cases_recovered: int
    cases_reopened: int
    recovered_rate: float | None
    given_cases: int
    given_cases_closed: int
    given_cases_recovered: int
    given_recovered_rate: float | None


class TreatmentOut(Out):
    by: str
    since: Time
    until: Time
    items: list[TreatmentRowOut]


class UnitRefOut(Out):
    id: int
    code: str
    name: str


class AuthorityPolicyOut(Out):
    """A version of a role's authority in an org unit."""

    id: int
    role: str
    org_unit: UnitRefOut
    kind: str
    version: int
    effective_from: Time
    per_action_limit: Money
    actor_budget: Money | None
    unit_budget: Money | None
    period: str
    note: str


class PoliciesOut(Out):
    items: list[AuthorityPolicyOut]


def _answer(request: Any) -> dict[str, Any]:
    approval = getattr(request, "approval", None)
    brief = queries.request_brief(request)
    return {
        **brief,
        "approval": {
            "id": approval.pk,
            "approver": brief["approval"]["approver"] if brief["approval"] else None,
            "due_at": approval.due_at,
            "level": approval.level,
        }
        if approval is not None
        else None,
    }


@router.post("/cases/{case_id}/discretion", response={201: RequestOut})
def ask(request: HttpRequest, case_id: int, payload: DiscretionIn) -> Any:
    """Compensation or a rule exception: `granted` at once within your authority, `refused` on a breach,
    otherwise `pending_approval` with the superior it waits on."""
    actor = actor_of(request)
    access_case(actor, case_id)
    answer = services.discretion_request(
        actor=actor,
        case_id=case_id,
        kind=payload.kind,
        amount=payload.amount,
        reason=payload.reason,
        customer_at_fault=payload.customer_at_fault,
        extra_cost=payload.extra_cost,
        breaches_regulation=payload.breaches_regulation,
    )
    return Status(201, _answer(answer))


class ApprovalDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=5000, description="Required to reject: the requester tells the customer why")
    version: int | None = None


@router.post("/approvals/{approval_id}/decision", response=RequestOut)
def decide(request: HttpRequest, approval_id: int, payload: ApprovalDecisionIn) -> Any:
    approval = services.approval_decide(
        actor=actor_of(request),
        approval_id=approval_id,
        decision=payload.decision,
        note=payload.note,
        version=payload.version,
    )
    return queries.request_brief(approval.request)


def _waiting(a: Approval) -> dict[str, Any]:
    r = a.request
    return {
        **queries.approval_brief(a),
        "request": queries.request_brief(r, [a]),
        "case": {"id": r.case_id, "reference": r.case.reference if r.case else None},
        "customer": {"id": r.customer_id, "name": r.customer.name, "segment": r.segment},
    }


@router.get("/approvals", response=ApprovalsOut)
def waiting(request: HttpRequest) -> Any:
    """What waits on the caller, oldest first."""
    return {"items": [_waiting(a) for a in queries.approvals_waiting(actor_of(request))]}


class ReportQuery(Schema):
    by: Literal["segment", "unit"] = "segment"
    since: InstantIn | None = Field(None, description="Default: the start of the month six months back")
    until: InstantIn | None = Field(None, description="Default: now")


@router.get("/discretion/report", response=TreatmentOut)
def report(request: HttpRequest, params: Query[ReportQuery]) -> Any:
    """Equal treatment: requests, grants, approval rates, amounts, time to decision and case outcomes per
    customer segment or org unit, in the caller's scope."""
    actor = actor_of(request)
    require(actor, SEES_INSIGHTS)
    until = params.until or clock.now()
    since = params.since or clock.months_start(until, 6)
    return {
        "by": params.by,
        "since": since,
        "until": until,
        "items": queries.equal_treatment(actor, by=params.by, since=since, until=until),
    }


@router.get("/discretion/policies", response=PoliciesOut)
def policies(request: HttpRequest) -> Any:
    """The newest version in force of every authority policy."""
    actor_of(request)
    return {"items": [queries.policy_brief(p) for p in queries.policies_in_force(now=clock.now())]}


class PolicyIn(Schema):
    role: Literal["frontline", "handler", "supervisor", "quality_manager", "admin", "system"]
    org_unit: int = Field(..., description="Org unit id; the policy covers its subtree unless a nearer unit has one")
    kind: Literal["cash", "premium_discount", "voucher", "waiver", "upgrade", "rule_exception"]
    per_action_limit: Decimal
    actor_budget: Decimal | None = None
    unit_budget: Decimal | None = None
    period: Literal["month", "quarter", "year"] = "month"
    effective_from: InstantIn | None = Field(None, description="Default: now; never in the past")
    note: str = Field("", max_length=2000)


@router.post("/discretion/policies", response={201: AuthorityPolicyOut})
def set_policy(request: HttpRequest, payload: PolicyIn) -> Any:
    """A new version of a role's authority in an org unit (quality managers and admins)."""
    policy = services.policy_set(
        actor=actor_of(request),
        role=payload.role,
        org_unit_id=payload.org_unit,
        kind=payload.kind,
        per_action_limit=payload.per_action_limit,
        actor_budget=payload.actor_budget,
        unit_budget=payload.unit_budget,
        period=payload.period,
        effective_from=payload.effective_from,
        note=payload.note,
    )
    return Status(201, queries.policy_brief(policy))
