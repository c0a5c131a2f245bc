"""Forms of complaint intake and of a complaint's clock on the case page.

They only parse what was posted into the service's input (`ComplaintInput`); which customer, policy,
touchpoint and staff member exist, and every rule of the regulatory clock, are decided by
`intake.services`, whose refusals come back onto these forms.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.access import scope_filter
from amends.accounts.models import User
from amends.customers.models import Segment
from amends.journeys.models import Journey

from .models import Channel, Result, ReviewOutcome
from .services import ComplaintInput, NewCustomer

NEW_CUSTOMER = "new"

# The service names fields as the API does ("customer.name"); the form's fields are flat.
SERVICE_FIELDS = {
    "customer.id": "customer",
    "customer.name": "new_name",
    "customer.segment": "new_segment",
    "customer.phone": "new_phone",
}


def touchpoint_choices() -> list[Any]:
    """Touchpoints grouped by their journey, in the catalogue's order and the current language."""
    groups: list[Any] = [("", _("Not known yet"))]
    for journey in Journey.objects.prefetch_related("touchpoints"):
        options = [(t.code, t.name) for t in journey.touchpoints.all() if t.active]
        if options:
            groups.append((journey.name, options))
    return groups


class ComplaintForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("Choose…")), *Channel.choices])
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    q = forms.CharField(
        label=_("Find the customer"),
        required=False,
        max_length=100,
        help_text=_("Name (first characters), phone, policy number or customer number."),
    )
    customer = forms.CharField(required=False, max_length=20)
    new_name = forms.CharField(label=_("Name"), required=False, max_length=100)
    new_phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    new_segment = forms.ChoiceField(
        label=_("Customer segment"), required=False, choices=Segment.choices, initial=Segment.INDIVIDUAL
    )
    policy_no = forms.CharField(label=_("Policy number"), required=False, max_length=40)
    claim_no = forms.CharField(label=_("Claim number"), required=False, max_length=40)
    touchpoint = forms.ChoiceField(label=_("Touchpoint (moment of truth)"), required=False)
    description = forms.CharField(label=_("What happened"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    request = forms.CharField(
        label=_("The customer's request"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    request_confirmed = forms.BooleanField(
        label=_("I restated the request to the customer and they confirmed it (复述确认)"), required=False
    )
    loss_amount = forms.DecimalField(label=_("Loss amount (yuan)"), required=False, max_digits=14, decimal_places=2)
    subject = forms.ChoiceField(label=_("Staff member complained about"), required=False)
    on_the_spot = forms.BooleanField(
        label=_("Resolved on the spot: record the immediate recovery next"), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["touchpoint"]).choices = touchpoint_choices()
        staff = scope_filter(User.objects.filter(is_active=True), actor).order_by("org_unit__path", "username")
        cast(forms.ChoiceField, self.fields["subject"]).choices = [("", _("Nobody in particular"))] + [
            (u.username, f"{u} ({u.username})") for u in staff
        ]

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value

    def chosen_customer(self) -> str:
        return (self.data.get("customer") or "") if self.is_bound else ""

    def to_input(self) -> ComplaintInput:
        """The service's input from the cleaned fields; after a failed validation, from those that parsed (the
        others empty), so the service can say what else is wrong in the same answer."""
        d: dict[str, Any] = {name: "" for name in ("customer", "new_name", "new_phone", "new_segment", "channel")}
        d |= {name: "" for name in ("description", "request", "policy_no", "claim_no", "touchpoint", "subject")}
        d |= {"received_at": None, "loss_amount": None, "request_confirmed": False, **self.cleaned_data}
        choice = d["customer"].strip()
        customer_id = int(choice) if choice.isdigit() else None
        new_customer = None
        if choice == NEW_CUSTOMER:
            new_customer = NewCustomer(
                name=d["new_name"], phone=d["new_phone"], segment=d["new_segment"] or Segment.INDIVIDUAL
            )
        return ComplaintInput(
            channel=d["channel"],
            received_at=d["received_at"],
            description=d["description"],
            request=d["request"],
            customer_id=customer_id,
            new_customer=new_customer,
            policy_no=d["policy_no"],
            claim_no=d["claim_no"],
            touchpoint=d["touchpoint"],
            request_confirmed=d["request_confirmed"],
            loss_amount=d["loss_amount"],
            subject_username=d["subject"],
        )


class DecideForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=[("", _("Not recorded")), *Result.choices], required=False)
    at_fault = forms.TypedChoiceField(
        label=_("Insurer at fault"),
        choices=[("", _("Not recorded")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    decision = forms.CharField(
        label=_("Decision told to the customer"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # With a result, the decision letter (处理决定告知书) is drafted from these.
    facts = forms.CharField(
        label=_("Facts"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(
        label=_("Reasons and basis"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    offer = forms.CharField(label=_("What we offer"), max_length=5000, required=False)
    offer_amount = forms.DecimalField(label=_("Amount offered"), max_digits=12, decimal_places=2, required=False)


class ExtendForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Extension"),
        coerce=int,
        choices=[(1, _("Level 1: to 30 days (complex complaint)")), (2, _("Level 2: a further 30 days (approval)"))],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)

    def approve(self) -> bool:
        return self.data.get("decision") == "approve"


class ReasonForm(forms.Form):
    """A pause (which appraisal, test or assessment) or a withdrawal (what the complainant said)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LetterCheckForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)

    def approve(self) -> bool:
        return self.data.get("decision") == "approve"


class ReviewDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *ReviewOutcome.choices], required=False)
    decision = forms.CharField(
        label=_("Review decision told to the customer"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RegulatorFeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback given to the regulator"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
