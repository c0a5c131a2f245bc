"""JSON API of insights: `GET /api/v1/insights` (the reports), `GET /api/v1/insights/{report}` (a report's
figures; `?format=csv|xlsx` for the same as a file) and `GET /api/v1/insights/pareto/cases` (a Pareto bar's
cases). Filters are parsed and scope-checked by `insights.filters`; each report is SQL aggregates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from amends.accounts.access import SEES_INSIGHTS, require
from amends.accounts.http import actor_of
from amends.core.errors import InvalidInput

from . import export, queries, reports

router = Router(tags=["insights"])


class FilterQuery(Schema):
    since: str = Field("", description="First day, e.g. 2026-01-01 (default: twelve months back)")
    until: str = Field("", description="Last day, inclusive (default: today)")
    bucket: str = Field("", description="day, week or month (default)")
    unit: str = Field("", description="Org unit id; its subtree, within your own scope")
    line: str = Field("", description="auto, health, life, property, accident")
    segment: str = Field("", description="key_account, individual, telesales, online, group")
    channel: str = Field("", description="hotline, counter, app, regulator…")
    touchpoint: str = Field("", description="e.g. auto_claim.salvage")
    format: str = Field("json", description="json, csv or xlsx")


@router.get("/insights", response=dict)
def list_reports(request: HttpRequest) -> Any:
    require(actor_of(request), SEES_INSIGHTS)
    return {"reports": [{"name": r.name, "title": str(r.title), "params": r.params} for r in reports.REGISTRY.values()]}


@router.get("/insights/pareto/cases", response=dict)
def pareto_cases(request: HttpRequest, params: Query[FilterQuery]) -> Any:
    """The cases behind one bar of the Pareto chart: `touchpoint`, `cause`, `dimension` ("-": not coded)."""
    return queries.drill(actor_of(request), request.GET)


@router.get("/insights/{report}", response=dict)
def get_report(request: HttpRequest, report: str, params: Query[FilterQuery]) -> Any:
    fmt = params.format or "json"
    if fmt not in export.FORMATS:
        raise InvalidInput(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(export.FORMATS)},
            fields={"format": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(export.FORMATS)}]},
        )
    result = queries.run(actor_of(request), report, request.GET)
    if fmt == "json":
        return result.as_json()
    return export.render(result, fmt)
