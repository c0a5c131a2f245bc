"""The messages panel of the case page: the compose form (bound after a refusal or a draft) and the drafts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from amends.recovery.models import Step

from ..forms import EvidenceForm, MessageForm
from ..models import AttachmentSource, Channel, MessageStatus
from ..queries import drafts

register = template.Library()


@register.simple_tag
def message_panel(case: dict[str, Any], forms: dict[str, Any]) -> dict[str, Any]:
    offered = drafts(case)
    form = forms.get("message") or MessageForm(
        initial={"template": offered[0]["key"], "body": offered[0]["body"], "subject": offered[0]["subject"]}
        if offered
        else {}
    )
    return {"form": form, "drafts": offered}


@register.filter
def message_status(code: str) -> str:
    return str(dict(MessageStatus.choices).get(code, code))


@register.filter
def message_channel(code: str) -> str:
    return str(dict(Channel.choices).get(code, code))


@register.simple_tag
def message_direction(direction: str) -> str:
    return _("From the customer") if direction == "in" else _("To the customer")


def about_choices(case: dict[str, Any]) -> list[tuple[str, str]]:
    """What a file on this case may be about: the case, each complaint, each recorded step, each message."""
    steps = dict(Step.choices)
    choices = [("case", _("The case"))]
    choices += [
        (f"complaint:{c['id']}", _("Complaint %(ref)s") % {"ref": c["reference"]}) for c in case.get("complaints") or []
    ]
    choices += [
        (f"step:{s['id']}", f"{steps.get(s['step'], s['step'])} · {localtime(s['at']):%m-%d %H:%M}")
        for s in case.get("steps") or []
        if s.get("id")
    ]
    choices += [
        (f"message:{m['id']}", _("Message of %(at)s") % {"at": f"{localtime(m['created_at']):%m-%d %H:%M}"})
        for m in case.get("messages") or []
    ]
    return choices


@register.simple_tag
def evidence_form(case: dict[str, Any], forms: dict[str, Any]) -> EvidenceForm:
    form = forms.get("evidence") or EvidenceForm()
    form.fields["about"].widget.choices = about_choices(case)
    return form


_LABELS = {
    "application/pdf": "PDF",
    "audio/mpeg": "MP3",
    "audio/mp4": "M4A",
    "audio/wav": "WAV",
    "audio/amr": "AMR",
    "video/mp4": "MP4",
    "image/heic": "HEIC",
}


@register.filter
def file_label(content_type: str) -> str:
    if content_type in _LABELS:
        return _LABELS[content_type]
    if "wordprocessingml" in content_type:
        return "DOCX"
    if "spreadsheetml" in content_type:
        return "XLSX"
    return content_type.rpartition("/")[2].upper()


@register.filter
def attachment_source(code: str) -> str:
    return str(dict(AttachmentSource.choices).get(code, code))
