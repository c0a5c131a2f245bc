"""JSON API of correspondence: a case's messages, and writing one to the customer (`/cases/{id}/messages`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from amends.accounts.access import SEES_CONTACTS, can
from amends.accounts.http import actor_of
from amends.recovery.access import access_case

from . import queries, services

router = Router(tags=["correspondence"])


class MessageIn(Schema):
    channel: Literal["sms", "email"] | None = Field(None, description="None: the customer's preferred contact")
    template: str = Field("", max_length=40, description="A template key: update, playbook_apology, decision, promise…")
    values: dict[str, str] = Field(default_factory=dict, description="Placeholders of the template: text, due…")
    subject: str = Field("", max_length=200)
    body: str = Field("", max_length=5000, description="The text as sent; empty to use the template's")
    language: Literal["zh-hans", "zh-hant", "en"] | None = None


@router.get("/cases/{case_id}/messages", response=dict)
def list_messages(request: HttpRequest, case_id: int) -> Any:
    """The messages to and from the case's customer, oldest first, with their delivery status."""
    actor = actor_of(request)
    return {"messages": queries.case_messages(actor, access_case(actor, case_id))}


@router.post("/cases/{case_id}/messages", response={201: dict})
def send_message(request: HttpRequest, case_id: int, payload: MessageIn) -> Any:
    """Write to the customer: queued now, sent after commit by the worker (status follows: sent, failed…)."""
    actor = actor_of(request)
    case = access_case(actor, case_id)
    message = services.message_send(
        actor=actor,
        case=case,
        template=payload.template,
        values=payload.values,
        subject=payload.subject,
        body=payload.body,
        channel=payload.channel,
        language=payload.language,
    )
    return Status(201, queries.message_brief(message, full_address=can(actor, SEES_CONTACTS)))
