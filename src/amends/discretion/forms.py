"""Forms of the discretion panel on the case page and of the approvals page. They only parse what was posted;
the decision (granted, for approval, refused) and every check of amount and authority belong to
`discretion.services`, whose refusals are shown on these forms. The three answers have no default: the
person asking must choose yes or no for each."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.core.forms import LocalDateTimeField

from .models import Kind, Period, PolicyRole

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=YES_NO, coerce=lambda v: v == "yes", widget=forms.RadioSelect, **kwargs)


class DiscretionForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=Kind.choices)
    amount = forms.CharField(
        label=_("Amount (yuan)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "300.00"}),
    )
    reason = forms.CharField(
        label=_("Why: what went wrong for the customer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    customer_at_fault = YesNoField(label=_("Is the customer at fault?"))
    extra_cost = YesNoField(label=_("Does it cost the company anything extra?"))
    breaches_regulation = YesNoField(label=_("Would it breach a law or regulation?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_discretion_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the requester"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, approval_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_approval{approval_id}_%s")
        super().__init__(*args, **kwargs)


class ReportFilters(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        choices=[(1, _("This month")), (3, _("Last 3 months")), (6, _("Last 6 months")), (12, _("Last 12 months"))],
    )


class PolicyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PolicyRole.choices)
    org_unit = forms.TypedChoiceField(label=_("Unit (and the units below it)"), coerce=int)
    kind = forms.ChoiceField(label=_("What"), choices=Kind.choices)
    per_action_limit = forms.CharField(label=_("Per action (¥)"), max_length=20)
    actor_budget = forms.CharField(label=_("Per person and period (¥)"), max_length=20, required=False)
    unit_budget = forms.CharField(label=_("Per unit and period (¥)"), max_length=20, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)
    effective_from = LocalDateTimeField(
        label=_("In force from"), required=False, help_text=_("Empty: now. Never in the past.")
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_policy_%s")
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["org_unit"]).choices = units
