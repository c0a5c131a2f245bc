"""JSON API for promises: make one (with the realistic-promising hint), settle one, ask for the hint alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from amends.core import clock
from amends.core.errors import InvalidInput
from amends.core.http import actor_of
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
    due_at: datetime
    channel: str = Field("hotline", description="How the promise was made: hotline, counter, app…")


def _hint(promise: Any) -> dict[str, Any]:
    return queries.suggestion(
        touchpoint_id=promise.touchpoint_id,
        org_unit_id=promise.org_unit_id,
        due_at=promise.first_due_at,
        now=promise.made_at,
    )


@router.post("/promises", response={201: dict})
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
    new_due_at: datetime | None = None
    customer_consent: bool = False
    fulfilled_at: datetime | None = Field(None, description="When it was really done (kept: default now)")
    version: int | None = None


@router.post("/promises/{promise_id}/outcome", response=dict)
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


@router.get("/promises/{promise_id}", response=dict)
def get_promise(request: HttpRequest, promise_id: int) -> Any:
    return queries.promise_brief(access_promise(actor_of(request), promise_id))


class HintQuery(Schema):
    touchpoint: str = ""
    due_at: datetime


@router.get("/promise-hint", response=dict)
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
