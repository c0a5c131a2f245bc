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

# The escalation flags text reads from a complaint (text.models.FlagCode, an app above this one): a priority
# factor stores their codes, the page shows these words.
ESCALATION_FLAGS = {
    "regulator": _("Regulator"),
    "media": _("Media"),
    "legal": _("Legal action"),
    "consumer_body": _("Consumer body"),
    "repeat": _("Repeat complaint"),
    "distress": _("Distress"),
}


@register.filter
def still_open(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open ones of a list of case summaries (the customer page's open cases)."""
    return [c for c in cases if c["status"] != CaseStatus.CLOSED]


@register.filter
def closed_only(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in cases if c["status"] == CaseStatus.CLOSED]


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


JOIN_REASONS = {
    "same_claim": _("joined: same claim"),
    "same_policy": _("joined: same policy"),
    "same_journey": _("joined: same journey, still open"),
    "same_episode": _("joined: same matter, still open"),
    "similar_text": _("joined: near-duplicate of %(reference)s (%(percent)s%% similar)"),
}


@register.filter
def join_reason(why: dict[str, Any] | None) -> str:
    """Why a complaint joined this case, for its timeline entry."""
    if not why:
        return ""
    label = str(JOIN_REASONS.get(why.get("reason", ""), why.get("reason", "")))
    if why.get("reason") == "similar_text":
        return label % {"reference": why.get("reference", ""), "percent": round(100 * why.get("similarity", 0))}
    key = why.get("key")
    return f"{label} {key}" if key else label


@register.filter
def factor_label(code: str) -> str:
    return str(FACTORS.get(code, code))


@register.filter
def factor_value(factor: dict[str, Any]) -> str:
    if factor.get("code") == "segment":
        return choice_label(Segment, factor.get("value"))
    if factor.get("code") == "escalation":
        codes = [c for c in str(factor.get("value") or "").split(",") if c]
        return ", ".join(str(ESCALATION_FLAGS.get(c, c)) for c in codes)
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
