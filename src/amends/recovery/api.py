"""JSON API for recovery cases: the queue, a case with its timeline, recording steps, assigning."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from amends.accounts.http import actor_of
from amends.accounts.models import User
from amends.core import clock
from amends.core.errors import InvalidInput, NotFound
from amends.core.schemas import Object, Out, PersonOut, Time
from amends.customers.api import CustomerOut

from . import queries, services
from .access import access_case

router = Router(tags=["cases"])


class CaseCustomerOut(Out):
    id: int
    name: str
    segment: str


class CaseSummaryOut(Out):
    """A case in the queue."""

    id: int
    reference: str
    status: str
    priority: int
    priority_score: int
    customer: CaseCustomerOut
    owner: PersonOut | None
    touchpoint: str | None
    due_at: Time | None
    overdue: bool
    opened_at: Time
    round: int
    next_step: str | None
    version: int


class CasePageOut(Out):
    items: list[CaseSummaryOut]
    page: int
    page_size: int
    has_more: bool
    next_cursor: str | None


class PriorityFactorOut(Out):
    code: str
    value: Any
    points: int


class StepOut(Out):
    id: int
    round: int
    step: str
    skipped: bool
    skipped_reason: str | None
    note: str
    outcome: str | None
    actor: PersonOut | None
    at: Time


class TimelineEntryOut(Out):
    at: Time
    kind: str
    round: int
    actor: PersonOut | None
    text: str
    data: Object


class CaseDetailOut(Out):
    """A case with its customer, steps and full timeline. The apps above add their sections: `complaints`,
    `discretion`, `promises`, `messages`, `attachments`, `notes`, `playbook`, `flags`, `suggested`, `coding`,
    `eodc` (docs/api.md)."""

    id: int
    reference: str
    status: str
    priority: int
    priority_score: int
    customer: CustomerOut
    owner: PersonOut | None
    touchpoint: str | None
    due_at: Time | None
    overdue: bool
    opened_at: Time
    round: int
    next_step: str | None
    version: int
    timing: str | None
    closure: str | None
    closed_at: Time | None
    priority_factors: list[PriorityFactorOut]
    steps: list[StepOut]
    timeline: list[TimelineEntryOut]


class FailureCodeOut(Out):
    id: int
    cause: str
    dimension: str
    gap: int | None


class CaseFilters(Schema):
    status: Literal["open", "in_progress", "follow_up", "closed"] | None = None
    owner: str | None = Field(None, description="`me`, a username or a user id")
    overdue: bool | None = None
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(25, ge=1, le=200)
    cursor: str | None = Field(None, max_length=400, description="`next_cursor` of the page before (keyset)")


def _owner_id(actor: User, owner: str | None) -> int | None:
    if not owner:
        return None
    if owner == "me":
        return actor.pk
    user = (
        User.objects.filter(pk=int(owner)).first() if owner.isdigit() else User.objects.filter(username=owner).first()
    )
    if user is None:
        raise InvalidInput(_("No such user."), fields={"owner": [_("No such user.")]})
    return user.pk


@router.get("/cases", response=CasePageOut)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    """The queue: overdue first (oldest deadline first), then by priority. Scoped to the caller's org subtree."""
    actor = actor_of(request)
    now = clock.now()
    page = queries.queue(
        actor,
        now=now,
        owner_id=_owner_id(actor, filters.owner),
        status=filters.status,
        overdue=filters.overdue,
        page=filters.page,
        page_size=filters.page_size,
        cursor=filters.cursor,
    )
    return {
        "items": [queries.case_summary(actor, c, now=now) for c in page.items],
        "page": page.page,
        "page_size": page.page_size,
        "has_more": page.has_more,
        "next_cursor": page.next_cursor,
    }


@router.get("/cases/{case_id}", response=CaseDetailOut)
def get_case(request: HttpRequest, case_id: int, response: HttpResponse) -> Any:
    """A case with its customer, complaints, steps and full timeline. The ETag is the case version."""
    detail = queries.case_detail(actor_of(request), case_id, now=clock.now())
    response["ETag"] = f'"{detail["version"]}"'
    return detail


class StepIn(Schema):
    step: Literal["apology", "fix", "empathy", "atonement", "follow_up"]
    note: str = Field("", max_length=20000)
    skipped_reason: str | None = Field(None, max_length=5000)
    outcome: Literal["recovered", "not_recovered", "unreachable"] | None = None
    timing: Literal["immediate", "in_process", "after_process"] | None = None
    version: int | None = Field(None, description="The case version you saw; a stale one is refused with 409")


def _version(payload_version: int | None, if_match: str) -> int | None:
    if payload_version is not None:
        return payload_version
    tag = if_match.strip().strip('"')
    return int(tag) if tag.isdigit() else None


@router.post("/cases/{case_id}/steps", response={201: CaseDetailOut, 200: CaseDetailOut})
def record_step(
    request: HttpRequest, case_id: int, payload: StepIn, if_match: str = Header("", alias="If-Match")
) -> Any:
    """Record the next of the five steps, or skip it with a reason (apology and follow-up never)."""
    actor = actor_of(request)
    access_case(actor, case_id)
    row = services.step_record(
        actor=actor,
        case_id=case_id,
        step=payload.step,
        note=payload.note,
        skipped_reason=payload.skipped_reason,
        outcome=payload.outcome,
        timing=payload.timing,
        version=_version(payload.version, if_match),
    )
    return Status(201 if row is not None else 200, queries.case_detail(actor, case_id, now=clock.now()))


class AssignIn(Schema):
    owner: str | None = Field(None, description="A username; empty to let the assignment rules choose")
    version: int | None = None


@router.post("/cases/{case_id}/assign", response=CaseDetailOut)
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> Any:
    actor = actor_of(request)
    access_case(actor, case_id)
    owner = None
    if payload.owner:
        owner = User.objects.filter(username=payload.owner).first()
        if owner is None:
            raise InvalidInput(_("No such user."), fields={"owner": [_("No such user.")]})
    services.case_assign(actor=actor, case_id=case_id, owner=owner, version=payload.version)
    return queries.case_detail(actor, case_id, now=clock.now())


class FailureCodeIn(Schema):
    cause: str | None = Field(None, description="company, uncontrollable, customer; empty to clear")
    dimension: str | None = Field(None, description="one of the five dimensions; empty to clear")
    gap: int | None = Field(None, description="the service quality gap, 1–4; 0 to clear")
    version: int | None = None


@router.post("/cases/{case_id}/failures/{failure_id}/code", response=FailureCodeOut)
def code_failure(request: HttpRequest, case_id: int, failure_id: int, payload: FailureCodeIn) -> Any:
    """Code a failure of the case (its id is on the case timeline's failure entries): its cause, dimension and
    quality gap; fields left out stay as they are."""
    actor = actor_of(request)
    access_case(actor, case_id)
    if not services.failure_of_case(case_id, failure_id):
        raise NotFound(_("No such failure."))
    failure = services.failure_code(
        actor=actor,
        failure_id=failure_id,
        cause=payload.cause,
        dimension=payload.dimension,
        gap=payload.gap,
        version=payload.version,
    )
    return {"id": failure.pk, "cause": failure.cause, "dimension": failure.dimension, "gap": failure.gap}
