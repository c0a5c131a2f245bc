"""Forms of the rectification pages: they only parse; the rules are in `improvement.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.recovery.models import Cause

from .models import RectificationStatus


class RectificationForm(forms.Form):
    touchpoint = forms.CharField(label=_("Touchpoint"), max_length=64)
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", _("Any cause")), *Cause.choices], required=False)
    title = forms.CharField(label=_("What will change"), max_length=200)
    action = forms.CharField(label=_("How"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.CharField(label=_("Owner (user name)"), max_length=150)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RectificationStatus.choices)
    owner = forms.CharField(label=_("Owner (user name)"), max_length=150, required=False)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
