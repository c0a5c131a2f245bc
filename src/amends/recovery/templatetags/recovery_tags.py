"""Labels for what a case stores as codes: status, steps, timing, follow-up outcomes, timeline kinds and
the factors behind a priority."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from amends.core.templatetags.amends import choice_label
from amends.customers.models import Segment
from amends.recovery.models import CaseStatus, Closure, FollowUpOutcome, Step, TimelineKind, Timing

register = template.Library()

FACTORS = {
    "segment": _("Customer segment"),
    "customer_value": _("Customer value (annual premium)"),
    "loss_amount": _("Loss amount"),
    "repeat_failures": _("Repeat failures in 90 days"),
    "touchpoint_criticality": _("Touchpoint criticality"),
    "escalation": _("Escalation risk"),
    "early_warning": _("Raised by an early warning"),
}


@register.filter
def case_status(code: str) -> str:
    return choice_label(CaseStatus, code)


@register.filter
def step_label(code: str) -> str:
    return choice_label(Step, code)


@register.filter
def timing_label(code: str) -> str:
    return choice_label(Timing, code)


@register.filter
def outcome_label(code: str) -> str:
    return choice_label(FollowUpOutcome, code)


@register.filter
def closure_label(code: str) -> str:
    return choice_label(Closure, code)


@register.filter
def timeline_kind(code: str) -> str:
    return choice_label(TimelineKind, code)


@register.filter
def factor_label(code: str) -> str:
    return str(FACTORS.get(code, code))


@register.filter
def factor_value(factor: dict[str, Any]) -> str:
    if factor.get("code") == "segment":
        return choice_label(Segment, factor.get("value"))
    return str(factor.get("value", ""))


HINTS = {
    "apology": _("Say sorry in your own words and own the failure; never blame the customer or another department."),
    "fix": _("Put the immediate problem right, or tell the customer exactly what will happen and by when."),
    "empathy": _("Show that you understand what the failure cost the customer: time, money, worry."),
    "atonement": _(
        "Offer a token of goodwill within your authority, so the customer feels the failure was taken seriously."
    ),
    "follow_up": _(
        "Contact the customer again: is the problem solved, and are they satisfied with how it was handled?"
    ),
}


@register.filter
def step_hint(code: str) -> str:
    return str(HINTS.get(code, ""))
