"""Forms of the portal, the survey page and the call script. They parse; the services decide."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttemptOutcome, ContactPreference
from .rules import DIMENSIONS

SATISFACTION = [(str(i), str(i)) for i in range(1, 6)]
ELEVEN = [(str(i), str(i)) for i in range(0, 11)]


class PortalForm(forms.Form):
    # Required fields are checked by the service with the rest, so one answer lists every problem.
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=32, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    contact_preference = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
        widget=forms.RadioSelect,
    )
    policy_no = forms.CharField(label=_("Policy number (if you have it)"), max_length=40, required=False)
    claim_no = forms.CharField(label=_("Claim number (if you have it)"), max_length=40, required=False)
    description = forms.CharField(
        label=_("What happened?"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    request = forms.CharField(
        label=_("What would you like us to do?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A field people never see: a form that fills it in was filled in by a program.
    website = forms.CharField(required=False, max_length=200)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"inputmode": "email", "autocomplete": "email"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def caught(self) -> bool:
        return bool(self.data.get("website", "").strip())


class CodeForm(forms.Form):
    """The one-time code sent to the contact on file."""

    code = forms.RegexField(label=_("Code"), regex=r"^\s*[0-9]{6}\s*$", max_length=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


def _scale(label: Any, choices: list[tuple[str, str]], required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, empty_value=None, widget=forms.RadioSelect
    )


DIMENSION_LABELS = {
    "reliability": _("Did we do what we said we would? (reliability)"),
    "responsiveness": _("Were we quick enough? (responsiveness)"),
    "competence": _("Did we get it right? (competence)"),
    "attitude": _("Were we courteous and caring? (attitude)"),
    "standards": _("Were we fair and by the rules? (standards)"),
}


class AnswerForm(forms.Form):
    """The follow-up questions (the same for the survey page and the call script)."""

    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    satisfaction = _scale(_("Overall, how satisfied are you? (1 = not at all, 5 = very)"), SATISFACTION)
    reliability = _scale(DIMENSION_LABELS["reliability"], SATISFACTION)
    responsiveness = _scale(DIMENSION_LABELS["responsiveness"], SATISFACTION)
    competence = _scale(DIMENSION_LABELS["competence"], SATISFACTION)
    attitude = _scale(DIMENSION_LABELS["attitude"], SATISFACTION)
    standards = _scale(DIMENSION_LABELS["standards"], SATISFACTION)
    renew = _scale(_("How likely are you to renew with us? (0–10)"), ELEVEN)
    recommend = _scale(_("How likely are you to recommend us to a friend? (0–10)"), ELEVEN)
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def answer(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in ["solved", "satisfaction", *DIMENSIONS, "renew", "recommend", "comment"]
        }

    def dimension_fields(self) -> list[Any]:
        return [self[d] for d in DIMENSIONS]


class CallForm(AnswerForm):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"), choices=AttemptOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddForm(forms.Form):
    """What the complainant adds on the status page; the files come from `request.FILES` ("files", several)."""

    text = forms.CharField(
        label=_("Anything to add?"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class WithdrawForm(forms.Form):
    """The complainant withdraws an undecided complaint (撤回); saying why is optional."""

    reason = forms.CharField(
        label=_("Why are you withdrawing it? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """The complainant asks for a review (核查) of the decision; the grounds are checked by the service."""

    grounds = forms.CharField(
        label=_("Why should the decision be reviewed?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
