"""Labels of the early-warning pages."""

from __future__ import annotations

from django import template

from amends.accounts.models import Role

from ..models import AlertStatus, Severity

register = template.Library()


@register.filter
def severity_label(value: int) -> str:
    try:
        return str(Severity(value).label)
    except ValueError:
        return str(value)


@register.filter
def alert_status(code: str) -> str:
    try:
        return str(AlertStatus(code).label)
    except ValueError:
        return code


@register.filter
def role_name(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code
