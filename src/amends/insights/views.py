"""The dashboard for quality managers and supervisors, the cases behind a Pareto bar, and the same report files
the API serves, for signed-in staff. Each view parses the filters once and runs registered reports (SQL
aggregates); the charts are drawn in the browser from the figures shown in the tables beside them. The
dashboard page runs no report itself: its panels load one report each (`panel`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amends.accounts.access import SEES_INSIGHTS, require, scope_unit_ids
from amends.accounts.http import staff, staff_page
from amends.accounts.models import OrgUnit
from amends.core import clock
from amends.core.errors import InvalidInput
from amends.customers.models import Line, Segment
from amends.intake.models import Channel
from amends.journeys.queries import touchpoints_by_id

from . import charts, export, facts, queries, replica
from .filters import BUCKETS, parse
from .reports import Result

FILTER_NAMES = ("since", "until", "bucket", "unit", "line", "segment", "channel", "touchpoint")


def _choices(actor: Any) -> dict[str, Any]:
    ids = scope_unit_ids(actor)
    units = OrgUnit.objects.all() if ids is None else OrgUnit.objects.filter(pk__in=ids)
    return {
        "units": [(u.pk, "\u2003" * (u.path.count("/") - 2) + u.name) for u in units.order_by("path")],
        "lines": Line.choices,
        "segments": Segment.choices,
        "channels": Channel.choices,
        "touchpoints": sorted(
            ((t.code, f"{t.journey.name} · {t.name}") for t in touchpoints_by_id().values() if t.active),
            key=lambda c: c[0],
        ),
        "buckets": [(b, label) for b, label in zip(BUCKETS, (_("Day"), _("Week"), _("Month"), _("Year")), strict=True)],
    }


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: v for k in FILTER_NAMES if (v := request.GET.get(k, "").strip())}


# The dashboard's panels, one per report, in the page's order: the cards each draws from its report's figures,
# and the headline figures (KPIs) it fills in. The page itself runs no report: each panel is its own request
# (htmx, on load), so the page shows at once and every panel costs one report.
PANELS: dict[str, Callable[[Result], list[charts.Card]]] = {
    "volume": lambda r: [charts.line(r, "trend", ["complaints", "cases_opened", "cases_closed", "failures"])],
    "timeliness": lambda r: [charts.line(r, "trend", ["received"], rates=["share_15", "share_30", "share_60"])],
    "recovery": lambda r: [
        charts.line(r, "trend", ["recovered", "not_recovered", "unreachable"], rates=["recovery_rate"])
    ],
    "promises": lambda r: [charts.line(r, "trend", ["made", "kept", "broken"], rates=["kept_rate"])],
    "repeat": lambda r: [charts.line(r, "trend", ["failures", "repeats"], rates=["repeat_share"])],
    "pareto": lambda r: [
        charts.pareto(r, "by_touchpoint"),
        charts.pareto(r, "by_touchpoint_cause"),
        charts.bars(r, "by_dimension", "label", "total"),
    ],
    "dimensions": lambda r: [
        charts.line(r, "trend", ["reliability", "responsiveness", "competence", "attitude", "standards"])
    ],
    "regulator": lambda r: [charts.bars(r, "by_category", "label", "received")],
    "alerts": lambda r: [charts.line(r, "trend", ["raised", "resolved"])],
    "retention": lambda r: [
        charts.bars(r, "by_time_to_recover", "label", "rate", rate=True),
        charts.bars(r, "compared", "label", "rate", rate=True),
        charts.bars(r, "by_timing", "label", "rate", rate=True),
    ],
    "discretion": lambda r: [
        charts.line(
            r, "trend", ["requests", "granted_on_the_spot", "approved", "rejected", "refused"], rates=["grant_rate"]
        ),
        charts.bars(r, "by_kind", "label", "amount_given"),
    ],
}
# kpi → (report, section, total): which panel fills which headline figure.
HEADLINE = {
    "complaints": ("volume", "trend", "complaints"),
    "share_15": ("timeliness", "trend", "share_15"),
    "kept_rate": ("promises", "trend", "kept_rate"),
    "open_alerts": ("alerts", "live", "open"),
    "repeat_share": ("repeat", "trend", "repeat_share"),
}


@require_GET
@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, SEES_INSIGHTS)
    params = _params(request)
    context: dict[str, Any] = {
        "params": params,
        "choices": _choices(actor),
        "panels": list(PANELS),
        "error": None,
        "bucket": params.get("bucket", "month"),
    }
    try:
        filters = parse(actor, params, today=timezone.localtime(clock.now()).date())
    except InvalidInput as exc:
        context["error"] = exc
        return render(request, "insights/dashboard.html", context, status=422)
    context["filters"] = filters
    context["query"] = filters.query_string()
    with replica.reading_from_replica() as on_replica:
        # With a replica the figures are the worker's last refresh as the replica has it; else as of now.
        context["on_replica"], context["as_of"] = on_replica, facts.freshness() if on_replica else None
    return render(request, "insights/dashboard.html", context)


@require_GET
@staff_page
def panel(request: HttpRequest, report: str) -> HttpResponse:
    """One report's cards for the dashboard, with the headline figures it gives (swapped in out of band)."""
    build = PANELS.get(report)
    if build is None:
        raise Http404
    try:
        result = queries.run(staff(request), report, _params(request))
    except InvalidInput as exc:
        return render(request, "insights/_panel.html", {"error": exc}, status=422)
    kpis = {
        kpi: result.section(section).totals[total]  # type: ignore[index]
        for kpi, (name, section, total) in HEADLINE.items()
        if name == report
    }
    return render(
        request,
        "insights/_panel.html",
        {"cards": build(result), "kpis": kpis, "query": result.filters.query_string()},
    )


@require_GET
@staff_page
def pareto_cases(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items() if v}
    try:
        found = queries.drill(actor, params)
    except InvalidInput as exc:
        return render(request, "insights/cases.html", {"error": exc, "found": None}, status=422)
    back = urlencode({k: v for k, v in params.items() if k in FILTER_NAMES and k != "touchpoint"})
    nxt = urlencode({**params, "page": found["page"] + 1}) if found["more"] else ""
    return render(request, "insights/cases.html", {"found": found, "back": back, "next": nxt, "params": params})


@require_GET
@staff_page
def report_file(request: HttpRequest, report: str) -> HttpResponse:
    """The API's CSV/XLSX for the dashboard's links (the page is signed in by session, not by token)."""
    fmt = request.GET.get("format", "csv")
    try:
        if fmt not in ("csv", "xlsx"):
            raise InvalidInput(_("Choose one of: %(choices)s.") % {"choices": "csv, xlsx"})
        result = queries.run(staff(request), report, _params(request))
    except InvalidInput as exc:
        return HttpResponse(exc.detail, status=422, content_type="text/plain; charset=utf-8")
    return export.render(result, fmt)
