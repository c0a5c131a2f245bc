"""JSON API of correspondence: a case's messages and writing one to the customer (`/cases/{id}/messages`), its
evidence files (`/cases/{id}/attachments`)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from amends.accounts.access import SEES_CONTACTS, can
from amends.accounts.http import actor_of
from amends.core.schemas import IdName, Out, PersonOut, Time
from amends.recovery.access import access_case

from . import evidence, notes, queries, services
from .models import AttachmentSource
from .views import file_response

router = Router(tags=["correspondence"])


class MessageOut(Out):
    """A message to or from the case's customer, with its delivery status; `address` masked for roles that do
    not see contacts."""

    id: int
    direction: str
    channel: str
    address: str
    subject: str
    body: str
    template: str | None
    language: str
    status: str
    attempts: int
    last_error: str | None
    complaint: int | None
    actor: IdName | None
    created_at: Time
    sent_at: Time | None
    delivered_at: Time | None


class MessagesOut(Out):
    messages: list[MessageOut]


class AttachmentOut(Out):
    """An evidence file: its original name (cleaned), the type read from its content, where to fetch it."""

    id: int
    name: str
    content_type: str
    size: int
    source: str
    complaint: int | None
    step: int | None
    message: int | None
    note: str
    uploaded_by: IdName | None
    created_at: Time
    url: str
    download: str
    thumbnail: str | None


class AttachmentsOut(Out):
    attachments: list[AttachmentOut]


class NoteOut(Out):
    id: int
    author: IdName
    body: str
    created_at: Time


class NotesOut(Out):
    """Internal notes (never shown to the customer), and who follows the case."""

    items: list[NoteOut]
    following: bool
    followers: int


class NoteAddedOut(Out):
    id: int
    body: str
    created_at: Time
    mentioned: list[PersonOut]


class FollowOut(Out):
    following: bool


class MessageIn(Schema):
    channel: Literal["sms", "email"] | None = Field(None, description="None: the customer's preferred contact")
    template: str = Field("", max_length=40, description="A template key: update, playbook_apology, decision, promise…")
    values: dict[str, str] = Field(default_factory=dict, description="Placeholders of the template: text, due…")
    subject: str = Field("", max_length=200)
    body: str = Field("", max_length=5000, description="The text as sent; empty to use the template's")
    language: Literal["zh-hans", "zh-hant", "en"] | None = None
    complaint: int | None = Field(None, description="The complaint of this case the message is about")


@router.get("/cases/{case_id}/messages", response=MessagesOut)
def list_messages(request: HttpRequest, case_id: int) -> Any:
    """The messages to and from the case's customer, oldest first, with their delivery status."""
    actor = actor_of(request)
    return {"messages": queries.case_messages(actor, access_case(actor, case_id))}


@router.post("/cases/{case_id}/messages", response={201: MessageOut})
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
        complaint_id=payload.complaint,
    )
    return Status(201, queries.message_brief(message, full_address=can(actor, SEES_CONTACTS)))


@router.get("/cases/{case_id}/attachments", response=AttachmentsOut)
def list_attachments(request: HttpRequest, case_id: int) -> Any:
    """The case's evidence files, oldest first (also under `attachments` in `GET /cases/{id}`)."""
    actor = actor_of(request)
    return {"attachments": queries.case_attachments(actor, access_case(actor, case_id))}


@router.post("/cases/{case_id}/attachments", response={201: AttachmentOut})
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


class NoteIn(Schema):
    body: str = Field(..., max_length=10000, description="Internal; `@username` or `@full name` notifies a colleague")


@router.get("/cases/{case_id}/notes", response=NotesOut)
def list_notes(request: HttpRequest, case_id: int) -> Any:
    """The case's internal notes (also under `notes` in `GET /cases/{id}`), and whether the caller follows it."""
    actor = actor_of(request)
    return queries.case_notes(actor, access_case(actor, case_id))


@router.post("/cases/{case_id}/notes", response={201: NoteAddedOut})
def add_note(request: HttpRequest, case_id: int, payload: NoteIn) -> Any:
    """Add an internal note; the colleagues it names who may see the case are notified (`mentioned`)."""
    actor = actor_of(request)
    note, mentioned = notes.note_add(actor=actor, case=access_case(actor, case_id), body=payload.body)
    return Status(
        201,
        {
            "id": note.pk,
            "body": note.body,
            "created_at": note.created_at,
            "mentioned": [{"id": u.pk, "username": u.username, "name": str(u)} for u in mentioned],
        },
    )


class FollowIn(Schema):
    follow: bool = True


@router.post("/cases/{case_id}/follow", response=FollowOut)
def follow_case(request: HttpRequest, case_id: int, payload: FollowIn) -> Any:
    """Follow (or stop following) a case: its notes and the customer's messages then notify you."""
    actor = actor_of(request)
    return {"following": notes.case_follow(actor=actor, case=access_case(actor, case_id), follow=payload.follow)}
