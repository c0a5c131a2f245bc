"""JSON API of rectifications: list (with failures before and after each change), open one from a root cause,
read one, and move it along."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from amends.accounts.http import actor_of
from amends.core import clock
from amends.core.schemas import Day, DayIn, InstantIn, Out, Text, Time

from . import queries, services
from .access import access_rectification

router = Router(tags=["rectifications"])


class BeforeAfterOut(Out):
    """Failures at the touchpoint in equal windows before and after the change took effect (None until then)."""

    window_days: int | None
    before: int | None
    after: int | None
    change: float | None


class RectificationOut(Out):
    """A change to the service system opened from a root cause, with failures before and after it."""

    id: int
    touchpoint: str
    touchpoint_name: Text
    cause: str | None
    title: str
    action: str
    org_unit: int
    org_unit_name: str
    owner: str
    owner_name: str
    due_date: Day
    overdue: bool
    status: str
    status_label: Text
    cause_label: Text
    effective_at: Time | None
    note: str
    version: int
    failures: BeforeAfterOut


class RectificationsOut(Out):
    page: int
    more: bool
    items: list[RectificationOut]


class RectificationIn(Schema):
    touchpoint: str = Field(..., max_length=64, description="The root cause's touchpoint, e.g. auto_claim.salvage")
    cause: Literal["", "company", "uncontrollable", "customer"] = ""
    title: str = Field(..., max_length=200, description="What will change in the service system")
    action: str = Field("", max_length=5000)
    owner: str = Field(..., max_length=150, description="User name of the person who owns the change")
    due_date: DayIn
    org_unit: int | None = Field(None, description="Default: your own unit")


@router.post("/rectifications", response={201: RectificationOut})
def open_rectification(request: HttpRequest, payload: RectificationIn) -> Any:
    r = services.rectification_open(
        actor=actor_of(request),
        touchpoint=payload.touchpoint,
        cause=payload.cause,
        title=payload.title,
        action=payload.action,
        owner=payload.owner,
        due_date=payload.due_date,
        org_unit_id=payload.org_unit,
    )
    return Status(201, queries.detail(r, clock.now()))


class ListQuery(Schema):
    status: Literal["", "open", "planned", "in_progress", "done", "cancelled"] = ""
    page: int = Field(1, ge=1, le=100000)


@router.get("/rectifications", response=RectificationsOut)
def list_rectifications(request: HttpRequest, params: Query[ListQuery]) -> Any:
    return queries.rectifications(actor_of(request), now=clock.now(), status=params.status, page=params.page)


@router.get("/rectifications/{rectification_id}", response=RectificationOut)
def get_rectification(request: HttpRequest, rectification_id: int) -> Any:
    return queries.detail(access_rectification(actor_of(request), rectification_id), clock.now())


class UpdateIn(Schema):
    status: Literal["", "planned", "in_progress", "done", "cancelled"] = ""
    owner: str = Field("", max_length=150)
    due_date: DayIn | None = None
    note: str = Field("", max_length=5000)
    effective_at: InstantIn | None = Field(None, description="When the change took effect (done: default now)")
    version: int | None = None


@router.post("/rectifications/{rectification_id}", response=RectificationOut)
def update_rectification(request: HttpRequest, rectification_id: int, payload: UpdateIn) -> Any:
    r = services.rectification_update(
        actor=actor_of(request),
        rectification_id=rectification_id,
        version=payload.version,
        status=payload.status,
        owner=payload.owner,
        due_date=payload.due_date,
        note=payload.note,
        effective_at=payload.effective_at,
    )
    return queries.detail(r, clock.now())
