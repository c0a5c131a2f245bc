"""The messages panel of the case page: the compose form (bound after a refusal or a draft) and the drafts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from ..forms import MessageForm
from ..models import Channel, MessageStatus
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
