"""Reads of insights: run a registered report for an actor over a query string, and the cases behind a bar of
the Pareto chart (the drill-down), a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.core import clock
from amends.core.errors import InvalidInput
from amends.recovery.models import Case, Cause, Dimension

from . import facts, replica, reports
from .filters import parse
from .reports.pareto import UNCODED, failures_in
from .reports.timeliness import complaints_in

PAGE_SIZE = 50


def run(actor: User, name: str, params: Mapping[str, str]) -> reports.Result:
    """One report. On the primary its facts are brought up to date first; with a replica, the report reads
    the replica's copy, which the worker keeps current (`replica`)."""
    found = reports.get(name)
    filters = parse(actor, params, today=timezone.localtime(clock.now()).date(), extra=found.params)
    with replica.reading_from_replica() as on_replica:
        if not on_replica:
            facts.bring_up_to_date()
        result = found.run(actor, filters)
        result.as_of = facts.freshness() if on_replica else clock.now()
    return result


def drill(actor: User, params: Mapping[str, str]) -> dict[str, Any]:
    """Cases with at least one failure or complaint of the period matching the filters and the bar's
    touchpoint, cause and dimension ("-" for not coded), newest first, with how many such each has."""
    params = dict(params.items())
    no_touchpoint = params.get("touchpoint") == UNCODED
    if no_touchpoint:
        params.pop("touchpoint")
    filters = parse(actor, params, today=timezone.localtime(clock.now()).date())
    errors: dict[str, list[str]] = {}
    narrowing = Q(touchpoint_id__isnull=True) if no_touchpoint else Q()
    for name, allowed in (("cause", Cause.values), ("dimension", Dimension.values)):
        value = params.get(name, "")
        if value == UNCODED:
            narrowing &= Q(**{name: ""})
        elif value:
            if value not in allowed:
                errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join([*allowed, UNCODED])}]
            narrowing &= Q(**{name: value})
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError:
        errors["page"] = [_("Enter a whole number.")]
        page = 1
    if errors:
        raise InvalidInput(_("The report's filters are not valid."), fields=errors)
    facts.bring_up_to_date()
    # The bar counts failures and complaints: its cases are those with either, newest first. Each side is
    # read sorted only as far as this page reaches, and the two merged.
    start = (page - 1) * PAGE_SIZE
    reach = start + PAGE_SIZE + 1
    sides = [
        failures_in(filters).filter(narrowing).values("case_id").annotate(n=Count("failure_id")),
        complaints_in(filters).filter(narrowing).values("case_id").annotate(n=Count("complaint_id")),
    ]
    merged: dict[int, int] = {}
    for side in sides:
        for r in side.order_by("-case_id")[:reach]:
            merged[r["case_id"]] = merged.get(r["case_id"], 0) + r["n"]
    ordered = sorted(merged, reverse=True)[start:reach]
    more = len(ordered) > PAGE_SIZE
    counts = {case_id: merged[case_id] for case_id in ordered[:PAGE_SIZE]}
    cases = Case.objects.filter(pk__in=counts).select_related("customer", "touchpoint", "org_unit").order_by("-id")
    return {
        "filters": filters.as_dict() | {k: params[k] for k in ("cause", "dimension") if params.get(k)},
        "page": page,
        "more": more,
        "items": [
            {
                "id": c.pk,
                "reference": c.reference,
                "customer": c.customer.name,
                "org_unit": c.org_unit.name,
                "touchpoint": c.touchpoint.code if c.touchpoint else None,
                "status": c.status,
                "opened_at": c.opened_at,
                "failures": counts[c.pk],
            }
            for c in cases
        ],
    }
