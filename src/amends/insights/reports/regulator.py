"""`regulator`: the complaint statistics a regulator asks for (银行业保险业消费投诉处理管理办法): complaints received
in the period by business category, line, channel and region, with those decided within 15, 30 and 60 days;
and complaints per 10,000 policies, per 100 million yuan of premium, per 10,000 customers and per 10,000
insured persons, over the policies in force during the period (channel and touchpoint filters do not narrow
the policies). As XLSX it is laid out like the regulator's return (`insights.export.regulator_workbook`).
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import sha1
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.core.labels import LABEL_FIELDS, label_of
from amends.customers.models import Line, Policy, ProductLine
from amends.intake.models import Category, Channel, ComplaintReason, ReasonCategory

from .. import facts, paths
from ..expressions import ratio, rolled_up, summed
from ..filters import Filters
from ..models import ComplaintFact
from . import LABEL, MONEY, NUMBER, RATE, Column, Result, Section, report
from .timeliness import (
    clock_limits,
    due_columns,
    due_in_period,
    due_measures,
    only,
    procedure_columns,
    procedure_measures,
    received_in_period,
    shaped_due,
    shaped_procedure,
    within,
)

NONE = ""
OWN = "source:"  # a product line key that is a source's own coverage type, not a product line code


UPHELD = ["upheld", "partly_upheld"]


def _measures(where: Q | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "received": Count("complaint_id", filter=only(where)),
        "decided": Count("complaint_id", filter=only(where, Q(resolution_s__isnull=False))),
        "upheld": Count("complaint_id", filter=only(where, Q(result__in=UPHELD))),
    }
    for days in clock_limits():
        out[f"within_{days}"] = Count("complaint_id", filter=only(where, within(days)))
    return {**out, **procedure_measures(where)}


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


KEYS = ["category", "line", "channel", "region", "reason", "product_line", "coverage"]


def _all_measures() -> list[str]:
    """The names of both bases' measures, as each row of the one scan carries them."""
    return [*_measures(), *due_measures()]


def _keyed(rows: list[dict], key: Any) -> dict[Any, dict[str, int]]:
    """The rows of the one scan summed by `key(row)` (a code resolved through the reference data)."""
    measures = _all_measures()
    out: dict[Any, dict[str, int]] = {}
    for row in rows:
        into = out.setdefault(key(row), dict.fromkeys(measures, 0))
        for m in measures:
            into[m] += row[m] or 0
    return out


def _figures(got: dict | None) -> dict[str, Any]:
    """A row's figures on both bases from its summed measures (none: zeros)."""
    got = got or dict.fromkeys(_all_measures(), 0)
    return {**_shaped(got), **shaped_due(got)}


def _row(code: str, label: Any, got: dict | None, **extra: Any) -> dict[str, Any]:
    return {"code": code or "-", **extra, "label": str(label), **_figures(got)}


def categories() -> list[dict[str, Any]]:
    """The business categories of the taxonomy, in order, with their labels (one small read per report)."""
    return list(ReasonCategory.objects.values("code", *LABEL_FIELDS))


def by_reason(rows: list[dict], categories: list[dict[str, Any]]) -> list[dict]:
    """Business category → reason, as the taxonomy (`intake.ReasonCategory`, `ComplaintReason`) orders them:
    every active reason (zeros included), a coded reason no longer active when it counts, then per category
    the complaints whose reason is not yet coded, and last the complaints with no category either. A reason
    counts under its own category (coding a reason sets the complaint's category too)."""
    reasons = list(ComplaintReason.objects.values("code", "category__code", "active", *LABEL_FIELDS))
    category_of = {r["code"]: r["category__code"] for r in reasons}

    def key(row: dict) -> tuple[str, str]:
        reason = row["reason"] or NONE
        return (category_of.get(reason, row["category"] or NONE) if reason else row["category"] or NONE, reason)

    got = _keyed(rows, key)
    seen = set(got)
    out = []
    label = {c["code"]: label_of(*(c[f] for f in LABEL_FIELDS)) for c in categories}
    for c in [*categories, {"code": NONE}]:
        code = c["code"]
        category_label = label.get(code, _("Not yet coded"))
        for r in reasons:
            if r["category__code"] == code and (r["active"] or (code, r["code"]) in seen):
                k = (code, r["code"])
                reason_label = label_of(*(r[f] for f in LABEL_FIELDS))
                out.append(
                    _row(
                        r["code"],
                        reason_label,
                        got.get(k),
                        category=code or "-",
                        category_label=str(category_label),
                    )
                )
        unknown = sorted(k for k in seen if k[0] == code and k[1] and k[1] not in category_of)
        for k in [*unknown, (code, NONE)]:
            if k in seen:
                out.append(
                    _row(
                        k[1],
                        k[1] or _("Reason not yet coded"),
                        got.get(k),
                        category=code or "-",
                        category_label=str(category_label),
                    )
                )
    return out


def by_product_line(rows: list[dict]) -> list[dict]:
    """Per product line (`customers.ProductLine`, in its order; every active one, zeros included): the line
    staff coded; else, for an imported complaint, the product line whose `aliases` name the source's coverage
    type, or that coverage type by its own name when none does; else the product line our coarse line counts
    as by default; else none."""
    products = list(ProductLine.objects.values("code", "line", "default_for_line", "active", "aliases", *LABEL_FIELDS))
    default = {p["line"]: p["code"] for p in products if p["default_for_line"] and p["line"]}
    alias = {name.strip().casefold(): p["code"] for p in products for name in p["aliases"].splitlines() if name.strip()}

    def key(row: dict) -> str:
        if row["product_line"]:
            return row["product_line"]
        if row["coverage"]:
            return alias.get(row["coverage"].strip().casefold(), OWN + row["coverage"])
        return default.get(row["line"], NONE)

    got = _keyed(rows, key)
    seen = set(got)
    known = {p["code"] for p in products}
    out = [
        _row(p["code"], label_of(*(p[f] for f in LABEL_FIELDS)), got.get(p["code"]))
        for p in products
        if p["active"] or p["code"] in seen
    ]
    # A source's own coverage type no alias names, and a coded product line since removed: by their own names.
    for code in sorted(c for c in seen if c and c not in known):
        name = code.removeprefix(OWN)
        out.append(_row(name, name, got.get(code)))
    if NONE in seen:
        out.append(_row(NONE, _("No product line"), got.get(NONE)))
    return out


def _by(
    rows: list[dict],
    field: str,
    labels: dict[str, Any] | None,
    none_label: Any,
    *,
    all_codes: bool,
) -> list[dict]:
    """One row per code (every code of `labels` when `all_codes`, else those seen, largest first); `labels`
    None: the code is its own label. Each row has its figures on both bases."""
    got = {(r[field] or NONE): r for r in rolled_up(rows, [field], _all_measures())}
    codes = list(labels or {}) if all_codes else sorted(got, key=lambda c: (-got[c]["received"], c))
    if all_codes and NONE in got:
        codes.append(NONE)
    out = []
    for code in codes:
        label = (code if labels is None else labels.get(code, none_label)) if code else none_label
        out.append({"code": code or "-", "label": str(label), **_figures(got.get(code))})
    return out


def in_force(filters: Filters) -> dict[str, Any]:
    """The policies in force at any time in the period, their premium and the customers holding them: a scan
    of every policy (the distinct holders cannot be summed from parts), so remembered until a policy changes."""
    units = ",".join(map(str, filters.unit_ids)) if filters.unit_ids is not None else "*"
    # ":2": the figures gained the insured persons, so a figure remembered before then is not read.
    digest = sha1(units.encode()).hexdigest()
    key = f"in_force:2:{filters.since}:{filters.until}:{filters.line}:{filters.segment}:{digest}"

    def compute() -> dict[str, Any]:
        policies = filters.apply(
            Policy.objects.all(), {"unit": "org_unit_id", "line": "line", "segment": "customer__segment"}
        )
        found = policies.filter(start_date__lte=filters.until, end_date__gte=filters.since).aggregate(
            policies=Count("id"),
            premium=Sum("premium"),
            customers=Count("customer_id", distinct=True),
            insured=Sum("insured_persons"),
        )
        # Premium income of the period, as the regulator's bulletins divide by: each term's premium, written
        # when the term starts (a policy row is one term).
        written = policies.filter(start_date__gte=filters.since, start_date__lte=filters.until).aggregate(
            n=Sum("premium")
        )["n"]
        return {
            **found,
            "premium": str(found["premium"] or Decimal("0")),
            "insured": found["insured"] or 0,
            "premium_written": str(written or Decimal("0")),
        }

    return facts.memo(key, compute)


@report("regulator", _("Regulator report"))
def regulator(actor: User, filters: Filters) -> Result:
    # A complaint's line and region are its own where it has them (imported history), else its policy's and
    # its unit's: resolved in the facts.
    # One scan, for both bases: the complaints received in the period or due in it, per category, line, channel,
    # region, reason, product line and coverage, each measure counting only the rows of its basis (a group seen
    # on one basis only has zeros on the other, which add nothing); every breakdown and the totals sum it up.
    received, due_now = received_in_period(filters), due_in_period(filters)
    both = filters.apply(ComplaintFact.objects.filter(received | due_now), paths.COMPLAINT_FACT)
    # The due basis first: its filter names the `withdrawn` column, which the received basis's measures then
    # name as a count (an annotation after it would be read as that count).
    rows = list(both.values(*KEYS).annotate(**due_measures(due_now), **_measures(received)).order_by())
    totals = _figures(summed(rows, _all_measures()))
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
            _by(rows, field, labels, none_label, all_codes=all_codes),
            chart="bar" if key == "by_category" else "",
            totals=totals,
        )
        for key, title, heading, field, labels, none_label, all_codes in breakdowns
    ]
    taxonomy = categories()
    sections.append(
        Section(
            "by_reason",
            _("By business category and reason"),
            [
                Column("code", _("Code"), LABEL),
                Column("category_label", _("Business category"), LABEL),
                Column("label", _("Reason"), LABEL),
                *_columns(Column("label", "", LABEL))[2:],
            ],
            by_reason(rows, taxonomy),
            totals=totals,
        )
    )
    sections.append(
        Section(
            "by_product_line",
            _("By product line"),
            _columns(Column("label", _("Product line"), LABEL)),
            by_product_line(rows),
            totals=totals,
        )
    )
    # The complaints the regulator transferred (监管转送), by business category as the taxonomy labels them:
    # the same scan's rows of that channel.
    sent = [r for r in rows if r["channel"] == Channel.REGULATOR]
    category_labels = {c["code"]: label_of(*(c[f] for f in LABEL_FIELDS)) for c in taxonomy}
    sections.append(
        Section(
            "regulator_transfers",
            _("Complaints transferred by the regulator"),
            _columns(Column("label", _("Business category"), LABEL)),
            _by(sent, "category", category_labels, _("Not yet coded"), all_codes=True),
            totals=_figures(summed(sent, _all_measures())),
        )
    )
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
            "insured": policies["insured"],
            "per_10k_insured": ratio(received * 10_000, policies["insured"], 2),
            "premium_written": str(written.quantize(cent)),
            "per_100m_premium_written": ratio(received * 100_000_000, float(written), 2),
            "basis": basis,
            "basis_label": str(label),
        }

    transferred = sum(r["received"] for r in sent)
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
                Column("insured", _("Insured persons on them")),
                Column("per_10k_insured", _("Complaints per 10,000 insured persons"), NUMBER),
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
            _(
                "Rates count the policies in force at any time in the period, the customers holding them and "
                "the persons they insure."
            ),
            _(
                "Premium income is each policy term's premium, written in the period the term starts; the second "
                "row counts only the complaints the regulator transferred."
            ),
        ],
    )
