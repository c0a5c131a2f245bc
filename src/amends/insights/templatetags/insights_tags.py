"""`{% figure row column %}`: a report figure as the table shows it (rates as percentages, counts grouped);
`{% drill_url query row %}`: the cases page behind a Pareto row."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import number_format

from ..reports import COUNT, MONEY, NUMBER, RATE, Column

register = template.Library()


@register.simple_tag
def figure(row: dict[str, Any], column: Column) -> str:
    value = row.get(column.key)
    if value is None or value == "":
        return "—"
    if column.kind == RATE:
        return f"{float(value) * 100:.1f}%"
    if column.kind in (COUNT, NUMBER, MONEY):
        return number_format(value, force_grouping=True)
    return str(value)


@register.simple_tag
def drill_url(query: str, row: dict[str, Any]) -> str:
    return f"{reverse('insights_cases')}?{query}&{urlencode(row.get('drill', {}))}"


@register.filter
def is_number(column: Column) -> bool:
    return column.kind in (COUNT, NUMBER, MONEY, RATE)
