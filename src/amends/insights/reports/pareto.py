"""`pareto`: failures of the period by touchpoint, by cause (company / uncontrollable / customer), by touchpoint
and cause together (the root causes rectifications start from) and by dimension (感知五度), largest first with
the cumulative share — the few touchpoints behind most failures. Each row carries the parameters of its
drill-down (`GET /api/v1/insights/pareto/cases`), the cases behind the bar."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.journeys.queries import touchpoint_codes, touchpoint_names
from amends.recovery.models import Cause, Dimension

from .. import paths
from ..expressions import rolled_up
from ..filters import Filters
from ..models import FailureFact
from . import COUNT, LABEL, RATE, Column, Result, Section, report

UNCODED = "-"


def failures_in(filters: Filters) -> Any:
    """The facts of the failures of the period (local dates), narrowed by the filters."""
    return filters.apply(
        FailureFact.objects.filter(occurred_on__gte=filters.since, occurred_on__lte=filters.until),
        paths.FAILURE_FACT,
    )


def _cumulated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = sum(r["failures"] for r in rows)
    running = 0
    for r in rows:
        running += r["failures"]
        r["share"] = round(r["failures"] / total, 4) if total else None
        r["cumulative"] = round(running / total, 4) if total else None
    return rows


def counted(filters: Filters) -> list[dict[str, Any]]:
    """Failures of the period per touchpoint code, cause and dimension: the one scan every breakdown sums up."""
    codes = touchpoint_codes()
    rows = failures_in(filters).values("touchpoint_id", "cause", "dimension").annotate(failures=Count("*"))
    return [
        {"touchpoint": codes.get(r["touchpoint_id"], ""), "cause": r["cause"], "dimension": r["dimension"]}
        | {"failures": r["failures"]}
        for r in rows.order_by()
    ]


def grouped(counts: list[dict[str, Any]], keys: list[str]) -> list[dict[str, Any]]:
    causes, dimensions = dict(Cause.choices), dict(Dimension.choices)
    out = rolled_up(counts, keys, ["failures"])
    out.sort(key=lambda r: (-r["failures"], *[r[k] for k in keys]))
    names = touchpoint_names(r.get("touchpoint") for r in out) if "touchpoint" in keys else {}
    for r in out:
        parts = []
        if "touchpoint" in keys:
            parts.append(names.get(r["touchpoint"], "") or r["touchpoint"] or str(_("No touchpoint")))
        if "cause" in keys:
            parts.append(str(causes.get(r["cause"], "")) or str(_("Cause not coded")))
        if "dimension" in keys:
            parts.append(str(dimensions.get(r["dimension"], "")) or str(_("Dimension not coded")))
        r["label"] = " · ".join(parts)
        r["drill"] = {k: (r[k] or UNCODED) for k in keys}
    return _cumulated(out)


def _section(key: str, title: Any, keys: list[str], rows: list[dict[str, Any]]) -> Section:
    labels = {"touchpoint": _("Touchpoint"), "cause": _("Cause"), "dimension": _("Dimension")}
    return Section(
        key,
        title,
        [
            *[Column(k, labels[k], LABEL) for k in keys],
            Column("label", _("Item"), LABEL),
            Column("failures", _("Failures"), COUNT),
            Column("share", _("Share"), RATE),
            Column("cumulative", _("Cumulative share"), RATE),
        ],
        rows,
        chart="pareto",
        totals={"failures": sum(r["failures"] for r in rows)},
    )


@report("pareto", _("Root causes (Pareto)"))
def pareto(actor: User, filters: Filters) -> Result:
    counts = counted(filters)
    return Result(
        "pareto",
        _("Root causes (Pareto)"),
        filters,
        [
            _section("by_touchpoint", _("Failures by touchpoint"), ["touchpoint"], grouped(counts, ["touchpoint"])),
            _section("by_cause", _("Failures by cause"), ["cause"], grouped(counts, ["cause"])),
            _section(
                "by_touchpoint_cause",
                _("Root causes: touchpoint and cause"),
                ["touchpoint", "cause"],
                grouped(counts, ["touchpoint", "cause"]),
            ),
            _section("by_dimension", _("Failures by dimension"), ["dimension"], grouped(counts, ["dimension"])),
        ],
    )
