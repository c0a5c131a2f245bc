"""The form behind each code on the case page: which field, which code, the case version seen."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagCode, TermKind
from .queries import CODED


class CodeForm(forms.Form):
    field = forms.ChoiceField(choices=[(f, f) for f in CODED])
    code = forms.CharField(max_length=64, required=False)
    version = forms.IntegerField(required=False)

    def __init__(self, *args: object, complaint_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.complaint_id = complaint_id


class LexiconTermForm(forms.Form):
    """A term for the lexicon page: a trigger of a flag, or a negation cue (no flag)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TermKind.choices, initial=TermKind.TRIGGER)
    flag = forms.ChoiceField(label=_("Flag"), choices=[("", "—"), *FlagCode.choices], required=False)
    term = forms.CharField(label=_("Word or phrase"), max_length=120)
    is_pattern = forms.BooleanField(label=_("Regular expression (for experts)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TryForm(forms.Form):
    text = forms.CharField(label=_("Try a sentence"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
