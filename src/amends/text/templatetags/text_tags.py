from __future__ import annotations

from typing import Any

from django import template

from amends.customers.models import ProductLine
from amends.intake.models import Category, ComplaintReason
from amends.journeys.queries import touchpoints_by_id
from amends.recovery.models import Cause, Dimension

from ..models import CodeField, CodeOutcome, FlagCode, Gap

register = template.Library()


@register.filter
def flag_label(code: str) -> str:
    return str(FlagCode(code).label) if code in FlagCode.values else code


@register.filter
def code_field_label(code: str) -> str:
    return str(CodeField(code).label) if code in CodeField.values else code


@register.filter
def outcome_label(code: str) -> str:
    return str(CodeOutcome(code).label) if code in CodeOutcome.values else code


def choices(field: str) -> list[tuple[str, str]]:
    if field == "category":
        return [(v, str(label)) for v, label in Category.choices]
    if field == "cause":
        return [(v, str(label)) for v, label in Cause.choices]
    if field == "dimension":
        return [(v, str(label)) for v, label in Dimension.choices]
    if field == "gap":
        return [(v, str(label)) for v, label in Gap.choices]
    if field == "reason":
        reasons = ComplaintReason.objects.filter(active=True).select_related("category")
        return [(r.code, f"{r.category.label} · {r.label}") for r in reasons]
    if field == "product_line":
        return [(p.code, p.label) for p in ProductLine.objects.filter(active=True)]
    touchpoints = sorted((t for t in touchpoints_by_id().values() if t.active), key=lambda t: t.code)
    return [(t.code, f"{t.journey.name} · {t.name}") for t in touchpoints]


@register.simple_tag
def code_choices(field: str) -> list[tuple[str, str]]:
    return choices(field)


@register.filter
def code_label(code: str | None, field: str) -> str:
    if not code:
        return ""
    return dict(choices(field)).get(code, code)


@register.simple_tag
def code_form(forms: dict[str, Any], complaint_id: int, field: str) -> Any:
    """The bound form that failed for this complaint and field, if that is the one being shown again."""
    form = (forms or {}).get("code")
    if form is not None and form.complaint_id == complaint_id and form.data.get("field") == field:
        return form
    return None


@register.filter
def percent(confidence: float | None) -> str:
    return f"{round(confidence * 100)}%" if confidence is not None else ""
