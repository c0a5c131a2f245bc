"""Who hears about an approval at once: the approver (an alert in their inbox while it waits on them) and the
requester (an alert with the outcome). Raised inside the deciding transaction, so both or neither."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from amends.core.texts import Message
from amends.warning import services as warning

from ..models import Approval, DiscretionRequest, Kind

APPROVAL_WAITING = "discretion_approval"
REQUEST_DECIDED = "discretion_decided"


def _what(request: DiscretionRequest) -> dict[str, Any]:
    return {
        "amount": f"{request.amount:,.2f}",
        "kind": Kind(request.kind).label,  # translated when read
        "customer": request.customer.name,
    }


def alert_approver(approval: Approval, request: DiscretionRequest) -> None:
    warning.alert_raise(
        rule=APPROVAL_WAITING,
        subject_type="approval",
        subject_id=approval.pk,
        owner=approval.approver,
        org_unit_id=approval.approver.org_unit_id or request.org_unit_id,
        customer_id=request.customer_id,
        case_id=request.case_id,
        severity=2,
        title=Message(gettext_noop("Approval waiting: %(kind)s of ¥%(amount)s for %(customer)s"), **_what(request)),
        detail={"approval": approval.pk, "request": request.pk, "due_at": approval.due_at.isoformat()},
    )


def approval_settled(approval: Approval, resolution: str) -> None:
    warning.alerts_resolve_for(subject_type="approval", subject_id=approval.pk, resolution=resolution)


def alert_requester(request: DiscretionRequest, approval: Approval) -> None:
    if request.requested_by is None:
        return
    words = _what(request) | {"approver": str(approval.approver)}
    if request.status == "approved":
        title = Message(gettext_noop("Approved by %(approver)s: %(kind)s of ¥%(amount)s for %(customer)s"), **words)
    else:
        title = Message(gettext_noop("Rejected by %(approver)s: %(kind)s of ¥%(amount)s for %(customer)s"), **words)
    warning.alert_raise(
        rule=REQUEST_DECIDED,
        subject_type="discretion",
        subject_id=request.pk,
        owner=request.requested_by,
        org_unit_id=request.org_unit_id,
        customer_id=request.customer_id,
        case_id=request.case_id,
        severity=1,
        title=title,
        detail={"request": request.pk, "approval": approval.pk, "status": request.status, "note": approval.note},
    )
