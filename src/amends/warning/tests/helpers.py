"""Constructed event streams for the rule and API tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from amends.warning import services

_n = [0]


def ev(
    type_: str, at: datetime, *, claim: str = "CL1", customer: str = "C0001", touchpoint: str = "", **attributes: Any
):
    _n[0] += 1
    event: dict[str, Any] = {
        "event_id": f"e-{_n[0]}-{type_}",
        "type": type_,
        "occurred_at": at.isoformat(),
        "customer_ref": customer,
        "claim_no": claim,
    }
    if touchpoint:
        event["touchpoint"] = touchpoint
    if attributes:
        event["attributes"] = attributes
    return event


def ingest(*events: dict[str, Any]):
    return services.event_ingest(actor=None, events=list(events))
