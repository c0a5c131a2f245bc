"""`timeliness`: for complaints received in each bucket, how long to the first recovery step (first response)
and to the decision told to the complainant (resolution), and how many were decided within the regulatory
clock (15 days; 30 when extended; 60 with a further extension — 银行业保险业消费投诉处理管理办法, 2020).

Two bases, as the regulator reads them (docs/figures.md defines each figure):
- decided: `share_N` = `within_N` ÷ `decided`, over the complaints received in the bucket that are decided;
  an open complaint is in no denominator, so recent ones no longer drag the share down.
- due: `due_share_N` = `due_within_N` ÷ `due`, over the complaints whose deadline falls in the bucket and has
  passed (or that are decided): a due complaint still undecided counts as late.
Days to decide are calendar days (local dates) from receipt to decision: the mean, the median and the 90th
percentile, the last two from one count per day in the database (no row is read into Python); days paused for
an outside appraisal are left out, as the law leaves them out of the period. A withdrawn complaint (撤回) is in
no decided or due count (`withdrawn` counts it apart). Reviews (核查) are counted with the complaint they concern,
each against its own deadline.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amends.accounts.models import User
from amends.core import clock

from .. import paths
from ..expressions import bucket_keys, bucketed, day_bucket, quantile, ratio, summed
from ..filters import Filters
from ..models import ComplaintFact
from . import LABEL, NUMBER, RATE, Column, Result, Section, report


def clock_limits() -> list[int]:
    """15, 30 and 60 days by default (the configured regulatory clock)."""
    c: dict[str, Any] = settings.AMENDS_CLOCK
    return [c["base_days"], c["extended_days"], c["extended_days"] + c["further_days"]]


def within(days: int) -> Q:
    return Q(resolution_s__lte=days * 86400)


def measures() -> dict[str, Any]:
    """The aggregates of one group of complaint facts (received basis)."""
    now = clock.now()
    out: dict[str, Any] = {
        "received": Count("complaint_id"),
        "decided": Count("complaint_id", filter=Q(resolution_s__isnull=False)),
        "undecided_overdue": Count(
            "complaint_id", filter=Q(resolution_s__isnull=True, withdrawn=False, due_at__lt=now)
        ),
        # Sums and counts, not averages, so that the period's totals are the buckets' added up.
        "first_response_sum_s": Sum("first_response_s"),
        "first_responses": Count("first_response_s"),
        "resolution_sum_s": Sum("resolution_s"),
    }
    for days in clock_limits():
        out[f"within_{days}"] = Count("complaint_id", filter=within(days))
    return {**out, **procedure_measures()}


def only(where: Q | None, condition: Q | None = None) -> Q | None:
    """A measure's filter narrowed to the rows `where` picks (None: every row the query reads), so one scan can
    count two sets of rows (the regulator report's received and due bases)."""
    if where is None:
        return condition
    return where if condition is None else condition & where


def procedure_measures(where: Q | None = None) -> dict[str, Any]:
    """Withdrawals (in no decided or due denominator) and reviews (核查) with their own clock, counted with the
    complaint they concern (received basis)."""
    return {
        "withdrawn": Count("complaint_id", filter=only(where, Q(withdrawn=True))),
        "reviews": Count("complaint_id", filter=only(where, Q(review_due_at__isnull=False))),
        "reviews_decided": Count("complaint_id", filter=only(where, Q(review_decided_at__isnull=False))),
        "reviews_on_time": Count("complaint_id", filter=only(where, Q(review_decided_at__lte=F("review_due_at")))),
        "reviews_overdue": Count(
            "complaint_id", filter=only(where, Q(review_decided_at__isnull=True, review_due_at__lt=clock.now()))
        ),
        "review_sum_s": Sum("review_resolution_s", filter=only(where)),
    }


def shaped_procedure(row: dict[str, Any]) -> dict[str, Any]:
    out = {
        k: row.get(k) or 0 for k in ("withdrawn", "reviews", "reviews_decided", "reviews_on_time", "reviews_overdue")
    }
    out["review_on_time_share"] = ratio(out["reviews_on_time"], out["reviews_decided"])
    days = ratio(row.get("review_sum_s"), out["reviews_decided"], 6)
    out["review_days"] = round(days / 86400, 2) if days is not None else None
    return out


def procedure_columns() -> list[Column]:
    return [
        Column("withdrawn", _("Withdrawn")),
        Column("reviews", _("Reviews asked")),
        Column("reviews_decided", _("Reviews decided")),
        Column("reviews_on_time", _("Reviews decided in their period")),
        Column("review_on_time_share", _("Share of reviews decided in their period"), RATE),
        Column("reviews_overdue", _("Reviews undecided, past their deadline")),
        Column("review_days", _("Average days to a review's decision"), NUMBER),
    ]


def due_measures(where: Q | None = None) -> dict[str, Any]:
    """The aggregates of the complaints due (due basis): each, and those decided within each limit."""
    out: dict[str, Any] = {"due": Count("complaint_id", filter=only(where))}
    for days in clock_limits():
        out[f"due_within_{days}"] = Count("complaint_id", filter=only(where, within(days)))
    return out


def complaints_in(filters: Filters) -> Any:
    """The facts of the complaints received in the period (local dates), narrowed by the filters."""
    return filters.apply(ComplaintFact.objects.filter(received_in_period(filters)), paths.COMPLAINT_FACT)


def received_in_period(filters: Filters) -> Q:
    """Received in the period (local dates): the received basis."""
    return Q(received_on__gte=filters.since, received_on__lte=filters.until)


def due_in_period(filters: Filters) -> Q:
    """Due in the period: the deadline's local date in it, and either decided or past the deadline now (an open
    complaint not yet due is not counted, late or on time); a withdrawn complaint is never due."""
    return Q(due_on__gte=filters.since, due_on__lte=filters.until, withdrawn=False) & (
        Q(resolution_s__isnull=False) | Q(due_at__lt=clock.now())
    )


def due_in(filters: Filters) -> Any:
    """The facts of the complaints due in the period (`due_in_period`), narrowed by the filters."""
    return filters.apply(ComplaintFact.objects.filter(due_in_period(filters)), paths.COMPLAINT_FACT)


def shaped_due(row: dict[str, Any]) -> dict[str, Any]:
    out = {"due": row.get("due") or 0}
    for days in clock_limits():
        out[f"due_within_{days}"] = row.get(f"due_within_{days}") or 0
        out[f"due_share_{days}"] = ratio(out[f"due_within_{days}"], out["due"])
    return out


def shaped(row: dict[str, Any]) -> dict[str, Any]:
    """Counts as they are; shares of decided; durations in hours (first response) and days (resolution)."""
    out = {k: row[k] for k in ("received", "decided", "undecided_overdue")}
    for days in clock_limits():
        out[f"within_{days}"] = row[f"within_{days}"]
        out[f"share_{days}"] = ratio(row[f"within_{days}"], row["decided"])
    fr = ratio(row["first_response_sum_s"], row["first_responses"], 6)
    rs = ratio(row["resolution_sum_s"], row["decided"], 6)
    out["first_response_hours"] = round(fr / 3600, 2) if fr is not None else None
    out["resolution_days"] = round(rs / 86400, 2) if rs is not None else None
    return {**out, **shaped_procedure(row)}


def columns() -> list[Column]:
    cols = [
        Column("received", pgettext_lazy("a count", "Received")),
        Column("decided", _("Decided")),
        Column("undecided_overdue", _("Undecided, past deadline")),
    ]
    for days in clock_limits():
        cols.append(Column(f"within_{days}", _("Decided within %(days)s days") % {"days": days}))
        cols.append(Column(f"share_{days}", _("Share of decided within %(days)s days") % {"days": days}, RATE))
    return cols


def due_columns() -> list[Column]:
    cols = [Column("due", _("Due"))]
    for days in clock_limits():
        cols.append(Column(f"due_within_{days}", _("Due, decided within %(days)s days") % {"days": days}))
        cols.append(Column(f"due_share_{days}", _("Share of due within %(days)s days") % {"days": days}, RATE))
    return cols


def duration_columns() -> list[Column]:
    return [
        Column("first_response_hours", _("Average hours to first response"), NUMBER),
        Column("resolution_days", _("Average days to decision"), NUMBER),
        Column("median_days", _("Median days to decision"), NUMBER),
        Column("p90_days", _("90th percentile of days to decision"), NUMBER),
    ]


def days_histograms(complaints: Any, bucket: str) -> tuple[dict[str, dict[int, int]], dict[int, int]]:
    """Decided complaints per bucket and calendar days to decide ({bucket: {days: n}}), and all together:
    one GROUP BY of at most (days in the period × distinct durations) rows."""
    per: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[int, int] = defaultdict(int)
    rows = (
        complaints.filter(resolution_days__isnull=False)
        .values("received_on", "resolution_days")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("received_on", "resolution_days", "n")
    )
    buckets: dict[Any, str] = {}  # a day's bucket, named once per day rather than once per row (~30 a day)
    for day, days, n in rows:
        key = buckets.get(day) or buckets.setdefault(day, day_bucket(day, bucket))
        per[key][days] += n
        total[days] += n
    return per, total


def spread(histogram: dict[int, int]) -> dict[str, Any]:
    return {"median_days": quantile(histogram, 0.5), "p90_days": quantile(histogram, 0.9)}


@report("timeliness", _("Timeliness"))
def timeliness(actor: User, filters: Filters) -> Result:
    complaints = complaints_in(filters)
    agg = measures()
    rows = list(complaints.values("received_on").annotate(**agg).order_by())
    found = {r["bucket"]: shaped(r) for r in bucketed(rows, "received_on", filters.bucket, [], list(agg))}
    due_agg = due_measures()
    due_rows = list(due_in(filters).values("due_on").annotate(**due_agg).order_by())
    due_found = {r["bucket"]: shaped_due(r) for r in bucketed(due_rows, "due_on", filters.bucket, [], list(due_agg))}
    per_days, all_days = days_histograms(complaints, filters.bucket)
    zero, due_zero = shaped({k: 0 for k in agg}), shaped_due({})
    trend = [
        {
            "period": key,
            **found.get(key, zero),
            **spread(per_days.get(key, {})),
            **due_found.get(key, due_zero),
        }
        for key in bucket_keys(filters)
    ]
    totals = {**shaped(summed(rows, list(agg))), **spread(all_days), **shaped_due(summed(due_rows, list(due_agg)))}
    return Result(
        "timeliness",
        _("Timeliness"),
        filters,
        [
            Section(
                "trend",
                _("Response, resolution and the regulatory clock"),
                [
                    Column("period", _("Period"), LABEL),
                    *columns(),
                    *duration_columns(),
                    *due_columns(),
                    *procedure_columns(),
                ],
                trend,
                chart="line",
                totals=totals,
            )
        ],
        notes=[
            _(
                "Shares within 15, 30 and 60 days are of the complaints received in the period and decided; "
                "an open complaint is in no denominator."
            ),
            _(
                "Due basis: complaints whose deadline falls in the period, decided or past it; one still "
                "undecided counts as late."
            ),
            _("Days to decide are calendar days from receipt to decision; the median and 90th percentile interpolate."),
            _(
                "Days paused for an outside appraisal are left out of the days to decide. A withdrawn complaint is "
                "in no decided or due count; reviews are counted with the complaint they concern, against their "
                "own deadline."
            ),
        ],
    )
