"""`timeliness`: for complaints received in each bucket, how long to the first recovery step (first response)
and to the decision told to the complainant (resolution), and the share decided within the regulatory clock
(15 days; 30 when extended; 60 with a further extension — 银行业保险业消费投诉处理管理办法, 2020).

Shares are of complaints received in the bucket, so recent undecided complaints lower them until decided;
`undecided_overdue` counts those already past their own deadline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.core import clock

from .. import paths
from ..expressions import bucket_keys, bucketed, ratio, summed
from ..filters import Filters
from ..models import ComplaintFact
from . import LABEL, NUMBER, RATE, Column, Result, Section, report


def clock_limits() -> list[int]:
    """15, 30 and 60 days by default (the configured regulatory clock)."""
    c: dict[str, Any] = settings.AMENDS_CLOCK
    return [c["base_days"], c["extended_days"], c["extended_days"] + c["further_days"]]


def measures() -> dict[str, Any]:
    """The aggregates of one group of complaint facts."""
    now = clock.now()
    out: dict[str, Any] = {
        "received": Count("complaint_id"),
        "decided": Count("complaint_id", filter=Q(resolution_s__isnull=False)),
        "undecided_overdue": Count("complaint_id", filter=Q(resolution_s__isnull=True, due_at__lt=now)),
        # Sums and counts, not averages, so that the period's totals are the buckets' added up.
        "first_response_sum_s": Sum("first_response_s"),
        "first_responses": Count("first_response_s"),
        "resolution_sum_s": Sum("resolution_s"),
    }
    for days in clock_limits():
        out[f"within_{days}"] = Count("complaint_id", filter=Q(resolution_s__lte=days * 86400))
    return out


def complaints_in(filters: Filters) -> Any:
    """The facts of the complaints received in the period (local dates), narrowed by the filters."""
    return filters.apply(
        ComplaintFact.objects.filter(received_on__gte=filters.since, received_on__lte=filters.until),
        paths.COMPLAINT_FACT,
    )


def shaped(row: dict[str, Any]) -> dict[str, Any]:
    """Counts as they are; shares of received; durations in hours (first response) and days (resolution)."""
    out = {k: row[k] for k in ("received", "decided", "undecided_overdue")}
    for days in clock_limits():
        out[f"within_{days}"] = row[f"within_{days}"]
        out[f"share_{days}"] = ratio(row[f"within_{days}"], row["received"])
    fr = ratio(row["first_response_sum_s"], row["first_responses"], 6)
    rs = ratio(row["resolution_sum_s"], row["decided"], 6)
    out["first_response_hours"] = round(fr / 3600, 2) if fr is not None else None
    out["resolution_days"] = round(rs / 86400, 2) if rs is not None else None
    return out


def columns() -> list[Column]:
    cols = [
        Column("received", _("Received")),
        Column("decided", _("Decided")),
        Column("undecided_overdue", _("Undecided, past deadline")),
    ]
    for days in clock_limits():
        cols.append(Column(f"within_{days}", _("Decided within %(days)s days") % {"days": days}))
        cols.append(Column(f"share_{days}", _("Share within %(days)s days") % {"days": days}, RATE))
    cols.append(Column("first_response_hours", _("Average hours to first response"), NUMBER))
    cols.append(Column("resolution_days", _("Average days to decision"), NUMBER))
    return cols


@report("timeliness", _("Timeliness"))
def timeliness(actor: User, filters: Filters) -> Result:
    complaints = complaints_in(filters)
    agg = measures()
    rows = list(complaints.values("received_on").annotate(**agg).order_by())
    found = {r["bucket"]: shaped(r) for r in bucketed(rows, "received_on", filters.bucket, [], list(agg))}
    zero = {k: 0 for k in agg}
    trend = [{"period": key, **found.get(key, shaped(zero))} for key in bucket_keys(filters)]
    totals = shaped(summed(rows, list(agg)))
    return Result(
        "timeliness",
        _("Timeliness"),
        filters,
        [
            Section(
                "trend",
                _("Response, resolution and the regulatory clock"),
                [Column("period", _("Period"), LABEL), *columns()],
                trend,
                chart="line",
                totals=totals,
            )
        ],
        notes=[_("Shares are of complaints received in the period; recent undecided complaints lower them.")],
    )
