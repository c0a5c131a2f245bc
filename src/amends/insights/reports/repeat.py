"""`repeat`: repeat failures — a failure for a customer who already had one in the window before it
(AMENDS_REPEAT_WINDOW_DAYS, 90 by default). A second failure costs double (double deviation): the share of
repeats per bucket, the customers failed twice or more in the period, and the touchpoints where repeats happen.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.journeys.queries import touchpoint_names
from amends.recovery.models import Failure

from .. import paths
from ..expressions import bucket_key, bucket_keys, bucket_of, ratio
from ..filters import Filters
from . import COUNT, LABEL, RATE, Column, Result, Section, report


def window() -> timedelta:
    return timedelta(days=settings.AMENDS_REPEAT_WINDOW_DAYS)


def is_repeat() -> Exists:
    """An earlier failure of the same customer within the window (any touchpoint, any source)."""
    return Exists(
        Failure.objects.filter(
            customer_id=OuterRef("customer_id"),
            occurred_at__lt=OuterRef("occurred_at"),
            occurred_at__gte=OuterRef("occurred_at") - window(),
        )
    )


@report("repeat", _("Repeat failures"))
def repeat(actor: User, filters: Filters) -> Result:
    failures = filters.apply(
        Failure.objects.filter(occurred_at__gte=filters.start, occurred_at__lt=filters.end), paths.FAILURE
    ).annotate(repeat=is_repeat())
    agg = {"failures": Count("id"), "repeats": Count("id", filter=Q(repeat=True))}
    rows = failures.annotate(bucket=bucket_of("occurred_at", filters)).values("bucket").annotate(**agg).order_by()
    found = {bucket_key(r["bucket"], filters.bucket): r for r in rows}
    trend = []
    for key in bucket_keys(filters):
        r = found.get(key, {"failures": 0, "repeats": 0})
        trend.append(
            {
                "period": key,
                "failures": r["failures"],
                "repeats": r["repeats"],
                "repeat_share": ratio(r["repeats"], r["failures"]),
            }
        )
    totals = failures.aggregate(**agg)
    totals["repeat_share"] = ratio(totals["repeats"], totals["failures"])
    totals["customers_failed_twice"] = (
        failures.order_by().values("customer_id").annotate(n=Count("id")).filter(n__gte=2).count()
    )
    top = list(
        failures.filter(repeat=True)
        .values("touchpoint__code")
        .annotate(repeats=Count("id"))
        .order_by("-repeats", "touchpoint__code")[:20]
    )
    names = touchpoint_names(r["touchpoint__code"] for r in top)
    by_touchpoint = [
        {
            "touchpoint": r["touchpoint__code"] or "",
            "touchpoint_name": names.get(r["touchpoint__code"] or "", ""),
            "repeats": r["repeats"],
        }
        for r in top
    ]
    return Result(
        "repeat",
        _("Repeat failures"),
        filters,
        [
            Section(
                "trend",
                _("Failures and repeats over time"),
                [
                    Column("period", _("Period"), LABEL),
                    Column("failures", _("Failures")),
                    Column("repeats", _("Repeats")),
                    Column("repeat_share", _("Share of repeats"), RATE),
                ],
                trend,
                chart="line",
                totals=totals,
            ),
            Section(
                "by_touchpoint",
                _("Where repeats happen"),
                [
                    Column("touchpoint", _("Touchpoint"), LABEL),
                    Column("touchpoint_name", _("Touchpoint name"), LABEL),
                    Column("repeats", _("Repeats"), COUNT),
                ],
                by_touchpoint,
                chart="bar",
            ),
        ],
        notes=[
            _("A repeat is a failure of a customer who had another within %(days)s days before it.")
            % {"days": settings.AMENDS_REPEAT_WINDOW_DAYS}
        ],
    )
