"""The compose form of the case page: it only parses; `services.message_send` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel


class MessageForm(forms.Form):
    template = forms.CharField(label=_("Template"), required=False, max_length=40)
    channel = forms.ChoiceField(
        label=_("Send by"),
        required=False,
        choices=[("", _("The customer's preferred contact")), *Channel.choices],
    )
    subject = forms.CharField(label=_("E-mail subject"), required=False, max_length=200)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class EvidenceForm(forms.Form):
    """A file for the case; `about` names what of the case it is about: `case`, `complaint:12`, `step:3`,
    `message:7` (the service checks it belongs to the case)."""

    file = forms.FileField(label=_("File"))
    about = forms.RegexField(
        label=_("About"), regex=r"^(case|complaint:\d+|step:\d+|message:\d+)$", required=False, widget=forms.Select
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, about: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].widget.choices = about or [("case", _("The case"))]

    def targets(self) -> dict[str, int | None]:
        kind, _sep, number = (self.cleaned_data.get("about") or "case").partition(":")
        return {f"{k}_id": (int(number) if kind == k else None) for k in ("complaint", "step", "message")}
