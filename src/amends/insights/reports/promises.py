"""`promises`: promises made in each bucket and how they ended (kept, broken, renegotiated, still open and
overdue), and the kept rate per month and touchpoint from `promises.queries.kept_rate` (the same figures the
promises page shows), narrowed by the report's filters."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.core import clock
from amends.journeys.queries import touchpoint_names
from amends.promises.models import Promise, PromiseStatus
from amends.promises.queries import kept_rate

from .. import paths
from ..expressions import bucket_key, bucket_keys, bucket_of, ratio
from ..filters import Filters
from . import COUNT, LABEL, RATE, Column, Result, Section, report


@report("promises", _("Promises kept"))
def promises(actor: User, filters: Filters) -> Result:
    where = filters.where(paths.PROMISE)
    made = Promise.objects.filter(where, made_at__gte=filters.start, made_at__lt=filters.end)
    agg = {
        "made": Count("id"),
        "kept": Count("id", filter=Q(status=PromiseStatus.KEPT)),
        "broken": Count("id", filter=Q(status=PromiseStatus.BROKEN)),
        "renegotiated": Count("id", filter=Q(renegotiations__gt=0)),
        "open_overdue": Count("id", filter=Q(status=PromiseStatus.OPEN, due_at__lt=clock.now())),
    }

    def shaped(row: dict) -> dict:
        settled = row["kept"] + row["broken"]
        return {**{k: row[k] for k in agg}, "settled": settled, "kept_rate": ratio(row["kept"], settled)}

    rows = made.annotate(bucket=bucket_of("made_at", filters)).values("bucket").annotate(**agg).order_by()
    found = {bucket_key(r["bucket"], filters.bucket): shaped(r) for r in rows}
    empty = shaped({k: 0 for k in agg})
    trend = [{"period": key, **found.get(key, empty)} for key in bucket_keys(filters)]
    by_touchpoint = kept_rate(actor, by="touchpoint", since=filters.start, until=filters.end, where=where)
    names = touchpoint_names(r["touchpoint"] for r in by_touchpoint)
    for r in by_touchpoint:
        r["touchpoint_name"] = names.get(r["touchpoint"] or "", "")
    counts = [
        Column("made", _("Made")),
        Column("settled", _("Settled")),
        Column("kept", _("Kept")),
        Column("broken", _("Broken")),
        Column("renegotiated", _("Renegotiated")),
        Column("open_overdue", _("Open, overdue")),
        Column("kept_rate", _("Kept rate"), RATE),
    ]
    return Result(
        "promises",
        _("Promises kept"),
        filters,
        [
            Section(
                "trend",
                _("Promises by the time they were made"),
                [Column("period", _("Period"), LABEL), *counts],
                trend,
                chart="line",
                totals=shaped(made.aggregate(**agg)),
            ),
            Section(
                "by_touchpoint",
                _("Kept rate per month and touchpoint"),
                [
                    Column("month", _("Month"), LABEL),
                    Column("touchpoint", _("Touchpoint"), LABEL),
                    Column("touchpoint_name", _("Touchpoint name"), LABEL),
                    Column("settled", _("Settled"), COUNT),
                    Column("kept", _("Kept"), COUNT),
                    Column("kept_rate", _("Kept rate"), RATE),
                ],
                by_touchpoint,
            ),
        ],
        notes=[_("Kept rate: kept among promises settled as kept or broken.")],
    )
