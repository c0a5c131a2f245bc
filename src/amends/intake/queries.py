"""Reads of complaints: the complaints section of a case and the shape of a complaint in the API."""

from __future__ import annotations

from typing import Any

from amends.accounts.models import User
from amends.recovery.models import Case

from .models import Complaint


def complaint_brief(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "reference": c.reference,
        "channel": c.channel,
        "received_at": c.received_at,
        "due_at": c.due_at,
        "extension_level": c.extension_level,
        "decided_at": c.decided_at,
        "decision": c.decision or None,
        "status": "decided" if c.decided_at else "open",
        "policy_no": c.policy_no or None,
        "claim_no": c.claim_no or None,
        "touchpoint": c.touchpoint.code if c.touchpoint else None,
        "description": c.description,
        "request": c.request,
        "request_confirmed": c.request_confirmed,
        "loss_amount": str(c.loss_amount) if c.loss_amount is not None else None,
        "category": c.category or None,
        "line": c.line or None,
        "region": c.region or None,
        "result": c.result or None,
        "at_fault": c.at_fault,
        "imported": {"source": c.source, "external_ref": c.external_ref} if c.source else None,
        "extensions": [
            {"id": e.pk, "level": e.level, "status": e.status, "reason": e.reason} for e in c.extensions.all()
        ],
    }


def case_complaints(actor: User, case: Case) -> list[dict[str, Any]]:
    rows = Complaint.objects.filter(case=case).select_related("touchpoint").prefetch_related("extensions")
    return [complaint_brief(c) for c in rows.order_by("received_at", "id")]
