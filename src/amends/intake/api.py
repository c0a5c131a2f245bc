"""JSON API for complaints: receive (idempotent), decide, extend the deadline, approve an extension."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status

from amends.accounts.http import actor_of

from . import hooks, services
from .queries import complaint_brief

router = Router(tags=["complaints"])


class CustomerIn(Schema):
    id: int | None = Field(None, description="An existing customer's id; or give name (and phone) for a new one")
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    segment: str = "individual"


class ComplaintIn(Schema):
    channel: str = Field(..., description="hotline, counter, email, portal, app, letter, regulator, social, …")
    received_at: datetime | None = Field(None, description="When the customer complained; default now")
    customer: CustomerIn
    policy_no: str = Field("", max_length=40)
    claim_no: str = Field("", max_length=40)
    touchpoint: str = Field("", max_length=64, description="<journey>.<moment>, e.g. auto_claim.salvage")
    description: str = Field(..., max_length=20000)
    request: str = Field(..., max_length=5000, description="The customer's request (诉求) in their words")
    request_confirmed: bool = Field(False, description="Restated to the customer and confirmed (复述确认)")
    loss_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    subject: str = Field("", max_length=150, description="Username of a staff member the complaint is about")


class CaseRef(Schema):
    id: int
    reference: str
    status: str
    owner: str | None


class ComplaintOut(Schema):
    id: int
    reference: str
    case: CaseRef
    due_at: datetime
    status: str
    channel: str
    received_at: datetime
    customer: dict[str, Any]
    # Filled by apps above intake through `hooks.register_answer` (text: DESIGN §5).
    flags: list[dict[str, Any]] = []
    suggested: dict[str, Any] = {}


class ErrorOut(Schema):
    error: str
    detail: str
    fields: dict[str, list[str]]


def to_input(payload: ComplaintIn) -> services.ComplaintInput:
    c = payload.customer
    return services.ComplaintInput(
        channel=payload.channel,
        received_at=payload.received_at,
        customer_id=c.id,
        new_customer=None if c.id is not None else services.NewCustomer(c.name, c.phone, c.email, c.segment),
        policy_no=payload.policy_no,
        claim_no=payload.claim_no,
        touchpoint=payload.touchpoint,
        description=payload.description,
        request=payload.request,
        request_confirmed=payload.request_confirmed,
        loss_amount=payload.loss_amount,
        subject_username=payload.subject,
    )


def complaint_out(complaint: Any) -> dict[str, Any]:
    case = complaint.case
    return {
        "id": complaint.pk,
        "reference": complaint.reference,
        "case": {
            "id": case.pk,
            "reference": case.reference,
            "status": case.status,
            "owner": case.owner.username if case.owner_id else None,
        },
        "due_at": complaint.due_at,
        "status": "decided" if complaint.decided_at else "open",
        "channel": complaint.channel,
        "received_at": complaint.received_at,
        "customer": {"id": complaint.customer_id, "name": complaint.customer.name},
        **hooks.answer_fields(complaint),
    }


@router.post("/complaints", response={201: ComplaintOut, 200: ComplaintOut, 409: ErrorOut, 422: ErrorOut})
def create_complaint(
    request: HttpRequest, payload: ComplaintIn, idempotency_key: str = Header("", alias="Idempotency-Key")
) -> Any:
    """Receive a complaint. The same `Idempotency-Key` twice returns the first complaint (200), never a second."""
    complaint, created = services.complaint_receive(
        actor=actor_of(request),
        data=to_input(payload),
        idempotency_key=idempotency_key,
    )
    return Status(201 if created else 200, complaint_out(complaint))


class DecisionIn(Schema):
    decision: str = Field(..., max_length=5000, description="What the customer was told")
    result: Literal["upheld", "partly_upheld", "not_upheld"] | None = Field(
        None, description="The decision's result (支持 / 部分支持 / 不支持)"
    )
    at_fault: bool | None = Field(None, description="Whether the insurer was found at fault")


@router.post("/complaints/{complaint_id}/decision", response={200: dict, 404: ErrorOut, 422: ErrorOut})
def decide_complaint(request: HttpRequest, complaint_id: int, payload: DecisionIn) -> Any:
    """Record that the decision was communicated to the complainant; stops the regulatory clock."""
    complaint = services.complaint_decide(
        actor=actor_of(request),
        complaint_id=complaint_id,
        decision=payload.decision,
        result=payload.result or "",
        at_fault=payload.at_fault,
    )
    return complaint_brief(complaint)


class ExtensionIn(Schema):
    level: Literal[1, 2]
    reason: str = Field(..., max_length=5000)


@router.post("/complaints/{complaint_id}/extensions", response={201: dict, 404: ErrorOut, 422: ErrorOut})
def extend_complaint(request: HttpRequest, complaint_id: int, payload: ExtensionIn) -> Any:
    """Extend the deadline to 30 days (level 1), or a further 30 (level 2, a supervisor approves)."""
    ext = services.complaint_extend(
        actor=actor_of(request), complaint_id=complaint_id, level=payload.level, reason=payload.reason
    )
    return Status(201, {"id": ext.pk, "level": ext.level, "status": ext.status, "due_at": ext.complaint.due_at})


class ExtensionDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=5000)


@router.post("/extensions/{extension_id}/decision", response={200: dict, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def decide_extension(request: HttpRequest, extension_id: int, payload: ExtensionDecisionIn) -> Any:
    ext = services.extension_decide(
        actor=actor_of(request),
        extension_id=extension_id,
        approve=payload.decision == "approve",
        note=payload.note,
    )
    ext.complaint.refresh_from_db()
    return {"id": ext.pk, "level": ext.level, "status": ext.status, "due_at": ext.complaint.due_at}
