"""JSON API of early warning: event ingestion (`POST /events`) and the alert inbox (list, acknowledge, resolve).

Events are parsed by hand rather than through a pydantic schema: a batch holds up to 10,000 of them and a
model instance per event costs more than storing it (see docs/decisions). The OpenAPI document still shows
the shape.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from amends.accounts.http import actor_of
from amends.core.errors import InvalidInput
from amends.core.http import error_body, respond
from amends.core.memory import collecting_paused
from amends.core.schemas import ErrorOut, Object, Out, Time

from . import queries, services
from .models import Alert

router = Router(tags=["alerts"])
events_router = Router(tags=["events"])

EVENT_SCHEMA = {
    "type": "object",
    "required": ["event_id", "type", "occurred_at"],
    "properties": {
        "event_id": {"type": "string", "maxLength": 64, "description": "the sender's id; repeats are ignored"},
        "type": {"type": "string", "example": "claim.reported"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "customer_ref": {"type": "string", "maxLength": 32},
        "policy_no": {"type": "string", "maxLength": 40},
        "claim_no": {"type": "string", "maxLength": 40},
        "touchpoint": {"type": "string", "example": "auto_claim.salvage"},
        "attributes": {"type": "object"},
    },
}
INGEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["events"],
                            "properties": {"events": {"type": "array", "maxItems": 10000, "items": EVENT_SCHEMA}},
                        },
                        EVENT_SCHEMA,
                    ]
                }
            }
        },
    }
}


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python reads them, PostgreSQL does not


def _parse(raw: bytes, text: str) -> Any:
    """orjson reads a full batch several times faster than `json`; it refuses lone surrogate escapes, which
    `json` reads so that `check_events` can reject only the events holding them (ValueError: not JSON)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(text, parse_constant=_no_constants)


class RejectedEventOut(Out):
    index: int
    event_id: str | None
    fields: dict[str, list[str]]


class IngestOut(Out):
    """How a batch went: events stored, repeats ignored, and each refused one with its fields."""

    accepted: int
    duplicates: int
    rejected: list[RejectedEventOut]


@events_router.post("/events", response={200: IngestOut, 413: ErrorOut}, openapi_extra=INGEST_BODY)
def ingest_events(request: HttpRequest) -> HttpResponse:
    """One event or a batch of up to 10,000, each with its own `event_id`. Answers
    `{"accepted", "duplicates", "rejected": [{"index", "event_id", "fields"}]}`: 200 when anything was valid,
    422 (with the same counts) when every event was rejected. The on-ingest rules run in the same transaction."""
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    if size > settings.AMENDS_EVENTS_MAX_BYTES:
        detail = _("The request is larger than %(mb)s MB; split the batch.") % {
            "mb": settings.AMENDS_EVENTS_MAX_BYTES // 2**20
        }
        return respond(request, error_body("too_large", detail), status=413)
    with collecting_paused():
        return _ingest(request, size)


def _ingest(request: HttpRequest, size: int) -> HttpResponse:
    try:
        # Read past Django's general upload limit (DATA_UPLOAD_MAX_MEMORY_SIZE): a full batch is larger.
        raw = request.read(size) if size else b""
        text = raw.decode()
        body = _parse(raw, text)
    except (ValueError, UnicodeDecodeError):
        return respond(request, error_body("bad_json", _("The request body is not valid JSON.")), status=400)
    shape = "single"
    if isinstance(body, dict) and "events" in body:
        events, shape = body["events"], "batch"
        if not isinstance(events, list):
            raise InvalidInput(_("“events” is a list of events."), fields={"events": [_("Enter a list.")]})
    elif isinstance(body, dict):
        events = [body]
    else:
        raise InvalidInput(_("Send one event or {“events”: [...]}."), fields={"body": [_("Expected an object.")]})
    result = services.event_ingest(actor=actor_of(request), events=events, text=text, shape=shape)
    answer = result.as_json()
    if result.rejected and not (result.accepted or result.duplicates):
        fields = {
            f"events.{r['index']}.{name}": messages for r in result.rejected for name, messages in r["fields"].items()
        }
        answer = {"error": "invalid", "detail": _("No event in the request was valid."), "fields": fields, **answer}
        return respond(request, answer, status=422)
    return respond(request, answer, status=200)


class SubjectOut(Out):
    type: str
    id: int | str | None


class AlertOut(Out):
    """An early-warning alert: what rule raised it about whom, its owner and where it stands."""

    id: int
    rule: str
    subject: SubjectOut
    severity: int
    title: str
    detail: Object
    status: str
    owner: int | None
    owner_role: str | None
    org_unit: int | None
    touchpoint: str | None
    customer: int | None
    case: int | None
    raised_at: Time
    acknowledged_at: Time | None
    resolved_at: Time | None
    resolution: str | None


class AlertsOut(Out):
    items: list[AlertOut]
    page: int
    page_size: int
    has_more: bool


def alert_brief(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk,
        "rule": a.rule,
        "subject": {"type": a.subject_type, "id": a.subject_id},
        "severity": a.severity,
        "title": a.shown_title,
        "detail": a.detail,
        "status": a.status,
        "owner": a.owner_id,
        "owner_role": a.owner_role or None,
        "org_unit": a.org_unit_id,
        "touchpoint": a.touchpoint.code if a.touchpoint_id and a.touchpoint else None,
        "customer": a.customer_id,
        "case": a.case_id,
        "raised_at": a.raised_at,
        "acknowledged_at": a.acknowledged_at,
        "resolved_at": a.resolved_at,
        "resolution": a.resolution or None,
    }


class AlertFilters(Schema):
    status: Literal["live", "open", "acknowledged", "resolved"] = "live"
    mine: bool = False
    severity: int | None = Field(None, ge=1, le=3)
    rule: str = Field("", max_length=48)
    owner_role: str = Field("", max_length=20)
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(50, ge=1, le=200)


@router.get("/alerts", response=AlertsOut)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> Any:
    """The early-warning inbox: newest first; `live` means open or acknowledged."""
    qs = queries.inbox(
        actor_of(request),
        status=filters.status,
        mine=filters.mine,
        severity=filters.severity,
        rule=filters.rule,
        owner_role=filters.owner_role,
    )
    result = queries.page(qs, filters.page, filters.page_size)
    return {**result, "items": [alert_brief(a) for a in result["items"]]}


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request: HttpRequest, alert_id: int) -> Any:
    return alert_brief(services.alert_acknowledge(actor=actor_of(request), alert_id=alert_id))


class ResolveIn(Schema):
    resolution: str = Field("", max_length=5000)


@router.post("/alerts/{alert_id}/resolve", response=AlertOut)
def resolve(request: HttpRequest, alert_id: int, payload: ResolveIn) -> Any:
    return alert_brief(
        services.alert_resolve(actor=actor_of(request), alert_id=alert_id, resolution=payload.resolution)
    )
