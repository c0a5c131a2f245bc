"""JSON API for the alert inbox: list (mine or my scope), acknowledge, resolve."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from amends.accounts.access import scope_unit_ids
from amends.core.http import actor_of

from . import services
from .models import Alert, AlertStatus

router = Router(tags=["alerts"])


def alert_brief(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk,
        "rule": a.rule,
        "subject": {"type": a.subject_type, "id": a.subject_id},
        "severity": a.severity,
        "title": a.title,
        "detail": a.detail,
        "status": a.status,
        "owner": a.owner_id,
        "org_unit": a.org_unit_id,
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
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(50, ge=1, le=200)


@router.get("/alerts", response=dict)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> Any:
    """The early-warning inbox: newest first; `live` means open or acknowledged."""
    actor = actor_of(request)
    qs = Alert.objects.all()
    if filters.mine:
        qs = qs.filter(owner=actor)
    else:
        units = scope_unit_ids(actor)
        qs = qs if units is None else qs.filter(Q(org_unit_id__in=units) | Q(owner=actor))
    qs = qs.exclude(status=AlertStatus.RESOLVED) if filters.status == "live" else qs.filter(status=filters.status)
    start = (filters.page - 1) * filters.page_size
    rows = list(qs.order_by("-raised_at", "-id")[start : start + filters.page_size + 1])
    return {
        "items": [alert_brief(a) for a in rows[: filters.page_size]],
        "page": filters.page,
        "page_size": filters.page_size,
        "has_more": len(rows) > filters.page_size,
    }


@router.post("/alerts/{alert_id}/acknowledge", response=dict)
def acknowledge(request: HttpRequest, alert_id: int) -> Any:
    return alert_brief(services.alert_acknowledge(actor=actor_of(request), alert_id=alert_id))


class ResolveIn(Schema):
    resolution: str = Field("", max_length=5000)


@router.post("/alerts/{alert_id}/resolve", response=dict)
def resolve(request: HttpRequest, alert_id: int, payload: ResolveIn) -> Any:
    return alert_brief(
        services.alert_resolve(actor=actor_of(request), alert_id=alert_id, resolution=payload.resolution)
    )
