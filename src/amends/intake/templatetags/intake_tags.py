"""Labels for complaint codes, and the forms of one complaint on the case page (blank, or the bound one
that a service just refused)."""

from __future__ import annotations

from typing import Any

from django import template

from amends.core.templatetags.amends import choice_label
from amends.intake.forms import DecideForm, ExtendForm, ExtensionDecisionForm
from amends.intake.models import Category, Channel, ExtensionStatus, Result

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
    }
