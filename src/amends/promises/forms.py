"""Forms of the promises panel on the case page and of the kept-rate hint. They only parse what was posted;
every rule (due in the future, consent for a new due time, settled once) is decided by `promises.services`,
whose refusals are shown on these forms. A `datetime-local` value is read in the server's time zone."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amends.core.forms import LocalDateTimeField
from amends.intake.forms import touchpoint_choices
from amends.intake.models import Channel


class PromiseForm(forms.Form):
    text = forms.CharField(label=_("What was promised"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    due_at = LocalDateTimeField(label=_("Promised by"))
    channel = forms.ChoiceField(label=_("Promised through"), choices=Channel.choices, initial=Channel.HOTLINE)
    touchpoint = forms.ChoiceField(label=_("Touchpoint (moment of truth)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_promise_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["touchpoint"]).choices = touchpoint_choices()
        # The kept-rate hint follows the due time and the touchpoint as they are picked (htmx GET).
        hint = {
            "hx-get": reverse("promise_hint"),
            "hx-trigger": "change",
            "hx-target": "#promise-hint",
            "hx-select": "#promise-hint",
            "hx-swap": "outerHTML",
        }
        self.fields["due_at"].widget.attrs.update({**hint, "hx-include": "#id_promise_touchpoint"})
        self.fields["touchpoint"].widget.attrs.update({**hint, "hx-include": "#id_promise_due_at"})


class SettleForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("kept", "kept"), ("broken", "broken"), ("renegotiated", "renegotiated")],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)
    new_due_at = LocalDateTimeField(label=_("New due time"), required=False)
    customer_consent = forms.BooleanField(label=_("The customer agreed to the new time"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, promise_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_settle{promise_id}_%s")
        super().__init__(*args, **kwargs)
        self.promise_id = promise_id

    def renegotiating(self) -> bool:
        return self.is_bound and self.data.get("outcome") == "renegotiated"


class HintForm(forms.Form):
    touchpoint = forms.CharField(required=False, max_length=100)
    due_at = LocalDateTimeField()
