"""`repeat`: repeat failures — a failure or complaint of a customer who already had one in the window before
it (AMENDS_REPEAT_WINDOW_DAYS, 90 by default; a complaint is the customer's own report of a failure). A second
failure costs double (double deviation): the share of repeats per bucket, the customers failed twice or more
in the period, and the touchpoints where repeats happen.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.journeys.queries import touchpoint_codes, touchpoint_names

from ..expressions import bucket_key, bucket_keys, bucket_of, ratio, rolled_up, summed
from ..filters import Filters
from . import COUNT, LABEL, RATE, Column, Result, Section, report
from .pareto import failures_in
from .timeliness import complaints_in


@report("repeat", _("Repeat failures"))
def repeat(actor: User, filters: Filters) -> Result:
    failures = failures_in(filters)  # each fact knows whether it repeats an earlier one (facts.repeats_one)
    complaints = complaints_in(filters)
    counts = ["failures", "complaints", "repeats"]
    # One scan of each per bucket and touchpoint: the trend, the totals and where repeats happen sum them up.
    rows = [
        {**r, "complaints": 0}
        for r in failures.annotate(bucket=bucket_of("occurred_on", filters))
        .values("bucket", "touchpoint_id")
        .annotate(failures=Count("*"), repeats=Count("repeat", filter=Q(repeat=True)))
        .order_by()
    ] + [
        {**r, "failures": 0}
        for r in complaints.annotate(bucket=bucket_of("received_on", filters))
        .values("bucket", "touchpoint_id")
        .annotate(complaints=Count("*"), repeats=Count("repeat", filter=Q(repeat=True)))
        .order_by()
    ]
    found = {bucket_key(r["bucket"], filters.bucket): r for r in rolled_up(rows, ["bucket"], counts)}
    trend = []
    for key in bucket_keys(filters):
        r = found.get(key, dict.fromkeys(counts, 0))
        trend.append(
            {
                "period": key,
                **{c: r[c] for c in counts},
                "repeat_share": ratio(r["repeats"], r["failures"] + r["complaints"]),
            }
        )
    totals = summed(rows, counts)
    totals["repeat_share"] = ratio(totals["repeats"], totals["failures"] + totals["complaints"])
    # Failed twice or more in the period: some failure or complaint of theirs in it follows another in it.
    twice = failures.filter(previous_on__gte=filters.since).values("customer_id")
    totals["customers_failed_twice"] = twice.union(
        complaints.filter(previous_on__gte=filters.since).values("customer_id")
    ).count()
    codes = touchpoint_codes()
    top = sorted(
        ((codes.get(r["touchpoint_id"], ""), r["repeats"]) for r in rolled_up(rows, ["touchpoint_id"], ["repeats"])),
        key=lambda pair: (-pair[1], pair[0]),
    )
    top = [(code, n) for code, n in top if n][:20]
    names = touchpoint_names(code for code, _n in top)
    by_touchpoint = [{"touchpoint": code, "touchpoint_name": names.get(code, ""), "repeats": n} for code, n in top]
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
                    Column("complaints", _("Complaints")),
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
            _(
                "A repeat is a failure or complaint of a customer who had another failure or complaint within "
                "%(days)s days before it."
            )
            % {"days": settings.AMENDS_REPEAT_WINDOW_DAYS}
        ],
    )
