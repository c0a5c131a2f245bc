"""`pareto`: failures and complaints of the period by touchpoint, by cause (company / uncontrollable /
customer), by touchpoint and cause together (the root causes rectifications start from) and by dimension (感知
五度), largest first with the cumulative share — the few touchpoints behind most failures. A complaint is the
customer's own report of a failure: it counts with the touchpoint, cause and dimension staff confirmed on it,
and as "not coded" until they do (never left out). Each row carries the parameters of its drill-down
(`GET /api/v1/insights/pareto/cases`), the cases behind the bar."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.journeys.queries import touchpoint_codes, touchpoint_names
from amends.recovery.models import Cause, Dimension
from amends.text.models import Gap

from .. import paths
from ..expressions import rolled_up
from ..filters import Filters
from ..models import FailureFact
from . import COUNT, LABEL, RATE, Column, Result, Section, report
from .timeliness import complaints_in

UNCODED = "-"


def failures_in(filters: Filters) -> Any:
    """The facts of the failures of the period (local dates), narrowed by the filters."""
    return filters.apply(
        FailureFact.objects.filter(occurred_on__gte=filters.since, occurred_on__lte=filters.until),
        paths.FAILURE_FACT,
    )


def _cumulated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = sum(r["total"] for r in rows)
    running = 0
    for r in rows:
        running += r["total"]
        r["share"] = round(r["total"] / total, 4) if total else None
        r["cumulative"] = round(running / total, 4) if total else None
    return rows


KEYS = ["touchpoint_id", "cause", "dimension", "gap"]
COUNTS = ["failures", "complaints"]


def counted(filters: Filters) -> list[dict[str, Any]]:
    """Failures and complaints of the period per touchpoint code, cause and dimension: one scan of each, which
    every breakdown sums up."""
    codes = touchpoint_codes()
    failures = failures_in(filters).values(*KEYS).annotate(failures=Count("*")).order_by()
    complaints = complaints_in(filters).values(*KEYS).annotate(complaints=Count("*")).order_by()
    both = [{**r, "complaints": 0} for r in failures] + [{**r, "failures": 0} for r in complaints]
    return [
        {"touchpoint": codes.get(r["touchpoint_id"], ""), "cause": r["cause"], "dimension": r["dimension"]}
        | {"gap": r["gap"], "failures": r["failures"], "complaints": r["complaints"]}
        for r in rolled_up(both, KEYS, COUNTS)
    ]


def grouped(counts: list[dict[str, Any]], keys: list[str]) -> list[dict[str, Any]]:
    causes, dimensions = dict(Cause.choices), dict(Dimension.choices)
    out = rolled_up(counts, keys, COUNTS)
    for r in out:
        r["total"] = r["failures"] + r["complaints"]
    out.sort(key=lambda r: (-r["total"], *[r[k] for k in keys]))
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
            Column("complaints", _("Complaints"), COUNT),
            Column("total", _("Failures and complaints"), COUNT),
            Column("share", _("Share"), RATE),
            Column("cumulative", _("Cumulative share"), RATE),
        ],
        rows,
        chart="pareto",
        totals={c: sum(r[c] for r in rows) for c in [*COUNTS, "total"]},
    )


def gaps(counts: list[dict[str, Any]]) -> Section:
    """Every gap in order (1–4), then those not coded: how many failures and complaints staff put in each."""
    found = {r["gap"]: r for r in rolled_up(counts, ["gap"], COUNTS)}
    total = sum(r["failures"] + r["complaints"] for r in found.values())
    rows = []
    for code, label in [*Gap.choices, ("", _("Gap not coded"))]:
        r = found.get(code, dict.fromkeys(COUNTS, 0))
        n = r["failures"] + r["complaints"]
        rows.append(
            {
                "gap": code or UNCODED,
                "label": str(label),
                "failures": r["failures"],
                "complaints": r["complaints"],
                "total": n,
                "share": round(n / total, 4) if total else None,
            }
        )
    return Section(
        "gaps",
        _("Failures and complaints by service quality gap"),
        [
            Column("gap", _("Gap"), LABEL),
            Column("label", _("Item"), LABEL),
            Column("failures", _("Failures"), COUNT),
            Column("complaints", _("Complaints"), COUNT),
            Column("total", _("Failures and complaints"), COUNT),
            Column("share", _("Share"), RATE),
        ],
        rows,
        chart="bar",
        totals={c: sum(r[c] for r in rows) for c in [*COUNTS, "total"]},
    )


@report("pareto", _("Root causes (Pareto)"))
def pareto(actor: User, filters: Filters) -> Result:
    counts = counted(filters)
    return Result(
        "pareto",
        _("Root causes (Pareto)"),
        filters,
        [
            _section(
                "by_touchpoint",
                _("Failures and complaints by touchpoint"),
                ["touchpoint"],
                grouped(counts, ["touchpoint"]),
            ),
            _section("by_cause", _("Failures and complaints by cause"), ["cause"], grouped(counts, ["cause"])),
            _section(
                "by_touchpoint_cause",
                _("Root causes: touchpoint and cause"),
                ["touchpoint", "cause"],
                grouped(counts, ["touchpoint", "cause"]),
            ),
            _section(
                "by_dimension",
                _("Failures and complaints by dimension"),
                ["dimension"],
                grouped(counts, ["dimension"]),
            ),
            gaps(counts),
        ],
    )
