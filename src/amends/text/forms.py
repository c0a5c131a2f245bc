"""The form behind each code on the case page: which field, which code, the case version seen."""

from __future__ import annotations

from django import forms

from .classifier import FIELDS


class CodeForm(forms.Form):
    field = forms.ChoiceField(choices=[(f, f) for f in FIELDS])
    code = forms.CharField(max_length=64, required=False)
    version = forms.IntegerField(required=False)

    def __init__(self, *args: object, complaint_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.complaint_id = complaint_id
