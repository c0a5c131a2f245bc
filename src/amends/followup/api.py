"""JSON API of follow-up: the customer's survey answer (no login; the signed link is the credential), and for
staff the callbacks to make and the calls made."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from amends.accounts.http import actor_of
from amends.core.schemas import IdName, Out, Time

from . import queries, services
from .models import Callback

router = Router(tags=["follow-up"])


class SurveyAnsweredOut(Out):
    status: str
    answered_at: Time | None


class AnswerOut(Out):
    """The customer's answer (survey or call): solved, satisfaction, the five dimensions (`dimensions`)."""

    solved: bool | None
    satisfaction: int | None
    dimensions: dict[str, int | None]
    renew: int | None
    recommend: int | None
    comment: str
    answered_at: Time | None


class CallbackOut(Out):
    """A callback to make after a failure or a case, with the calls made and the answer when reached."""

    id: int
    customer: IdName
    reason: str
    touchpoint: str | None
    passed_at: Time | None
    case: int | None
    status: str
    attempts: int
    answer: AnswerOut | None
    failure: int | None
    version: int


class CallbacksOut(Out):
    items: list[CallbackOut]


class SurveyIn(Schema):
    solved: bool | None = Field(None, description="Is the problem solved?")
    satisfaction: int | None = Field(None, description="Overall satisfaction, 1–5")
    reliability: int | None = Field(None, description="信度: promises kept, 1–5")
    responsiveness: int | None = Field(None, description="效度: speed, 1–5")
    competence: int | None = Field(None, description="精度: getting it right, 1–5")
    attitude: int | None = Field(None, description="态度: courtesy, 1–5")
    standards: int | None = Field(None, description="法度: fair and by the rules, 1–5")
    renew: int | None = Field(None, description="Intent to renew, 0–10")
    recommend: int | None = Field(None, description="Likelihood to recommend, 0–10")
    comment: str = Field("", max_length=5000)


@router.post("/surveys/{token}", response=SurveyAnsweredOut, auth=None)
def answer_survey(request: HttpRequest, token: str, payload: SurveyIn) -> Any:
    """The customer's follow-up answer. 404 for a forged or unknown link, 403 `link_expired`, 409
    `survey_closed` once answered, 422 with the offending fields for an answer off its scale."""
    survey = services.survey_answer(token=token, answer=payload.dict())
    return {"status": survey.status, "answered_at": survey.answered_at}


def callback_brief(c: Callback) -> dict[str, Any]:
    return {
        "id": c.pk,
        "customer": {"id": c.customer_id, "name": c.customer.name},
        "reason": c.reason,
        "touchpoint": c.touchpoint.code if c.touchpoint else None,
        "passed_at": c.passed_at,
        "case": c.case_id,
        "status": c.status,
        "attempts": c.attempts,
        "answer": queries.answer_brief(c),
        "failure": c.failure_id,
        "version": c.version,
    }


@router.get("/callbacks", response=CallbacksOut)
def open_callbacks(request: HttpRequest) -> Any:
    """The callbacks to make in the caller's scope, oldest first (at most 100)."""
    return {"items": [callback_brief(c) for c in queries.callbacks_open(actor_of(request))]}


class AttemptIn(SurveyIn):
    outcome: Literal["reached", "no_answer", "busy", "wrong_number", "declined"]
    note: str = Field("", max_length=2000)
    version: int | None = None


@router.post("/callbacks/{callback_id}/attempts", response=CallbackOut)
def record_call(request: HttpRequest, callback_id: int, payload: AttemptIn) -> Any:
    """One call: `outcome`, and when `reached` the survey's answers (solved and satisfaction required)."""
    data = payload.dict()
    outcome, note, version = data.pop("outcome"), data.pop("note"), data.pop("version")
    callback = services.callback_record(
        actor=actor_of(request),
        callback_id=callback_id,
        outcome=outcome,
        answer=data if outcome == "reached" else None,
        note=note,
        version=version,
    )
    return callback_brief(callback)


class LinkIn(Schema):
    customer: int = Field(..., description="The verified customer's id (their existing record)")
    case: int | None = Field(None, description="A case of that customer's to join; none: the one its episode opens")
    verified_by: Literal["phone", "documents"] = Field(..., description="How the identity was verified")
    note: str = Field("", max_length=2000, description="What was checked (the call, the documents seen)")


class LinkedCaseOut(Out):
    id: int
    reference: str


class LinkedOut(Out):
    """The portal complaint, now under the verified customer's record and case."""

    complaint: int
    reference: str
    customer: IdName
    case: LinkedCaseOut


@router.post("/complaints/{complaint_id}/link", response=LinkedOut)
def link_verified(request: HttpRequest, complaint_id: int, payload: LinkIn) -> Any:
    """After verifying a portal complainant by phone or documents: file their complaint under their existing
    record and case. 404 for a complaint, customer or case outside your scope; 422 `link_other_customer` for
    another customer's case, `not_portal` for a complaint not filed through the portal; 409 once linked."""
    complaint = services.portal_link_verified(
        actor=actor_of(request),
        complaint_id=complaint_id,
        customer_id=payload.customer,
        case_id=payload.case,
        verified_by=payload.verified_by,
        note=payload.note,
    )
    case = complaint.case
    return {
        "complaint": complaint.pk,
        "reference": complaint.reference,
        "customer": {"id": complaint.customer_id, "name": complaint.customer.name},
        "case": {"id": case.pk, "reference": case.reference},
    }
