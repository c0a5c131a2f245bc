"""JSON API of correspondence: a case's messages and writing one to the customer (`/cases/{id}/messages`), its
evidence files (`/cases/{id}/attachments`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from amends.accounts.access import SEES_CONTACTS, can
from amends.accounts.http import actor_of
from amends.recovery.access import access_case

from . import evidence, queries, services
from .models import AttachmentSource
from .views import file_response

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


@router.get("/cases/{case_id}/attachments", response=dict)
def list_attachments(request: HttpRequest, case_id: int) -> Any:
    """The case's evidence files, oldest first (also under `attachments` in `GET /cases/{id}`)."""
    actor = actor_of(request)
    return {"attachments": queries.case_attachments(actor, access_case(actor, case_id))}


@router.post("/cases/{case_id}/attachments", response={201: dict})
def add_attachment(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    complaint: Form[int | None] = None,
    step: Form[int | None] = None,
    message: Form[int | None] = None,
    note: Form[str] = "",
) -> Any:
    """Attach a file (multipart field `file`), optionally about one complaint, step or message of the case. Its
    type is read from its content; 422 for a kind of file not accepted, an empty or too large one."""
    actor = actor_of(request)
    attachment = evidence.attachment_add(
        actor=actor,
        case=access_case(actor, case_id),
        upload=file,
        source=AttachmentSource.API,
        complaint_id=complaint,
        step_id=step,
        message_id=message,
        note=note,
    )
    return Status(201, queries.attachment_brief(attachment))


@router.get("/cases/{case_id}/attachments/{attachment_id}")
def download_attachment(request: HttpRequest, case_id: int, attachment_id: int) -> Any:
    """The file itself, under its original name (the download is audited)."""
    attachment, handle = evidence.attachment_open(actor=actor_of(request), attachment_id=attachment_id, case_id=case_id)
    return file_response(attachment, handle)
