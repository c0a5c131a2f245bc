"""`{% drill_url query row %}`: the cases page behind a Pareto row (the panel's figures are formatted in
`charts.Card.table`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def drill_url(query: str, row: dict[str, Any]) -> str:
    return f"{reverse('insights_cases')}?{query}&{urlencode(row.get('drill', {}))}"
