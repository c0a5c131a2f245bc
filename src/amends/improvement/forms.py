"""Forms of the rectification pages: they only parse; the rules are in `improvement.services`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.journeys.queries import touchpoints_by_id
from amends.recovery.models import Cause

from .models import RectificationStatus


class RectificationForm(forms.Form):
    touchpoint = forms.ChoiceField(label=_("Touchpoint"))
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", _("Any cause")), *Cause.choices], required=False)
    title = forms.CharField(label=_("What will change"), max_length=200)
    action = forms.CharField(label=_("How"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.CharField(label=_("Owner (user name)"), max_length=150)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Chosen by name; the value stays the code the service and the Pareto link speak.
        named = sorted((f"{tp.journey.name} · {tp.name}", tp.code) for tp in touchpoints_by_id().values() if tp.active)
        field = cast(forms.ChoiceField, self.fields["touchpoint"])
        field.choices = [("", "---------"), *((code, label) for label, code in named)]


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RectificationStatus.choices)
    owner = forms.CharField(label=_("Owner (user name)"), max_length=150, required=False)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
