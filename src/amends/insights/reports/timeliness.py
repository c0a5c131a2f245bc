"""`timeliness`: for complaints received in each bucket, how long to the first recovery step (first response)
and to the decision told to the complainant (resolution), and the share decided within the regulatory clock
(15 days; 30 when extended; 60 with a further extension — 银行业保险业消费投诉处理管理办法, 2020).

Shares are of complaints received in the bucket, so recent undecided complaints lower them until decided;
`undecided_overdue` counts those already past their own deadline.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.core import clock
from amends.intake.models import Complaint
from amends.recovery.models import CaseStep

from .. import paths
from ..expressions import Seconds, bucket_key, bucket_keys, bucket_of, ratio
from ..filters import Filters
from . import LABEL, NUMBER, RATE, Column, Result, Section, report


def clock_limits() -> list[int]:
    """15, 30 and 60 days by default (the configured regulatory clock)."""
    c = settings.AMENDS_CLOCK
    return [c["base_days"], c["extended_days"], c["extended_days"] + c["further_days"]]


def measures() -> dict[str, Any]:
    """The aggregates of one group of complaints; shared with the regulator report."""
    first_step = Subquery(
        CaseStep.objects.filter(case_id=OuterRef("case_id"), at__gte=OuterRef("received_at"))
        .order_by("at")
        .values("at")[:1]
    )
    now = clock.now()
    out: dict[str, Any] = {
        "received": Count("id"),
        "decided": Count("id", filter=Q(decided_at__isnull=False)),
        "undecided_overdue": Count("id", filter=Q(decided_at__isnull=True, due_at__lt=now)),
        "first_response_s": Avg(Seconds(first_step, F("received_at"))),
        "resolution_s": Avg(Seconds(F("decided_at"), F("received_at"))),
    }
    for days in clock_limits():
        out[f"within_{days}"] = Count("id", filter=Q(decided_at__lte=F("received_at") + timedelta(days=days)))
    return out


def shaped(row: dict[str, Any]) -> dict[str, Any]:
    """Counts as they are; shares of received; durations in hours (first response) and days (resolution)."""
    out = {k: row[k] for k in ("received", "decided", "undecided_overdue")}
    for days in clock_limits():
        out[f"within_{days}"] = row[f"within_{days}"]
        out[f"share_{days}"] = ratio(row[f"within_{days}"], row["received"])
    fr, rs = row["first_response_s"], row["resolution_s"]
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
    complaints = filters.apply(
        Complaint.objects.filter(received_at__gte=filters.start, received_at__lt=filters.end), paths.COMPLAINT
    )
    agg = measures()
    rows = complaints.annotate(bucket=bucket_of("received_at", filters)).values("bucket").annotate(**agg).order_by()
    found = {bucket_key(r["bucket"], filters.bucket): shaped(r) for r in rows}
    empty = shaped({k: 0 if not k.endswith("_s") else None for k in agg})
    trend = [{"period": key, **found.get(key, empty)} for key in bucket_keys(filters)]
    totals = shaped(complaints.aggregate(**agg))
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
