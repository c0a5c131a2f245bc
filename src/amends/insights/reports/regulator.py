"""`regulator`: the complaint statistics a regulator asks for (银行业保险业消费投诉处理管理办法): complaints received
in the period by business category, line, channel and region, with those decided within 15, 30 and 60 days;
and complaints per 10,000 policies, per 100 million yuan of premium and per 10,000 customers, over the
policies in force during the period (channel and touchpoint filters do not narrow the policies). As XLSX it is
laid out like the regulator's return (`insights.export.regulator_workbook`).
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import sha1
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.customers.models import Line, Policy
from amends.intake.models import Category, Channel

from .. import facts
from ..expressions import ratio, rolled_up, summed
from ..filters import Filters
from . import LABEL, MONEY, NUMBER, RATE, Column, Result, Section, report
from .timeliness import (
    clock_limits,
    complaints_in,
    due_columns,
    due_in,
    due_measures,
    procedure_columns,
    procedure_measures,
    shaped_due,
    shaped_procedure,
    within,
)

NONE = ""


UPHELD = ["upheld", "partly_upheld"]


def _measures() -> dict[str, Any]:
    out: dict[str, Any] = {
        "received": Count("complaint_id"),
        "decided": Count("complaint_id", filter=Q(resolution_s__isnull=False)),
        "upheld": Count("complaint_id", filter=Q(result__in=UPHELD)),
    }
    for days in clock_limits():
        out[f"within_{days}"] = Count("complaint_id", filter=within(days))
    return {**out, **procedure_measures()}


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    out = {"received": row["received"], "decided": row["decided"]}
    for days in clock_limits():
        out[f"within_{days}"] = row[f"within_{days}"]
        out[f"share_{days}"] = ratio(row[f"within_{days}"], row["decided"])
    out["upheld"] = row["upheld"]
    out["upheld_share"] = ratio(row["upheld"], row["decided"])
    return {**out, **shaped_procedure(row)}


def _columns(first: Column) -> list[Column]:
    cols = [
        Column("code", _("Code"), LABEL),
        first,
        Column("received", _("Complaints")),
        Column("decided", _("Decided")),
    ]
    for days in clock_limits():
        cols.append(Column(f"within_{days}", _("Within %(days)s days") % {"days": days}))
        cols.append(Column(f"share_{days}", _("Share of decided within %(days)s days") % {"days": days}, RATE))
    cols.append(Column("upheld", _("Upheld or partly upheld")))
    cols.append(Column("upheld_share", _("Share of decided upheld"), RATE))
    return [*cols, *due_columns(), *procedure_columns()]


KEYS = ["category", "line", "channel", "region"]


def _by(
    counts: list[dict],
    due: list[dict],
    field: str,
    labels: dict[str, Any] | None,
    none_label: Any,
    *,
    all_codes: bool,
) -> list[dict]:
    """One row per code (every code of `labels` when `all_codes`, else those seen, largest first); `labels`
    None: the code is its own label. `due`: the due basis' counts, by the same keys."""
    rows = {(r[field] or NONE): r for r in rolled_up(counts, [field], list(_measures()))}
    due_rows = {(r[field] or NONE): r for r in rolled_up(due, [field], list(due_measures()))}
    seen = set(rows) | set(due_rows)
    codes = list(labels or {}) if all_codes else sorted(seen, key=lambda c: (-rows.get(c, {}).get("received", 0), c))
    if all_codes and NONE in seen:
        codes.append(NONE)
    zero = {k: 0 for k in _measures()}
    out = []
    for code in codes:
        label = (code if labels is None else labels.get(code, none_label)) if code else none_label
        out.append(
            {
                "code": code or "-",
                "label": str(label),
                **_shaped(rows.get(code, zero)),
                **shaped_due(due_rows.get(code, {})),
            }
        )
    return out


def in_force(filters: Filters) -> dict[str, Any]:
    """The policies in force at any time in the period, their premium and the customers holding them: a scan
    of every policy (the distinct holders cannot be summed from parts), so remembered until a policy changes."""
    units = ",".join(map(str, filters.unit_ids)) if filters.unit_ids is not None else "*"
    key = (
        f"in_force:{filters.since}:{filters.until}:{filters.line}:{filters.segment}:{sha1(units.encode()).hexdigest()}"
    )

    def compute() -> dict[str, Any]:
        policies = filters.apply(
            Policy.objects.all(), {"unit": "org_unit_id", "line": "line", "segment": "customer__segment"}
        )
        found = policies.filter(start_date__lte=filters.until, end_date__gte=filters.since).aggregate(
            policies=Count("id"), premium=Sum("premium"), customers=Count("customer_id", distinct=True)
        )
        # Premium income of the period, as the regulator's bulletins divide by: each term's premium, written
        # when the term starts (a policy row is one term).
        written = policies.filter(start_date__gte=filters.since, start_date__lte=filters.until).aggregate(
            n=Sum("premium")
        )["n"]
        return {
            **found,
            "premium": str(found["premium"] or Decimal("0")),
            "premium_written": str(written or Decimal("0")),
        }

    return facts.memo(key, compute)


@report("regulator", _("Regulator report"))
def regulator(actor: User, filters: Filters) -> Result:
    # A complaint's line and region are its own where it has them (imported history), else its policy's and
    # its unit's: resolved in the facts.
    # One scan: the complaints per category, line, channel and region; every breakdown and the totals sum it up.
    counts = list(complaints_in(filters).values(*KEYS).annotate(**_measures()).order_by())
    due = list(due_in(filters).values(*KEYS).annotate(**due_measures()).order_by())
    totals = {**_shaped(summed(counts, list(_measures()))), **shaped_due(summed(due, list(due_measures())))}
    breakdowns = [
        (
            "by_category",
            _("By business category"),
            _("Business category"),
            "category",
            dict(Category.choices),
            _("Not yet coded"),
            True,
        ),
        # No line: neither a policy nor an imported line (a source's own coverage type that no line maps to
        # counts here too, so the label says so rather than blaming a missing policy).
        (
            "by_line",
            _("By line"),
            _("Line"),
            "line",
            dict(Line.choices),
            _("No line: no policy, or a coverage type outside our lines"),
            True,
        ),
        ("by_channel", _("By channel"), _("Channel"), "channel", dict(Channel.choices), _("Unknown"), False),
        # A region is its own label (the org units' region names, or an imported complaint's own).
        ("by_region", _("By region"), _("Region"), "region", None, _("No region"), False),
    ]
    sections = [
        Section(
            key,
            title,
            _columns(Column("label", heading, LABEL)),
            _by(counts, due, field, labels, none_label, all_codes=all_codes),
            chart="bar" if key == "by_category" else "",
            totals=totals,
        )
        for key, title, heading, field, labels, none_label, all_codes in breakdowns
    ]
    policies = in_force(filters)
    premium = Decimal(policies["premium"])
    written = Decimal(policies.get("premium_written", "0"))
    cent = Decimal("0.01")

    def rates_of(received: int, basis: str, label: Any) -> dict[str, Any]:
        return {
            "complaints": received,
            "policies": policies["policies"],
            "premium": str(premium.quantize(cent)),
            "customers": policies["customers"],
            "per_10k_policies": ratio(received * 10_000, policies["policies"], 2),
            "per_100m_premium": ratio(received * 100_000_000, float(premium), 2),
            "per_10k_customers": ratio(received * 10_000, policies["customers"], 2),
            "premium_written": str(written.quantize(cent)),
            "per_100m_premium_written": ratio(received * 100_000_000, float(written), 2),
            "basis": basis,
            "basis_label": str(label),
        }

    transferred = sum(r["received"] for r in counts if r["channel"] == Channel.REGULATOR)
    rows = [
        rates_of(totals["received"], "all", _("All channels")),
        rates_of(transferred, "regulator", _("Transferred by the regulator")),
    ]
    sections.append(
        Section(
            "rates",
            _("Complaint rates"),
            [
                Column("complaints", _("Complaints")),
                Column("policies", _("Policies in force")),
                Column("premium", _("Premium of those policies (yuan)"), MONEY),
                Column("customers", _("Customers holding them")),
                Column("per_10k_policies", _("Complaints per 10,000 policies"), NUMBER),
                Column("per_100m_premium", _("Complaints per 100 million yuan of premium"), NUMBER),
                Column("per_10k_customers", _("Complaints per 10,000 customers"), NUMBER),
                Column("premium_written", _("Premium income written in the period (yuan)"), MONEY),
                Column("per_100m_premium_written", _("Complaints per 100 million yuan of premium income"), NUMBER),
                Column("basis_label", _("Complaints counted"), LABEL),
            ],
            rows,
        )
    )
    return Result(
        "regulator",
        _("Regulator report"),
        filters,
        sections,
        notes=[
            _("Rates count the policies in force at any time in the period and the customers holding them."),
            _(
                "Premium income is each policy term's premium, written in the period the term starts; the second "
                "row counts only the complaints the regulator transferred."
            ),
        ],
    )
