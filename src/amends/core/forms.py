"""Form fields every app's pages share."""

from __future__ import annotations

from typing import Any

from django import forms

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input, read as the server's local time (Django makes it aware)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)
