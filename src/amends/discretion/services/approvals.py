"""Deciding approvals, and escalating the ones nobody answered in time.

`approval_decide` is the approver's approve or reject with a note: the approver's own authority must cover an
approval (its budgets are locked and read from the ledger first), the request takes the outcome, the ledger,
the case timeline and the requester's alert say so in the same transaction. `approvals_escalate_overdue` is
what the worker runs: past its deadline an approval moves one level up to the nearest superior of the
approver whose authority covers it, with a new deadline.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.accounts.access import APPROVES_DISCRETION, in_scope, require
from amends.accounts.models import User
from amends.core import audit, clock, texts
from amends.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from amends.core.versioned import check_version, save_versioned
from amends.recovery import services as recovery
from amends.recovery.models import TimelineKind

from .. import rules
from ..models import Approval, ApprovalStatus, DiscretionRequest, Outcome, RequestStatus
from . import authority
from .notify import alert_approver, alert_requester, approval_settled
from .requests import ledger_add, timeline_event

APPROVAL_AUDIT_FIELDS = ["status", "approver", "level", "due_at", "decided_at", "version"]


def _locked(approval_id: int) -> Approval | None:
    return (
        Approval.objects.select_for_update(of=("self",))
        .select_related("request__customer", "request__case", "request__requested_by", "approver")
        .filter(pk=approval_id)
        .first()
    )


@transaction.atomic
def approval_decide(
    *, actor: User, approval_id: int, decision: str, note: str = "", version: int | None = None
) -> Approval:
    require(actor, APPROVES_DISCRETION)
    approval = _locked(approval_id)
    if approval is None or not (approval.approver_id == actor.pk or in_scope(actor, approval.request.org_unit_id)):
        raise NotFound(_("No such approval."))
    if approval.approver_id != actor.pk:
        raise Forbidden(_("This approval waits on %(name)s.") % {"name": approval.approver})
    check_version(approval, version, detail=_("This approval changed since you loaded it. Reload it."))
    if approval.status == ApprovalStatus.ESCALATED:
        raise Conflict(_("It was escalated past its deadline and now waits on someone above you."), code="escalated")
    if approval.status != ApprovalStatus.PENDING:
        raise Conflict(_("This approval is already decided."), code="approval_decided")
    note = note.strip()
    if decision not in ("approve", "reject"):
        raise InvalidInput(_("Choose approve or reject."), fields={"decision": [_("Choose approve or reject.")]})
    if decision == "reject" and not note:
        raise InvalidInput(
            _("Say why it is rejected: the requester tells the customer."),
            fields={"note": [_("This field is required.")]},
        )
    request = DiscretionRequest.objects.select_for_update().get(pk=approval.request_id)
    now = clock.now()
    assert actor.org_unit_id is not None
    authority.lock_budgets(actor.org_unit_id, actor.pk)
    mine = authority.standing(actor_id=actor.pk, role=actor.role, unit_id=actor.org_unit_id, kind=request.kind, now=now)
    reasons: list[str] = []
    if decision == "approve":
        reasons = mine.over(request.amount)
        if reasons:
            raise RuleViolation(
                _("This is beyond your own authority now (%(reasons)s); it escalates at its deadline.")
                % {"reasons": ", ".join(reasons)},
                code="beyond_authority",
            )
    before = audit.snapshot(approval, APPROVAL_AUDIT_FIELDS)
    approved = decision == "approve"
    approval.status = ApprovalStatus.APPROVED if approved else ApprovalStatus.REJECTED
    approval.decided_at, approval.note = now, note
    save_versioned(
        approval,
        before=before,
        actor=actor,
        action=f"approval.{decision}",
        fields=["status", "decided_at", "note"],
        tracked=APPROVAL_AUDIT_FIELDS,
    )
    request.status = RequestStatus.APPROVED if approved else RequestStatus.REJECTED
    request.decided_at = now
    request.decision_seconds = max(0, int((now - request.requested_at).total_seconds()))
    request.save(update_fields=["status", "decided_at", "decision_seconds"])
    approval.request = request
    ledger_add(
        request,
        outcome=Outcome.APPROVED if approved else Outcome.REJECTED,
        actor=actor,
        role=actor.role,
        unit_id=actor.org_unit_id,
        policy=mine.policy,
        reasons=reasons or ([rules.WITHIN_AUTHORITY] if approved else []),
        approval=approval,
        note=note,
    )
    approval_settled(approval, request.status)
    alert_requester(request, approval)
    if request.case is not None:
        recovery.timeline_add(
            request.case,
            TimelineKind.DISCRETION,
            actor=actor,
            text=note,
            data=timeline_event(request, request.status, approval=approval.pk),
            at=now,
        )
    return approval


def _audit(approval: Approval, action: str, before: dict | None, actor: User | None = None) -> None:
    after = audit.snapshot(approval, APPROVAL_AUDIT_FIELDS)
    audit.record(audit.entry(actor=actor, action=action, obj=approval, before=before, after=after))


def approvals_escalate_overdue(*, now: datetime, limit: int = 200) -> int:
    """Escalate every waiting approval past its deadline (each in its own transaction; one that was decided
    meanwhile is left alone). Returns how many moved up; a backlog beyond `limit` waits for the next run."""
    overdue = Approval.objects.filter(status=ApprovalStatus.PENDING, due_at__lt=now).order_by("due_at", "id")
    return sum(_escalate(pk, now) for pk in list(overdue.values_list("pk", flat=True)[:limit]))


@transaction.atomic
def _escalate(pk: int, now: datetime) -> int:
    approval = _locked(pk)
    if approval is None or approval.status != ApprovalStatus.PENDING or approval.due_at >= now:
        return 0
    request = approval.request
    routed = authority.route(kind=request.kind, amount=request.amount, from_user=approval.approver, now=now)
    before = audit.snapshot(approval, APPROVAL_AUDIT_FIELDS)
    if routed is None:
        # Nobody above covers it: it stays with this approver, on a fresh deadline, so the sweep does not
        # retry it every minute; the alert in the approver's inbox stays open.
        approval.due_at = authority.approval_due(now)
        save_versioned(
            approval,
            before=before,
            actor=None,
            action="approval.overdue",
            fields=["due_at"],
            tracked=APPROVAL_AUDIT_FIELDS,
        )
        return 0
    upper = routed[0]
    approval.status = ApprovalStatus.ESCALATED
    save_versioned(
        approval,
        before=before,
        actor=None,
        action="approval.escalate",
        fields=["status"],
        tracked=APPROVAL_AUDIT_FIELDS,
    )
    approval_settled(approval, ApprovalStatus.ESCALATED)
    nxt = Approval.objects.create(
        request=request, approver=upper, level=approval.level + 1, assigned_at=now, due_at=authority.approval_due(now)
    )
    _audit(nxt, "approval.assign", None)
    alert_approver(nxt, request)
    if request.case is not None:
        recovery.timeline_add(
            request.case,
            TimelineKind.DISCRETION,
            actor=None,
            text=texts.Message(
                gettext_noop("No answer from %(old)s in time: escalated to %(new)s."),
                old=str(approval.approver),
                new=str(upper),
            ),
            data=timeline_event(
                request,
                "escalated",
                approval=nxt.pk,
                approver=upper.pk,
                approver_name=str(upper),
                level=nxt.level,
                due_at=nxt.due_at.isoformat(),
            ),
            at=now,
        )
    return 1
