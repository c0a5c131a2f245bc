"""Labels for discretion codes (kinds, statuses, the reasons a request went the way it did), and the forms
of the case page's discretion panel (blank, or the bound one a service just refused)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from amends.core.templatetags.amends import choice_label
from amends.discretion import rules
from amends.discretion.forms import DiscretionForm
from amends.discretion.models import ApprovalStatus, Kind, PolicyRole, RequestStatus

register = template.Library()

REASONS = {
    rules.BREACH: _("it would breach a law or regulation"),
    rules.NO_AUTHORITY: _("your role has no authority of this kind"),
    rules.OVER_LIMIT: _("above your limit per action"),
    rules.ACTOR_BUDGET: _("beyond your budget for the period"),
    rules.UNIT_BUDGET: _("beyond your unit's budget for the period"),
    rules.AT_FAULT_AND_COSTLY: _("the customer is at fault and it costs extra"),
    rules.WITHIN_AUTHORITY: _("within authority"),
}


@register.filter
def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))


@register.filter
def kind_label(code: str) -> str:
    return choice_label(Kind, code)


@register.filter
def policy_role(code: str) -> str:
    return choice_label(PolicyRole, code)


@register.filter
def request_status(code: str) -> str:
    return choice_label(RequestStatus, code)


@register.filter
def approval_status(code: str) -> str:
    return choice_label(ApprovalStatus, code)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@register.simple_tag
def discretion_form(forms: dict[str, Any]) -> DiscretionForm:
    return forms.get("discretion") or DiscretionForm()


@register.filter
def yuan(value: Any) -> str:
    """3000 → "3,000.00": amounts as staff read them, the same in every language."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except ArithmeticError:
        return str(value)
