"""Labels for what customers and policies store as codes."""

from __future__ import annotations

from django import template

from amends.core.templatetags.amends import choice_label
from amends.customers.models import Line, PolicyStatus, Segment

register = template.Library()


@register.filter
def segment_label(code: str) -> str:
    return choice_label(Segment, code)


@register.filter
def line_label(code: str) -> str:
    return choice_label(Line, code)


@register.filter
def policy_status_label(code: str) -> str:
    return choice_label(PolicyStatus, code)
