"""`{{ code|touchpoint_name }}`: a touchpoint's name in the reader's language, from the in-process catalogue,
for any page that holds only the code."""

from __future__ import annotations

from django import template

from ..queries import touchpoint_names

register = template.Library()


@register.filter
def touchpoint_name(code: str | None) -> str:
    return touchpoint_names([code]).get(code or "", "")
