"""`volume`: complaints received, cases opened and closed, and failures recorded, per bucket of the period;
and complaints by channel. The totals add the outcome of the complaints received in the period: `upheld`
(upheld or partly upheld) and `upheld_share` (upheld ÷ decided)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.intake.models import Channel

from .. import paths
from ..expressions import bucket_keys, bucketed, ratio, rolled_up, summed
from ..filters import Filters
from ..models import CaseFact, ComplaintFact, FailureFact
from . import LABEL, RATE, Column, Result, Section, report
from .regulator import UPHELD


def per_bucket(qs: Any, day_field: str, filters: Filters) -> dict[str, int]:
    """Rows per bucket of the local date `day_field` within the period: one GROUP BY the date."""
    rows = list(
        qs.filter(**{f"{day_field}__gte": filters.since, f"{day_field}__lte": filters.until})
        .values(day_field)
        .annotate(n=Count("*"))  # not a column: an index on the day answers it alone
        .order_by()
    )
    return {r["bucket"]: r["n"] for r in bucketed(rows, day_field, filters.bucket, [], ["n"])}


@report("volume", _("Volume"))
def volume(actor: User, filters: Filters) -> Result:
    # Complaints per bucket and channel in one scan, with how many of them are decided and upheld (wholly or
    # partly): the trend, the channel breakdown and the outcome all sum it up.
    received = list(
        filters.apply(ComplaintFact.objects.all(), paths.COMPLAINT_FACT)
        .filter(received_on__gte=filters.since, received_on__lte=filters.until)
        .values("received_on", "channel")
        .annotate(
            n=Count("*"),
            # Counted from columns the day index carries (decided: a decision time), so it is read alone.
            decided=Count("resolution_s"),
            upheld=Count("result", filter=Q(result__in=UPHELD)),
        )
        .order_by()
    )
    outcome = summed(received, ["decided", "upheld"])
    by_bucket = bucketed([dict(r) for r in received], "received_on", filters.bucket, [], ["n"])
    cases = filters.apply(CaseFact.objects.all(), paths.CASE_FACT)
    series = {
        "complaints": {r["bucket"]: r["n"] for r in by_bucket},
        "cases_opened": per_bucket(cases, "opened_on", filters),
        "cases_closed": per_bucket(cases, "closed_on", filters),
        "failures": per_bucket(filters.apply(FailureFact.objects.all(), paths.FAILURE_FACT), "occurred_on", filters),
    }
    trend = [
        {"period": key, **{name: counts.get(key, 0) for name, counts in series.items()}} for key in bucket_keys(filters)
    ]
    by_channel_rows = sorted(rolled_up(received, ["channel"], ["n"]), key=lambda r: (-r["n"], r["channel"]))
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
                totals={
                    **{name: sum(counts.values()) for name, counts in series.items()},
                    "decided": outcome["decided"],
                    "upheld": outcome["upheld"],
                    "upheld_share": ratio(outcome["upheld"], outcome["decided"]),
                },
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
