"""The compose form of the case page: it only parses; `services.message_send` decides."""

from __future__ import annotations

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
