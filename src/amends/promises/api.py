"""JSON API for promises: make one (with the realistic-promising hint), settle one, ask for the hint alone."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from amends.accounts.http import actor_of
from amends.core import clock
from amends.core.errors import InvalidInput
from amends.core.schemas import InstantIn, Out, Time
from amends.journeys.queries import touchpoint_by_code

from . import queries, services
from .access import access_promise

router = Router(tags=["promises"])


class CustomerRef(Schema):
    id: int


class PromiseIn(Schema):
    customer: CustomerRef
    case: int | None = None
    policy_no: str = Field("", max_length=40)
    claim_no: str = Field("", max_length=40)
    touchpoint: str = Field("", max_length=64)
    text: str = Field(..., max_length=5000, description="What was promised, in the words the customer heard")
    due_at: InstantIn
    channel: str = Field("hotline", description="How the promise was made: hotline, counter, app…")


class RevisionOut(Out):
    kind: str
    at: Time
    due_at: Time | None
    customer_consent: bool
    note: str


class PromiseOut(Out):
    """A promise with its history (made, renegotiated, kept or broken)."""

    id: int
    customer: int
    case: int | None
    text: str
    channel: str
    made_by: int
    made_at: Time
    first_due_at: Time
    due_at: Time
    status: str
    renegotiations: int
    settled_at: Time | None
    fulfilled_at: Time | None
    version: int
    history: list[RevisionOut]


class HintOut(Out):
    """Realistic promising: how often similar promises by the unit were kept, and a due time kept 90% of the
    time."""

    similar: int
    kept: int
    kept_rate: float | None
    suggested_due_at: Time | None
    quantile: float | None
    enough_history: bool
    later_than_asked: bool


class PromiseMadeOut(PromiseOut):
    suggestion: HintOut


class PromiseDueOut(PromiseOut):
    customer_name: str


class PromisesDueOut(Out):
    items: list[PromiseDueOut]


class OverdueUnitOut(Out):
    org_unit: int
    name: str
    overdue: int
    oldest_due_at: Time


class OverdueOut(Out):
    items: list[OverdueUnitOut]


class KeptMonthOut(Out):
    """A month's settled promises of one touchpoint (`touchpoint`) or unit (`unit`)."""

    month: str
    settled: int
    kept: int
    kept_rate: float


class KeptRateOut(Out):
    by: str
    since: Time
    items: list[KeptMonthOut]


def _hint(promise: Any) -> dict[str, Any]:
    return queries.suggestion(
        touchpoint_id=promise.touchpoint_id,
        org_unit_id=promise.org_unit_id,
        due_at=promise.first_due_at,
        now=promise.made_at,
    )


@router.post("/promises", response={201: PromiseMadeOut})
def make_promise(request: HttpRequest, payload: PromiseIn) -> Any:
    """Record a promise; the answer carries how often similar promises were kept (realistic promising)."""
    promise = services.promise_make(
        actor=actor_of(request),
        customer_id=payload.customer.id,
        case_id=payload.case,
        policy_no=payload.policy_no,
        claim_no=payload.claim_no,
        touchpoint=payload.touchpoint,
        text=payload.text,
        due_at=payload.due_at,
        channel=payload.channel,
    )
    return Status(201, {**queries.promise_brief(promise), "suggestion": _hint(promise)})


class OutcomeIn(Schema):
    outcome: Literal["kept", "broken", "renegotiated"]
    note: str = Field("", max_length=5000)
    new_due_at: InstantIn | None = None
    customer_consent: bool = False
    fulfilled_at: InstantIn | None = Field(None, description="When it was really done (kept: default now)")
    version: int | None = None


@router.post("/promises/{promise_id}/outcome", response=PromiseOut)
def settle_promise(request: HttpRequest, promise_id: int, payload: OutcomeIn) -> Any:
    promise = services.promise_settle(
        actor=actor_of(request),
        promise_id=promise_id,
        outcome=payload.outcome,
        note=payload.note,
        new_due_at=payload.new_due_at,
        customer_consent=payload.customer_consent,
        fulfilled_at=payload.fulfilled_at,
        version=payload.version,
    )
    return queries.promise_brief(promise)


@router.get("/promises/{promise_id}", response=PromiseOut)
def get_promise(request: HttpRequest, promise_id: int) -> Any:
    return queries.promise_brief(access_promise(actor_of(request), promise_id))


class HintQuery(Schema):
    touchpoint: str = ""
    due_at: InstantIn


@router.get("/promise-hint", response=HintOut)
def promise_hint(request: HttpRequest, params: Query[HintQuery]) -> Any:
    """Before promising: how often similar promises by your unit were kept, and a due time kept 90% of the time."""
    actor = actor_of(request)
    tp = touchpoint_by_code(params.touchpoint) if params.touchpoint else None
    if params.touchpoint and tp is None:
        raise InvalidInput(
            _("Unknown touchpoint “%(value)s”.") % {"value": params.touchpoint},
            fields={"touchpoint": [_("Unknown touchpoint.")]},
        )
    if actor.org_unit_id is None:
        raise InvalidInput(_("Your account has no org unit."), fields={"org_unit": [_("Required.")]})
    return queries.suggestion(
        touchpoint_id=tp.pk if tp else None, org_unit_id=actor.org_unit_id, due_at=params.due_at, now=clock.now()
    )


@router.get("/promises", response=PromisesDueOut)
def my_promises_due(request: HttpRequest) -> Any:
    """The caller's own open promises due by the end of today, overdue ones first."""
    actor = actor_of(request)
    rows = queries.due_today(actor, now=clock.now())
    return {"items": [{**queries.promise_brief(p), "customer_name": p.customer.name} for p in rows]}


@router.get("/promise-stats/overdue", response=OverdueOut)
def overdue_by_unit(request: HttpRequest) -> Any:
    """Open promises past their due time in the caller's scope, by the unit that made them."""
    return {"items": queries.overdue_by_unit(actor_of(request), now=clock.now())}


class KeptRateQuery(Schema):
    by: Literal["touchpoint", "unit"] = "touchpoint"
    months: int = Field(6, ge=1, le=36)


@router.get("/promise-stats/kept-rate", response=KeptRateOut)
def kept_rate(request: HttpRequest, params: Query[KeptRateQuery]) -> Any:
    """Settled promises per month and touchpoint (or unit) in the caller's scope: how many were kept."""
    now = clock.now()
    since = clock.months_start(now, params.months)
    return {
        "by": params.by,
        "since": since,
        "items": queries.kept_rate(actor_of(request), by=params.by, since=since, until=now),
    }
