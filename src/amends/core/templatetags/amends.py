"""Template helpers shared by every page: deadlines as people say them, form fields with their errors, and
labels for stored codes. App-specific labels live in each app's own tag library (`recovery_tags`…)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.db.models import Choices
from django.utils.translation import ngettext

register = template.Library()


def choice_label(choices: type[Choices], value: Any) -> str:
    """The translated label of a stored code, or the code itself when it is not (or no longer) a choice."""
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def due_words(due_at: datetime | None, now: datetime) -> tuple[str, str]:
    """('overdue by 3 days', 'overdue') / ('5 days left', 'soon' | 'ok'); hours under a day."""
    if due_at is None:
        return "", "none"
    seconds = (due_at - now).total_seconds()
    late = seconds < 0
    seconds = abs(seconds)
    days, hours = int(seconds // 86400), int(seconds // 3600)
    if late:
        if days >= 1:
            text = ngettext("overdue by %(n)s day", "overdue by %(n)s days", days) % {"n": days}
        else:
            text = ngettext("overdue by %(n)s hour", "overdue by %(n)s hours", hours) % {"n": hours}
        return text, "overdue"
    if days >= 1:
        text = ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
    else:
        text = ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}
    return text, "soon" if days < 3 else "ok"


@register.inclusion_tag("core/due.html")
def due(due_at: datetime | None, now: datetime, closed: bool = False) -> dict[str, Any]:
    text, state = due_words(due_at, now)
    return {"due_at": due_at, "text": "" if closed else text, "state": "none" if closed else state}


@register.inclusion_tag("core/field.html")
def field(bound_field: Any, hint: str = "", css: str = "") -> dict[str, Any]:
    return {"f": bound_field, "hint": hint or bound_field.help_text, "css": css}


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """`{{ forms|get:"decide-3" }}`: a dictionary lookup with a computed key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
