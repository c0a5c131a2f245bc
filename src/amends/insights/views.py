"""The dashboard for quality managers and supervisors, the cases behind a Pareto bar, and the same report files
the API serves, for signed-in staff. Each view parses the filters once and runs registered reports (SQL
aggregates); the charts are drawn in the browser from the figures shown in the tables beside them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amends.accounts.access import SEES_INSIGHTS, require, scope_unit_ids
from amends.accounts.models import OrgUnit
from amends.core.errors import InvalidInput
from amends.core.views import staff, staff_page
from amends.customers.models import Line, Segment
from amends.intake.models import Channel
from amends.journeys.queries import touchpoints_by_id

from . import charts, export, queries
from .filters import BUCKETS

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
        "buckets": [(b, label) for b, label in zip(BUCKETS, (_("Day"), _("Week"), _("Month")), strict=True)],
    }


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: v for k in FILTER_NAMES if (v := request.GET.get(k, "").strip())}


@require_GET
@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    require(actor, SEES_INSIGHTS)
    params = _params(request)
    context: dict[str, Any] = {
        "params": params,
        "choices": _choices(actor),
        "cards": [],
        "error": None,
        "bucket": params.get("bucket", "month"),
    }
    try:
        volume = queries.run(actor, "volume", params)
    except InvalidInput as exc:
        context["error"] = exc
        return render(request, "insights/dashboard.html", context, status=422)
    timeliness = queries.run(actor, "timeliness", params)
    promises = queries.run(actor, "promises", params)
    repeat = queries.run(actor, "repeat", params)
    pareto = queries.run(actor, "pareto", params)
    regulator = queries.run(actor, "regulator", params)
    alerts = queries.run(actor, "alerts", params)
    recovery = queries.run(actor, "recovery", params)
    dimensions = queries.run(actor, "dimensions", params)
    discretion = queries.run(actor, "discretion", params)
    context["filters"] = volume.filters
    context["query"] = volume.filters.query_string()
    context["cards"] = [
        charts.line(volume, "trend", ["complaints", "cases_opened", "cases_closed", "failures"]),
        charts.line(timeliness, "trend", ["received"], rates=["share_15", "share_30", "share_60"]),
        charts.line(recovery, "trend", ["recovered", "not_recovered", "unreachable"], rates=["recovery_rate"]),
        charts.line(promises, "trend", ["made", "kept", "broken"], rates=["kept_rate"]),
        charts.line(repeat, "trend", ["failures", "repeats"], rates=["repeat_share"]),
        charts.pareto(pareto, "by_touchpoint"),
        charts.pareto(pareto, "by_touchpoint_cause"),
        charts.bars(pareto, "by_dimension", "label", "failures"),
        charts.line(dimensions, "trend", ["reliability", "responsiveness", "competence", "attitude", "standards"]),
        charts.bars(regulator, "by_category", "label", "received"),
        charts.line(alerts, "trend", ["raised", "resolved"]),
        charts.line(
            discretion,
            "trend",
            ["requests", "granted_on_the_spot", "approved", "rejected", "refused"],
            rates=["grant_rate"],
        ),
        charts.bars(discretion, "by_kind", "label", "amount_given"),
    ]
    context["headline"] = {
        "complaints": volume.section("trend").totals["complaints"],  # type: ignore[index]
        "share_15": timeliness.section("trend").totals["share_15"],  # type: ignore[index]
        "kept_rate": promises.section("trend").totals["kept_rate"],  # type: ignore[index]
        "repeat_share": repeat.section("trend").totals["repeat_share"],  # type: ignore[index]
        "open_alerts": alerts.section("live").totals["open"],  # type: ignore[index]
    }
    return render(request, "insights/dashboard.html", context)


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
