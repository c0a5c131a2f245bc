"""Forms of the alert inbox and the playbook page. They only parse; `warning.services` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Role

from .models import SYSTEM_RULE_NAMES, AlertStatus, RuleConfig, Severity


class InboxFilters(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("live", _("Open or acknowledged")), *AlertStatus.choices],
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), required=False, coerce=int, empty_value=None, choices=[("", _("Any")), *Severity.choices]
    )
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    owner_role = forms.ChoiceField(label=_("Owner role"), required=False, choices=[("", _("Any")), *Role.choices])
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = RuleConfig.objects.order_by("key").values_list("key", "name")
        system = sorted(SYSTEM_RULE_NAMES.items())
        self.fields["rule"].choices = [("", _("Any")), *rules, *system]  # type: ignore[attr-defined]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"), max_length=5000, required=False, widget=forms.TextInput()
    )


class PlaybookForm(forms.Form):
    apology = forms.CharField(label=_("Apology wording"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    fix_actions = forms.CharField(
        label=_("Fix actions (one per line)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    atonement = forms.CharField(label=_("Atonement"), max_length=2000, required=False)
    atonement_limit = forms.DecimalField(
        label=_("Atonement limit (yuan)"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    follow_up_days = forms.IntegerField(label=_("Follow up after (days)"), min_value=0, max_value=90, initial=3)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
