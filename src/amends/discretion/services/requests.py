"""Asking for discretion on a case (`discretion_request`), and grants the system makes itself
(`discretion_grant_system`, e.g. a portal complainant's token of thanks).

One transaction each: the budgets are locked, the rule decides (`rules.decide`), and the request, its ledger
entry, any approval with its deadline, the alert to the approver, the case timeline entry and the audit row
are written together; a refusal of the input writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.access import WORKS_CASES, require
from amends.accounts.models import User
from amends.core import audit, clock
from amends.core.errors import InvalidInput, NotFound, RuleViolation
from amends.customers.models import Customer
from amends.recovery import services as recovery
from amends.recovery.models import Case, TimelineKind
from amends.recovery.services.common import locked_case

from .. import rules
from ..models import (
    MONEY_KINDS,
    Approval,
    DiscretionRequest,
    Kind,
    LedgerEntry,
    Origin,
    Outcome,
    PolicyRole,
    RequestStatus,
)
from . import authority
from .notify import alert_approver

REQUEST_AUDIT_FIELDS = ["status", "kind", "amount", "customer_at_fault", "extra_cost", "breaches_regulation"]
REQUIRED = _("This field is required.")


def _validated(kind: str, amount: object, reason: str) -> Decimal:
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Kind.values)}]
    value = authority._money(amount, "amount", errors)
    if value is not None and value == 0 and kind in MONEY_KINDS:
        errors["amount"] = [_("This kind gives the customer money or value: enter more than 0.")]
    if not reason.strip():
        errors["reason"] = [REQUIRED]
    if errors:
        raise InvalidInput(_("The request was not recorded: please correct the marked fields."), fields=errors)
    assert value is not None
    return value


def _create(
    *,
    case: Case | None,
    customer: Customer,
    unit_id: int,
    requested_by: User | None,
    role: str,
    kind: str,
    amount: Decimal,
    reason: str,
    answers: tuple[bool, bool, bool],
    status: str,
    reasons: Sequence[str],
    now: datetime,
    source_ref: str = "",
) -> DiscretionRequest:
    decided = status != RequestStatus.PENDING
    at_fault, extra_cost, breach = answers
    return DiscretionRequest.objects.create(
        case=case,
        customer=customer,
        segment=customer.segment,
        org_unit_id=unit_id,
        origin=Origin.SYSTEM if requested_by is None else Origin.STAFF,
        source_ref=source_ref,
        requested_by=requested_by,
        role=role,
        kind=kind,
        amount=amount,
        reason=reason.strip(),
        customer_at_fault=at_fault,
        extra_cost=extra_cost,
        breaches_regulation=breach,
        status=status,
        reasons=list(reasons),
        requested_at=now,
        decided_at=now if decided else None,
        decision_seconds=0 if decided else None,
    )


def ledger_add(
    request: DiscretionRequest,
    *,
    outcome: str,
    actor: User | None,
    role: str,
    unit_id: int,
    policy: rules.PolicyRow | None,
    reasons: Sequence[str],
    approval: Approval | None = None,
    note: str = "",
) -> LedgerEntry:
    """The ledger line of a decision: whose authority decided it, under which policy version."""
    return LedgerEntry.objects.create(
        at=clock.now(),
        request=request,
        approval=approval,
        outcome=outcome,
        kind=request.kind,
        amount=request.amount,
        actor=actor,
        role=role,
        org_unit_id=unit_id,
        policy_id=policy.id if policy else None,
        reasons=list(reasons),
        note=note,
    )


def timeline_event(request: DiscretionRequest, event: str, **data: Any) -> dict[str, Any]:
    return {"request": request.pk, "event": event, "kind": request.kind, "amount": str(request.amount), **data}


@transaction.atomic
def discretion_request(
    *,
    actor: User,
    case_id: int,
    kind: str,
    amount: object,
    reason: str,
    customer_at_fault: bool,
    extra_cost: bool,
    breaches_regulation: bool,
) -> DiscretionRequest:
    """Decide at once within the actor's authority, refuse a breach, send the rest to the nearest superior
    whose authority covers it. The answer carries `.approval` (None unless it waits on one)."""
    require(actor, WORKS_CASES)
    value = _validated(kind, amount, reason)
    if actor.org_unit_id is None:
        raise RuleViolation(_("Your account has no org unit, so it has no authority."), code="no_org_unit")
    case = locked_case(actor, case_id)
    if not case.is_open:
        raise RuleViolation(_("This case is closed."), code="case_closed")
    now = clock.now()
    authority.lock_budgets(actor.org_unit_id, actor.pk)
    mine = authority.standing(actor_id=actor.pk, role=actor.role, unit_id=actor.org_unit_id, kind=kind, now=now)
    decision = rules.decide(
        amount=value,
        customer_at_fault=customer_at_fault,
        extra_cost=extra_cost,
        breaches_regulation=breaches_regulation,
        authority=mine.authority,
        spent_actor=mine.spent_actor,
        spent_unit=mine.spent_unit,
    )
    approver = None
    if decision.outcome == rules.APPROVAL:
        routed = authority.route(kind=kind, amount=value, from_user=actor, now=now)
        if routed is None:
            raise RuleViolation(
                _("Nobody above you has the authority for %(amount)s yuan of this kind; nothing was recorded.")
                % {"amount": value},
                code="no_approver",
                fields={"amount": [_("Beyond every authority in your line.")]},
            )
        approver = routed[0]
    status = {
        rules.GRANTED: RequestStatus.GRANTED,
        rules.REFUSED: RequestStatus.REFUSED,
        rules.APPROVAL: RequestStatus.PENDING,
    }[decision.outcome]
    request = _create(
        case=case,
        customer=case.customer,
        unit_id=actor.org_unit_id,
        requested_by=actor,
        role=actor.role,
        kind=kind,
        amount=value,
        reason=reason,
        answers=(customer_at_fault, extra_cost, breaches_regulation),
        status=status,
        reasons=decision.reasons,
        now=now,
    )
    outcome = {
        RequestStatus.GRANTED: Outcome.GRANTED,
        RequestStatus.REFUSED: Outcome.REFUSED,
        RequestStatus.PENDING: Outcome.REFERRED,
    }[status]
    approval = None
    if approver is not None:
        approval = Approval.objects.create(
            request=request, approver=approver, level=1, assigned_at=now, due_at=authority.approval_due(now)
        )
    ledger_add(
        request,
        outcome=outcome,
        actor=actor,
        role=actor.role,
        unit_id=actor.org_unit_id,
        policy=mine.policy,
        reasons=decision.reasons,
        approval=approval,
    )
    audit.record(
        audit.entry(
            actor=actor,
            action="discretion.request",
            obj=request,
            after=audit.snapshot(request, REQUEST_AUDIT_FIELDS),
        )
    )
    extra: dict[str, Any] = {"reasons": list(decision.reasons)}
    if approval is not None:
        who = approval.approver
        extra.update(approval=approval.pk, approver=who.pk, approver_name=str(who), due_at=approval.due_at.isoformat())
        alert_approver(approval, request)
    recovery.timeline_add(
        case,
        TimelineKind.DISCRETION,
        actor=actor,
        text=request.reason,
        data=timeline_event(request, status, **extra),
        at=now,
    )
    request.approval = approval  # type: ignore[attr-defined]
    return request


@transaction.atomic
def discretion_grant_system(
    *,
    customer_id: int,
    amount: object,
    reason: str,
    source_ref: str,
    kind: str = Kind.VOUCHER,
    case_id: int | None = None,
) -> DiscretionRequest:
    """A grant the system makes itself, within the `system` role's policy for the customer's unit (e.g. the
    small voucher thanking a complainant who used the portal: symbolic atonement). Idempotent on
    `source_ref`: a retry returns the first answer. Beyond that policy (or without one) it is refused, with
    the reasons in the ledger: no person is asked. Callers read `.status`: granted or refused."""
    if not source_ref.strip():
        raise InvalidInput(_("A system grant needs its own reference."), fields={"source_ref": [REQUIRED]})
    existing = DiscretionRequest.objects.filter(source_ref=source_ref.strip()).first()
    if existing is not None:
        return existing
    value = _validated(kind, amount, reason)
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(_("No such customer."))
    case = None
    if case_id is not None:
        case = Case.objects.select_for_update().filter(pk=case_id, customer=customer).first()
        if case is None:
            raise NotFound(_("No such case."))
    now = clock.now()
    unit_id = customer.org_unit_id
    authority.lock_budgets(unit_id, None)
    mine = authority.standing(actor_id=None, role=PolicyRole.SYSTEM, unit_id=unit_id, kind=kind, now=now)
    decision = rules.decide(
        amount=value,
        customer_at_fault=False,
        extra_cost=True,
        breaches_regulation=False,
        authority=mine.authority,
        spent_actor=Decimal("0"),
        spent_unit=mine.spent_unit,
    )
    granted = decision.outcome == rules.GRANTED
    request = _create(
        case=case,
        customer=customer,
        unit_id=unit_id,
        requested_by=None,
        role=PolicyRole.SYSTEM,
        kind=kind,
        amount=value,
        reason=reason,
        answers=(False, True, False),
        status=RequestStatus.GRANTED if granted else RequestStatus.REFUSED,
        reasons=decision.reasons,
        now=now,
        source_ref=source_ref.strip(),
    )
    ledger_add(
        request,
        outcome=Outcome.GRANTED if granted else Outcome.REFUSED,
        actor=None,
        role=PolicyRole.SYSTEM,
        unit_id=unit_id,
        policy=mine.policy,
        reasons=decision.reasons,
    )
    audit.record(
        audit.entry(
            actor=None,
            action="discretion.system_grant",
            obj=request,
            after=audit.snapshot(request, REQUEST_AUDIT_FIELDS),
        )
    )
    if case is not None:
        recovery.timeline_add(
            case,
            TimelineKind.DISCRETION,
            actor=None,
            text=request.reason,
            data=timeline_event(request, request.status, reasons=list(decision.reasons), system=True),
            at=now,
        )
    return request
