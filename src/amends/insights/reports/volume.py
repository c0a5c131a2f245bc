"""`volume`: complaints received, cases opened and closed, and failures recorded, per bucket of the period;
and complaints by channel."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.intake.models import Channel

from .. import paths
from ..expressions import bucket_key, bucket_keys, bucket_of
from ..filters import Filters
from ..models import CaseFact, ComplaintFact, FailureFact
from . import LABEL, RATE, Column, Result, Section, report


def per_bucket(qs: Any, day_field: str, filters: Filters) -> dict[str, int]:
    """Rows per bucket of the local date `day_field` within the period: one GROUP BY."""
    rows = (
        qs.filter(**{f"{day_field}__gte": filters.since, f"{day_field}__lte": filters.until})
        .annotate(bucket=bucket_of(day_field, filters))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {bucket_key(r["bucket"], filters.bucket): r["n"] for r in rows}


@report("volume", _("Volume"))
def volume(actor: User, filters: Filters) -> Result:
    complaints = filters.apply(ComplaintFact.objects.all(), paths.COMPLAINT_FACT)
    cases = filters.apply(CaseFact.objects.all(), paths.CASE_FACT)
    series = {
        "complaints": per_bucket(complaints, "received_on", filters),
        "cases_opened": per_bucket(cases, "opened_on", filters),
        "cases_closed": per_bucket(cases, "closed_on", filters),
        "failures": per_bucket(filters.apply(FailureFact.objects.all(), paths.FAILURE_FACT), "occurred_on", filters),
    }
    trend = [
        {"period": key, **{name: counts.get(key, 0) for name, counts in series.items()}} for key in bucket_keys(filters)
    ]
    by_channel_rows = (
        complaints.filter(received_on__gte=filters.since, received_on__lte=filters.until)
        .values("channel")
        .annotate(n=Count("complaint_id"))
        .order_by("-n", "channel")
    )
    total = sum(r["n"] for r in by_channel_rows)
    labels = dict(Channel.choices)
    by_channel = [
        {
            "channel": r["channel"],
            "label": str(labels.get(r["channel"], r["channel"])),
            "complaints": r["n"],
            "share": round(r["n"] / total, 4) if total else None,
        }
        for r in by_channel_rows
    ]
    return Result(
        "volume",
        _("Volume"),
        filters,
        [
            Section(
                "trend",
                _("Complaints, cases and failures over time"),
                [
                    Column("period", _("Period"), LABEL),
                    Column("complaints", _("Complaints received")),
                    Column("cases_opened", _("Cases opened")),
                    Column("cases_closed", _("Cases closed")),
                    Column("failures", _("Failures recorded")),
                ],
                trend,
                chart="line",
                totals={name: sum(counts.values()) for name, counts in series.items()},
            ),
            Section(
                "by_channel",
                _("Complaints by channel"),
                [
                    Column("channel", _("Code"), LABEL),
                    Column("label", _("Channel"), LABEL),
                    Column("complaints", _("Complaints")),
                    Column("share", _("Share"), RATE),
                ],
                by_channel,
                chart="pie",
            ),
        ],
    )
