"""`{% if user|can:"works_cases" %}`: templates show an action only to roles allowed to take it. The service
checks again; hiding a button is courtesy, never protection."""

from __future__ import annotations

from typing import Any

from django import template

from amends.accounts import access
from amends.accounts.models import Role

register = template.Library()

CAPABILITIES = {
    "receives_complaints": access.RECEIVES_COMPLAINTS,
    "works_cases": access.WORKS_CASES,
    "assigns_cases": access.ASSIGNS_CASES,
    "approves_extensions": access.APPROVES_EXTENSIONS,
    "sees_contacts": access.SEES_CONTACTS,
    "sees_insights": access.SEES_INSIGHTS,
    "approves_discretion": access.APPROVES_DISCRETION,
    "edits_lexicon": access.EDITS_LEXICON,
}


@register.filter
def can(user: Any, capability: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and access.can(user, CAPABILITIES[capability])


@register.filter
def role_label(user: Any) -> str:
    try:
        return str(Role(user.role).label)
    except (AttributeError, ValueError):
        return ""
