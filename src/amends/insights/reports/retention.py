"""`retention`: did recovered customers come back? Policy terms that came up for renewal in the period (renewed:
a later term points at them, or policy admin reported `policy.renewed`; lapsed: the term's status, or a
reported `policy.lapsed`), grouped by what the customer lived through during the term —
how long their recovery took, how it ended, and against customers with no recorded failure and with a failure
but no complaint — with the renewal rate and its Wilson interval; and the premium retained above the baseline
of customers whose recovery failed. The seeds claim 60% come back when the problem is solved, 95% when it is
solved fast: this is where an insurer checks that on its own customers.

Compensation spent is what the discretion ledger granted the recovered customers during their terms.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.recovery.models import Timing

from ..expressions import ratio, rolled_up
from ..facts import cohort_groups
from ..filters import Filters
from ..models import TermFact
from ..stats import wilson
from . import COUNT, LABEL, MONEY, RATE, Column, Result, Section, report

CONFIDENCES = ["0.95", "0.99", "0.999"]


def population(filters: Filters) -> Any:
    """Terms ending in the period whose renewal is decided, with what their customer lived through (the term
    facts: `insights.facts._terms` says how each figure is found)."""
    return filters.apply(
        TermFact.objects.filter(end_date__gte=filters.since, end_date__lte=filters.until, decided=True),
        {"unit": "unit_id", "line": "line", "segment": "segment"},
    )


MEASURES = ["customers", "renewed_n", "premium_total", "premium_renewed", "given"]


MONEY_MEASURES = ["premium_total", "premium_renewed", "given"]


def counted(qs: Any) -> list[dict[str, Any]]:
    """One scan: the terms per time-to-recover bucket, recovery outcome, comparison group and timing (one
    `cohort` number, decoded here), every section's figures summed up from it; money summed in cents and
    given back in yuan."""
    rows = (
        qs.values("cohort")
        .annotate(
            # Counted from columns the terms' index carries, so the scan reads the index alone.
            customers=Count("*"),
            renewed_n=Count("renewed", filter=Q(renewed=True)),
            premium_total=Sum("premium_cents"),
            premium_renewed=Sum("premium_cents", filter=Q(renewed=True)),
            given=Sum("given_cents"),
        )
        .order_by()
    )
    return [
        {
            **cohort_groups(r["cohort"]),
            **r,
            **{m: Decimal(r[m] or 0) / 100 for m in MONEY_MEASURES},
        }
        for r in rows
    ]


def _grouped(counts: list[dict[str, Any]], key: str, confidence: float) -> dict[str, dict[str, Any]]:
    out = {}
    for r in rolled_up(counts, [key], MEASURES):
        ci = wilson(r["renewed_n"], r["customers"], confidence)
        out[r[key]] = {
            "customers": r["customers"],
            "renewed": r["renewed_n"],
            "rate": ratio(r["renewed_n"], r["customers"]),
            "ci_low": round(ci[0], 4) if ci else None,
            "ci_high": round(ci[1], 4) if ci else None,
            "premium": Decimal(r["premium_total"] or 0).quantize(Decimal("0.01")),
            "premium_renewed": Decimal(r["premium_renewed"] or 0).quantize(Decimal("0.01")),
        }
    return out


def _rows(found: dict[str, dict[str, Any]], keys: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    empty = {
        "customers": 0,
        "renewed": 0,
        "rate": None,
        "ci_low": None,
        "ci_high": None,
        "premium": Decimal("0.00"),
        "premium_renewed": Decimal("0.00"),
    }
    return [
        {
            "group": key,
            "label": str(label),
            **{k: (str(v) if isinstance(v, Decimal) else v) for k, v in found.get(key, empty).items()},
        }
        for key, label in keys
    ]


def _columns() -> list[Column]:
    return [
        Column("group", _("Code"), LABEL),
        Column("label", _("Group"), LABEL),
        Column("customers", _("Customers at renewal"), COUNT),
        Column("renewed", _("Renewed"), COUNT),
        Column("rate", _("Renewal rate"), RATE),
        Column("ci_low", _("Interval, low"), RATE),
        Column("ci_high", _("Interval, high"), RATE),
        Column("premium", _("Premium up for renewal (yuan)"), MONEY),
        Column("premium_renewed", _("Premium renewed (yuan)"), MONEY),
    ]


def _compensation(counts: list[dict[str, Any]], no_failure: dict[str, Any] | None) -> Section:
    """Per recovery outcome: the discretion given to the customers during the term (the ledger's grants and
    approvals, summed per term in the facts) beside the premium they kept above what customers without a
    failure keep."""
    rows = [{**r, "group": r["recovery_outcome"]} for r in rolled_up(counts, ["recovery_outcome"], MEASURES)]
    found = {r["group"]: r for r in rows}
    cent = Decimal("0.01")
    # The baseline's own counts, not its rounded rate: the figure is money.
    baseline = Decimal(no_failure["renewed"]) / Decimal(no_failure["customers"]) if no_failure else None
    out = []
    for key, label in (
        ("recovered", _("Recovered")),
        ("not_recovered", _("Not recovered")),
        ("unreachable", _("Could not be reached")),
    ):
        r = found.get(key, {})
        premium, renewed = Decimal(r.get("premium_total") or 0), Decimal(r.get("premium_renewed") or 0)
        above = None if baseline is None else (renewed - baseline * premium).quantize(cent)
        out.append(
            {
                "group": key,
                "label": str(label),
                "customers": r.get("customers", 0),
                "compensation_given": str(Decimal(r.get("given") or 0).quantize(cent)),
                "premium_renewed": str(renewed.quantize(cent)),
                "premium_above_no_failure": str(above) if above is not None else None,
            }
        )
    return Section(
        "compensation",
        _("Compensation given against premium retained"),
        [
            Column("group", _("Code"), LABEL),
            Column("label", _("Group"), LABEL),
            Column("customers", _("Customers at renewal"), COUNT),
            Column("compensation_given", _("Discretion given in the term (yuan)"), MONEY),
            Column("premium_renewed", _("Premium renewed (yuan)"), MONEY),
            Column("premium_above_no_failure", _("Premium retained above customers without a failure (yuan)"), MONEY),
        ],
        out,
        chart="bar",
    )


def timing_labels() -> list[tuple[str, Any]]:
    """The three timing modes (seed 000 §2.3) as the case page names them."""
    return list(Timing.choices)


@report("retention", _("Retention after recovery"), params={"confidence": CONFIDENCES})
def retention(actor: User, filters: Filters) -> Result:
    confidence = float(filters.extra.get("confidence", CONFIDENCES[0]))
    counts = counted(population(filters))
    by_time = _grouped(counts, "recovery_time", confidence)
    by_outcome = _grouped(counts, "recovery_outcome", confidence)
    compared = _grouped(counts, "experience", confidence)
    # Timing against outcome (seed 000 §2.3): the customers who had a recovery case, by how it was timed.
    by_timing = _grouped([r for r in counts if r["recovery_outcome"]], "timing", confidence)
    bucket_labels = {
        "0-1d": _("Recovered within a day"),
        "1-3d": _("Recovered in 1–3 days"),
        "3-7d": _("Recovered in 3–7 days"),
        "7-15d": _("Recovered in 7–15 days"),
        "15d+": _("Recovered after 15 days"),
    }
    outcome_rows = _rows(
        by_outcome,
        [
            ("recovered", _("Recovered")),
            ("not_recovered", _("Not recovered")),
            ("unreachable", _("Could not be reached")),
        ],
    )
    failed_rows = [r for r in outcome_rows if r["group"] != "recovered"]
    baseline_n = sum(r["customers"] for r in failed_rows)
    baseline_rate = ratio(sum(r["renewed"] for r in failed_rows), baseline_n)
    recovered = by_outcome.get("recovered")
    above = None
    if recovered and baseline_rate is not None:
        above = (recovered["premium_renewed"] - Decimal(str(baseline_rate)) * recovered["premium"]).quantize(
            Decimal("0.01")
        )
    # What the recovered customers were given in their terms, from the discretion ledger.
    spent = sum((Decimal(r["given"] or 0) for r in counts if r["recovery_outcome"] == "recovered"), Decimal("0"))
    spent = spent.quantize(Decimal("0.01"))
    money = {
        "baseline_rate": baseline_rate,
        "premium_retained_above_baseline": str(above) if above is not None else None,
        "compensation_spent": str(spent),
        "retained_per_yuan_spent": ratio(float(above), float(spent), 2) if above is not None and spent else None,
    }
    return Result(
        "retention",
        _("Retention after recovery"),
        filters,
        [
            Section(
                "by_time_to_recover",
                _("Renewal by time to recover"),
                _columns(),
                _rows(by_time, list(bucket_labels.items())),
                chart="bar",
            ),
            Section("by_outcome", _("Renewal by recovery outcome"), _columns(), outcome_rows, chart="bar"),
            Section(
                "compared",
                _("Renewal against customers without a recovery"),
                _columns(),
                _rows(
                    compared,
                    [
                        ("no_recorded_failure", _("No recorded failure (silent failures included)")),
                        ("failure_no_complaint", _("Failure found without a complaint")),
                        ("complained", _("Complained")),
                    ],
                ),
                chart="bar",
            ),
            Section(
                "money",
                _("Premium retained against compensation"),
                [
                    Column("baseline_rate", _("Baseline: renewal when recovery failed"), RATE),
                    Column("premium_retained_above_baseline", _("Premium retained above the baseline (yuan)"), MONEY),
                    Column("compensation_spent", _("Compensation given to the recovered (yuan)"), MONEY),
                    Column("retained_per_yuan_spent", _("Retained per yuan spent"), COUNT),
                ],
                [money],
            ),
            _compensation(counts, compared.get("no_recorded_failure")),
            Section(
                "by_timing",
                _("Renewal by timing of the recovery"),
                _columns(),
                _rows(by_timing, timing_labels()),
                chart="bar",
            ),
        ],
        notes=[
            _("Terms that came up for renewal in the period; the customer's experience is what happened in that term."),
            _("Intervals are Wilson score intervals at the confidence chosen (0.95 unless asked otherwise)."),
            _("Compensation is what the discretion ledger granted the recovered customers during their terms."),
        ],
    )
