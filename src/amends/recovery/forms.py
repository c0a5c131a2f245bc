"""Forms of the queue and the case page. They only parse what was posted; every rule (step order, what may
be skipped, who may own a case) is decided by `recovery.services`, whose refusals are shown on these forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.customers.models import Segment

from .models import CaseStatus, Cause, Dimension, FollowUpOutcome, Priority, Step, Timing


class QueueFilters(forms.Form):
    scope = forms.ChoiceField(
        label=_("Whose cases"),
        required=False,
        choices=[("mine", _("Mine")), ("all", _("All in my branch"))],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All open")), *CaseStatus.choices])
    overdue = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Overdue")), ("no", _("Not overdue"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)
    after = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)
    priority = forms.TypedChoiceField(
        label=_("Priority"), required=False, coerce=int, empty_value=None, choices=[("", _("Any")), *Priority.choices]
    )
    touchpoint = forms.TypedChoiceField(label=_("Touchpoint"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    segment = forms.ChoiceField(label=_("Segment"), required=False, choices=[("", _("Any")), *Segment.choices])
    flag = forms.ChoiceField(
        label=_("Flag"),
        required=False,
        choices=[
            ("", _("Any")),
            ("escalated", _("Escalation flag")),
            ("repeat", _("Repeat failure")),
            ("raised", _("Raised by an early warning")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", _("Overdue first, then priority")),
            ("due", _("Deadline")),
            ("priority", _("Priority")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
    )

    def __init__(self, *args: Any, touchpoints: Any = (), channels: Any = (), owners: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        cast(forms.ChoiceField, self.fields["touchpoint"]).choices = [*any_, *touchpoints]
        cast(forms.ChoiceField, self.fields["channel"]).choices = [*any_, *channels]
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            *any_,
            ("none", _("Unassigned")),
            *[(str(u.pk), str(u)) for u in owners],
        ]

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if self.is_valid() else None


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=Step.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What was said or done"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    skipped_reason = forms.CharField(
        label=_("Why this step is skipped"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome of the follow-up"),
        required=False,
        choices=[("", _("Choose…")), *FollowUpOutcome.choices],
    )
    timing = forms.ChoiceField(
        label=_("Timing of the recovery"),
        required=False,
        choices=[("", _("After the process (default)")), *Timing.choices],
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def skipping(self) -> bool:
        return self.data.get("action") == "skip"

    def service_args(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "step": d["step"],
            "note": "" if self.skipping() else d["note"],
            "skipped_reason": d["skipped_reason"] if self.skipping() else None,
            "outcome": d["outcome"] or None,
            "timing": d["timing"] or None,
            "version": d["version"],
        }


class OnTheSpotForm(forms.Form):
    apology = forms.CharField(label=_("Apology"), max_length=20000, widget=forms.Textarea(attrs={"rows": 2}))
    fix = forms.CharField(label=_("Fix"), max_length=20000, widget=forms.Textarea(attrs={"rows": 2}))
    empathy = forms.CharField(label=_("Empathy"), max_length=20000, widget=forms.Textarea(attrs={"rows": 2}))
    atonement = forms.CharField(label=_("Atonement"), max_length=20000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def notes(self) -> dict[str, str]:
        return {step: self.cleaned_data[step] for step in ("apology", "fix", "empathy", "atonement")}


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("New owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Let the assignment rules choose"),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners


# The four service quality gaps (服务质量差距), as the complaint codes name them (`text.Gap`).
GAPS = [
    ("1", _("Gap 1: not knowing what the customer expects")),
    ("2", _("Gap 2: no fitting service standard or solution")),
    ("3", _("Gap 3: not delivering what was designed or promised")),
    ("4", _("Gap 4: we think value was delivered, the customer does not")),
]


class FailureCodeForm(forms.Form):
    """Code one failure of the case: its cause, dimension and quality gap (blank clears)."""

    cause = forms.ChoiceField(label=_("Cause"), choices=[("", "—"), *Cause.choices], required=False)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=[("", "—"), *Dimension.choices], required=False)
    gap = forms.ChoiceField(label=_("Service quality gap"), choices=[("", "—"), *GAPS], required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, failure_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failure_id = failure_id
