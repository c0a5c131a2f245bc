"""Labels for complaint codes, and the forms of one complaint on the case page (blank, or the bound one
that a service just refused)."""

from __future__ import annotations

from typing import Any

from django import template

from amends.core.templatetags.amends import choice_label
from amends.intake.forms import (
    DecideForm,
    ExtendForm,
    ExtensionDecisionForm,
    LetterCheckForm,
    ReasonForm,
    RegulatorFeedbackForm,
    ReviewDecisionForm,
)
from amends.intake.models import Category, Channel, ExtensionStatus, FiledAs, Result, ReviewOutcome

register = template.Library()


@register.filter
def channel_label(code: str) -> str:
    return choice_label(Channel, code)


@register.filter
def category_label(code: str) -> str:
    return choice_label(Category, code)


@register.filter
def result_label(code: str) -> str:
    return choice_label(Result, code)


@register.filter
def review_outcome_label(code: str) -> str:
    return choice_label(ReviewOutcome, code)


@register.filter
def filed_as_label(code: str) -> str:
    return choice_label(FiledAs, code)


@register.simple_tag
def complaint_forms(complaint: dict[str, Any], forms: dict[str, Any]) -> dict[str, Any]:
    cid = complaint["id"]
    extensions = complaint["extensions"]
    pending = [e for e in extensions if e["status"] == ExtensionStatus.PENDING]
    next_level = complaint["extension_level"] + 1
    return {
        "decide": forms.get(f"decide-{cid}") or DecideForm(),
        "extend": forms.get(f"extend-{cid}") or ExtendForm(initial={"level": next_level}),
        "may_extend": next_level <= 2 and not pending,
        "next_level": next_level,
        "pending": [{**e, "form": forms.get(f"extension-{e['id']}") or ExtensionDecisionForm()} for e in pending],
        "pause": forms.get(f"pause-{cid}") or ReasonForm(),
        "withdraw": forms.get(f"withdraw-{cid}") or ReasonForm(),
        "letters": [
            {**letter, "form": forms.get(f"letter-{letter['id']}") or LetterCheckForm()}
            for letter in complaint["letters"]
            if letter["status"] == "awaiting_check"
        ],
        "review": forms.get(f"review-{complaint['review']['id']}") or ReviewDecisionForm()
        if complaint["review"]
        else None,
        "regulator": forms.get(f"regulator-{cid}") or RegulatorFeedbackForm(),
    }
