"""JSON API for complaints: receive (idempotent), decide (with its letter), extend the deadline, approve an
extension, and the measure's procedures: pause and resume, withdrawal, review (核查), regulator feedback."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status

from amends.accounts.access import WORKS_CASES, require
from amends.accounts.http import actor_of
from amends.core.schemas import Day, ErrorOut, InstantIn, Money, Object, Out, Time

from . import hooks, services
from .queries import TRANSFER_COLUMNS, complaint_brief, letter_brief, regulator_transfers, review_brief

router = Router(tags=["complaints"])


class CustomerIn(Schema):
    id: int | None = Field(None, description="An existing customer's id; or give name (and phone) for a new one")
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    segment: str = "individual"


class ComplaintIn(Schema):
    channel: str = Field(..., description="hotline, counter, email, portal, app, letter, regulator, social, …")
    received_at: InstantIn | None = Field(None, description="When the customer complained; default now")
    customer: CustomerIn
    policy_no: str = Field("", max_length=40)
    claim_no: str = Field("", max_length=40)
    touchpoint: str = Field("", max_length=64, description="<journey>.<moment>, e.g. auto_claim.salvage")
    description: str = Field(..., max_length=20000)
    request: str = Field(..., max_length=5000, description="The customer's request (诉求) in their words")
    request_confirmed: bool = Field(False, description="Restated to the customer and confirmed (复述确认)")
    loss_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    subject: str = Field("", max_length=150, description="Username of a staff member the complaint is about")
    filed_as: Literal["", "agent", "heir", "guardian"] = Field("", description="Who complained, when not the customer")
    filer_name: str = Field("", max_length=100)
    filer_contact: str = Field("", max_length=100)
    filer_authority: str = Field("", max_length=200, description="The authority shown (power of attorney, heirship…)")
    regulator_ref: str = Field("", max_length=40, description="A regulator transfer's number (channel regulator)")
    regulator_due_at: InstantIn | None = Field(None, description="The regulator's deadline for feedback")


class ComplaintCustomerOut(Out):
    id: int
    name: str


class CaseRef(Out):
    id: int
    reference: str
    status: str
    owner: str | None


class ComplaintOut(Out):
    id: int
    reference: str
    case: CaseRef
    due_at: datetime
    status: str
    channel: str
    received_at: datetime
    customer: ComplaintCustomerOut
    # Filled by apps above intake through `hooks.register_answer` (text: DESIGN §5).
    flags: list[Object] = []
    suggested: Object = {}


class ExtensionBrief(Out):
    id: int
    level: int
    status: str
    reason: str


class LetterOut(Out):
    """A decision letter: drafted, checked by a second person, sent (then `url` reads it)."""

    id: int
    status: str
    result: str
    facts: str
    reasons: str
    offer: str
    offer_amount: Money | None
    review_deadline: Day | None
    sent_at: Time | None
    drafted_by: int
    checked_by: int | None
    url: str | None


class ReviewOut(Out):
    """A review (核查) of a decided complaint by the superior unit."""

    id: int
    complaint: int
    grounds: str
    requested_at: Time
    due_at: Time
    owner: int | None
    status: str
    outcome: str | None
    decision: str | None
    decided_at: Time | None


class NoticeOut(Out):
    kind: str
    at: Time
    to: str
    text: str


class FilerOut(Out):
    name: str
    contact: str
    authority: str


class RegulatorOut(Out):
    reference: str
    due_at: Time | None
    feedback: str | None
    feedback_at: Time | None


class ImportedOut(Out):
    source: str
    external_ref: str


class ComplaintDetailOut(Out):
    """A complaint with its procedure: the clock, extensions, letters, review, notices, the regulator's part."""

    id: int
    reference: str
    channel: str
    received_at: Time
    due_at: Time
    extension_level: int
    decided_at: Time | None
    decision: str | None
    status: str
    withdrawn_at: Time | None
    paused_at: Time | None
    paused_days: int
    filed_as: str | None
    filer: FilerOut | None
    regulator: RegulatorOut | None
    policy_no: str | None
    claim_no: str | None
    touchpoint: str | None
    description: str
    request: str
    request_confirmed: bool
    loss_amount: Money | None
    category: str | None
    line: str | None
    region: str | None
    result: str | None
    at_fault: bool | None
    imported: ImportedOut | None
    extensions: list[ExtensionBrief]
    letters: list[LetterOut]
    review: ReviewOut | None
    notices: list[NoticeOut]


class PauseOut(Out):
    id: int
    complaint: int
    paused_at: Time


class ResumeOut(Out):
    id: int
    days: int
    due_at: Time


class ExtensionOut(Out):
    id: int
    level: int
    status: str
    due_at: Time


class TransferOut(Out):
    """A complaint transferred by the regulator, with the feedback owed."""

    transfer_number: str
    complaint: str
    customer: str
    received_at: Time
    regulator_due_at: Time | None
    status: str
    result: str | None
    decided_at: Time | None
    feedback: str | None
    feedback_at: Time | None
    feedback_on_time: bool | None


class TransfersOut(Out):
    results: list[TransferOut]


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
        filed_as=payload.filed_as,
        filer_name=payload.filer_name,
        filer_contact=payload.filer_contact,
        filer_authority=payload.filer_authority,
        regulator_ref=payload.regulator_ref,
        regulator_due_at=payload.regulator_due_at,
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
    decision: str = Field(..., max_length=5000, description="What the customer was told, in brief")
    result: Literal["upheld", "partly_upheld", "not_upheld"] | None = Field(
        None, description="The decision's result (支持 / 部分支持 / 不支持); with it, the decision letter is issued"
    )
    at_fault: bool | None = Field(None, description="Whether the insurer was found at fault")
    facts: str = Field("", max_length=20000, description="The facts found (the letter)")
    reasons: str = Field("", max_length=20000, description="The reasons and basis (the letter)")
    offer: str = Field("", max_length=5000, description="What is offered (the letter)")
    offer_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)


@router.post(
    "/complaints/{complaint_id}/decision",
    response={200: ComplaintDetailOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def decide_complaint(request: HttpRequest, complaint_id: int, payload: DecisionIn) -> Any:
    """Decide: with a result the decision letter is issued (or waits for a second person's check where the
    insurer requires one, and the clock runs until it is sent); without, the decision is recorded as told."""
    complaint = services.complaint_decide(
        actor=actor_of(request),
        complaint_id=complaint_id,
        decision=payload.decision,
        result=payload.result or "",
        at_fault=payload.at_fault,
        facts=payload.facts,
        reasons=payload.reasons,
        offer=payload.offer,
        offer_amount=payload.offer_amount,
    )
    complaint.refresh_from_db()
    return complaint_brief(complaint)


class LetterCheckIn(Schema):
    decision: Literal["approve", "return"]
    note: str = Field("", max_length=5000)


@router.post("/letters/{letter_id}/check", response={200: LetterOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def check_letter(request: HttpRequest, letter_id: int, payload: LetterCheckIn) -> Any:
    """A second person checks a decision letter: approved, it is sent and the clock stops."""
    letter = services.letter_check(
        actor=actor_of(request), letter_id=letter_id, approve=payload.decision == "approve", note=payload.note
    )
    return letter_brief(letter)


class ReasonIn(Schema):
    reason: str = Field("", max_length=5000)


@router.post("/complaints/{complaint_id}/pauses", response={201: PauseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def pause_complaint(request: HttpRequest, complaint_id: int, payload: ReasonIn) -> Any:
    """Pause the clock for an outside appraisal, test or assessment (鉴定、检测、评估); the complainant is told."""
    pause = services.complaint_pause(actor=actor_of(request), complaint_id=complaint_id, reason=payload.reason)
    return Status(201, {"id": pause.pk, "complaint": complaint_id, "paused_at": pause.paused_at})


@router.post("/complaints/{complaint_id}/pauses/resume", response={200: ResumeOut, 404: ErrorOut, 409: ErrorOut})
def resume_complaint(request: HttpRequest, complaint_id: int) -> Any:
    """End the pause: its whole days are added to the period; the complainant is told the new due date."""
    pause = services.complaint_resume(actor=actor_of(request), complaint_id=complaint_id)
    return {"id": pause.pk, "days": pause.days, "due_at": pause.complaint.due_at}


@router.post("/complaints/{complaint_id}/withdrawal", response={200: ComplaintDetailOut, 404: ErrorOut, 409: ErrorOut})
def withdraw_complaint(request: HttpRequest, complaint_id: int, payload: ReasonIn) -> Any:
    """Record the complainant's withdrawal: the procedure ends today. A decided complaint → 409."""
    complaint = services.complaint_withdraw(actor=actor_of(request), complaint_id=complaint_id, reason=payload.reason)
    return complaint_brief(complaint)


class ReviewIn(Schema):
    grounds: str = Field(..., max_length=5000, description="Why the complainant disputes the decision")


@router.post(
    "/complaints/{complaint_id}/reviews", response={201: ReviewOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
)
def request_review(request: HttpRequest, complaint_id: int, payload: ReviewIn) -> Any:
    """The complainant asks for a review (核查) by the superior institution, within the configured days."""
    review = services.review_request(actor=actor_of(request), complaint_id=complaint_id, grounds=payload.grounds)
    return Status(201, review_brief(review))


class ReviewDecisionIn(Schema):
    outcome: Literal["confirmed", "changed"]
    decision: str = Field(..., max_length=5000)


@router.post("/reviews/{review_id}/decision", response={200: ReviewOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def decide_review(request: HttpRequest, review_id: int, payload: ReviewDecisionIn) -> Any:
    review = services.review_decide(
        actor=actor_of(request), review_id=review_id, outcome=payload.outcome, decision=payload.decision
    )
    return review_brief(review)


class FeedbackIn(Schema):
    feedback: str = Field(..., max_length=20000)


@router.post(
    "/complaints/{complaint_id}/regulator-feedback", response={200: ComplaintDetailOut, 404: ErrorOut, 409: ErrorOut}
)
def give_regulator_feedback(request: HttpRequest, complaint_id: int, payload: FeedbackIn) -> Any:
    """Record the feedback given to the regulator on a transferred complaint."""
    complaint = services.regulator_feedback(
        actor=actor_of(request), complaint_id=complaint_id, feedback=payload.feedback
    )
    return complaint_brief(complaint)


class ExtensionIn(Schema):
    level: Literal[1, 2]
    reason: str = Field(..., max_length=5000)


@router.post(
    "/complaints/{complaint_id}/extensions", response={201: ExtensionOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
)
def extend_complaint(request: HttpRequest, complaint_id: int, payload: ExtensionIn) -> Any:
    """Extend the deadline to 30 days (level 1), or a further 30 (level 2: the superior institution or head-office
    senior management approves). Only before the current due time (409 with the due time otherwise)."""
    ext = services.complaint_extend(
        actor=actor_of(request), complaint_id=complaint_id, level=payload.level, reason=payload.reason
    )
    return Status(201, {"id": ext.pk, "level": ext.level, "status": ext.status, "due_at": ext.complaint.due_at})


class ExtensionDecisionIn(Schema):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=5000)


@router.post(
    "/extensions/{extension_id}/decision",
    response={200: ExtensionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def decide_extension(request: HttpRequest, extension_id: int, payload: ExtensionDecisionIn) -> Any:
    ext = services.extension_decide(
        actor=actor_of(request),
        extension_id=extension_id,
        approve=payload.decision == "approve",
        note=payload.note,
    )
    ext.complaint.refresh_from_db()
    return {"id": ext.pk, "level": ext.level, "status": ext.status, "due_at": ext.complaint.due_at}


@router.get("/regulator-transfers", response={200: TransfersOut, 403: ErrorOut})
def list_regulator_transfers(request: HttpRequest, owed: bool = False, format: str = "json") -> Any:
    """Regulator transfers (12378 / 监管转办) with their deadline and the feedback owed or given; `?format=csv`
    for the regulator-facing officer (UTF-8 with a BOM, so Excel opens the Chinese as it is)."""
    actor = actor_of(request)
    require(actor, WORKS_CASES)
    rows = regulator_transfers(actor, owed_only=owed)
    if format != "csv":
        return {"results": rows}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=TRANSFER_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: (timezone.localtime(v).isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regulator-transfers.csv"'
    return response
