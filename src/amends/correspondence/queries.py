"""Reads of correspondence: a case's messages (the case page's panel and `GET /cases/{id}`'s `messages`),
and the drafts staff start from, filled from what the case page already shows (the playbook's apology, the
decision told, the latest open promise) so this app reads nothing from the apps above it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from amends.accounts.access import SEES_CONTACTS, can
from amends.accounts.models import User
from amends.customers.presenters import masked_email, masked_phone
from amends.recovery.models import Case

from . import rules
from .contacts import preference_of
from .models import Attachment, Channel, Message, MessageTemplate
from .services import language_for


def message_brief(m: Message, *, full_address: bool = True) -> dict[str, Any]:
    address = m.address
    if not full_address:
        address = masked_email(address) if m.channel == Channel.EMAIL else masked_phone(address)
    return {
        "id": m.pk,
        "direction": m.direction,
        "channel": m.channel,
        "address": address,
        "subject": m.subject,
        "body": m.body,
        "template": m.template_key or None,
        "language": m.language,
        "status": m.status,
        "attempts": m.attempts,
        "last_error": m.last_error or None,
        "complaint": m.complaint_id,
        "actor": {"id": m.actor_id, "name": str(m.actor)} if m.actor_id else None,
        "created_at": m.created_at,
        "sent_at": m.sent_at,
        "delivered_at": m.delivered_at,
    }


def case_messages(actor: User, case: Case) -> list[dict[str, Any]]:
    full = can(actor, SEES_CONTACTS)
    rows = Message.objects.filter(case=case).select_related("actor").order_by("created_at", "id")
    return [message_brief(m, full_address=full) for m in rows]


def _local(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:16].replace("T", " ")
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def draft_values(detail: dict[str, Any]) -> dict[str, dict[str, str] | None]:
    """What each seeded template is filled with on this case, from the case page's own data; None where the
    case has nothing to say it with (no playbook, no decision yet, no open promise)."""
    playbook = detail.get("playbook") or {}
    decided = [c for c in detail.get("complaints") or [] if c.get("decision")]
    promises = [p for p in detail.get("promises") or [] if p.get("status") == "open"]
    last_decided = decided[-1] if decided else None
    last_promise = promises[-1] if promises else None
    return {
        "update": {"text": ""},
        "playbook_apology": {"text": playbook["apology"]} if playbook.get("apology") else None,
        "decision": (
            {"text": last_decided["decision"], "complaint": last_decided["reference"]} if last_decided else None
        ),
        "promise": {"text": last_promise["text"], "due": _local(last_promise["due_at"])} if last_promise else None,
    }


def drafts(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The templates staff may start from on this case (its page's detail), filled in the customer's language."""
    language = language_for(preference_of(detail["id"]).language)
    values = draft_values(detail)
    found: dict[str, MessageTemplate] = {}
    for t in MessageTemplate.objects.filter(key__in=list(values)).order_by("key"):
        if t.key not in found or t.language == language:
            found[t.key] = t
    out = []
    for key, extra in values.items():
        template = found.get(key)
        if template is None or extra is None:
            continue
        filled = {"customer": detail["customer"]["name"], "case": detail["reference"], **extra}
        out.append(
            {
                "key": key,
                "name": template.name,
                "subject": rules.fill(template.subject, filled),
                "body": rules.fill(template.body, filled),
            }
        )
    return out


def attachment_brief(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "source": a.source,
        "complaint": a.complaint_id,
        "step": a.step_id,
        "message": a.message_id,
        "note": a.note,
        "uploaded_by": {"id": a.uploaded_by_id, "name": str(a.uploaded_by)} if a.uploaded_by_id else None,
        "created_at": a.created_at,
        "url": f"/api/v1/cases/{a.case_id}/attachments/{a.pk}",
        "download": reverse("attachment_download", kwargs={"attachment_id": a.pk}),
        "thumbnail": reverse("attachment_thumbnail", kwargs={"attachment_id": a.pk}) if a.thumbnail else None,
    }


def case_attachments(actor: User, case: Case) -> list[dict[str, Any]]:
    rows = Attachment.objects.filter(case=case).select_related("uploaded_by").order_by("created_at", "id")
    return [attachment_brief(a) for a in rows]
