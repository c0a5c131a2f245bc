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
from amends.core.schemas import Object, Out, Text, Time

from . import export, queries, reports

router = Router(tags=["insights"])


class ReportBriefOut(Out):
    name: str
    title: Text
    params: Object


class ReportsOut(Out):
    reports: list[ReportBriefOut]


class ColumnOut(Out):
    key: str
    label: Text
    kind: str


class SectionOut(Out):
    """A table of the report: its columns (key, label, kind) and rows keyed by column."""

    key: str
    title: Text
    columns: list[ColumnOut]
    rows: list[Object]
    totals: Object | None


class ReportOut(Out):
    """A report's figures for the filters applied (as they were understood: `filters`)."""

    report: str
    title: Text
    filters: Object
    sections: list[SectionOut]
    notes: list[str]
    as_of: Time | None


class DrillCaseOut(Out):
    id: int
    reference: str
    customer: str
    org_unit: str
    touchpoint: str | None
    status: str
    opened_at: Time
    failures: int


class DrillOut(Out):
    """The cases behind one bar of the Pareto chart."""

    filters: Object
    page: int
    more: bool
    items: list[DrillCaseOut]


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


@router.get("/insights", response=ReportsOut)
def list_reports(request: HttpRequest) -> Any:
    require(actor_of(request), SEES_INSIGHTS)
    return {"reports": [{"name": r.name, "title": str(r.title), "params": r.params} for r in reports.REGISTRY.values()]}


@router.get("/insights/pareto/cases", response=DrillOut)
def pareto_cases(request: HttpRequest, params: Query[FilterQuery]) -> Any:
    """The cases behind one bar of the Pareto chart: `touchpoint`, `cause`, `dimension` ("-": not coded)."""
    return queries.drill(actor_of(request), request.GET)


@router.get("/insights/{report}", response=ReportOut)
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
