"""`recovery`: the recovery rate — of the follow-ups recorded in each bucket (补救跟踪, the fifth step; one per
round of a case), how many found the customer recovered, not recovered (the round failed and the case reopens: a
double deviation) or could not reach them; the recovery rate is recovered ÷ (recovered + not recovered), the
customers reached. The same by the touchpoint of the case. A survey or call answer reaches these through the
follow-up step it records."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.journeys.queries import touchpoint_codes, touchpoint_names
from amends.recovery.models import FollowUpOutcome

from .. import paths
from ..expressions import bucket_key, bucket_keys, bucket_of, ratio, rolled_up, summed
from ..filters import Filters
from ..models import FollowUpFact
from ..stats import wilson
from . import LABEL, RATE, Column, Result, Section, report
from .retention import timing_labels


def _counts() -> dict:
    # Counted from columns the day indexes carry, so the scan reads an index alone.
    return {
        "follow_ups": Count("*"),
        "recovered": Count("outcome", filter=Q(outcome=FollowUpOutcome.RECOVERED)),
        "not_recovered": Count("outcome", filter=Q(outcome=FollowUpOutcome.NOT_RECOVERED)),
        "unreachable": Count("outcome", filter=Q(outcome=FollowUpOutcome.UNREACHABLE)),
    }


def _shaped(row: dict, *, wilson_ci: bool = False) -> dict:
    reached = row["recovered"] + row["not_recovered"]
    out = {**{k: row[k] for k in _counts()}, "recovery_rate": ratio(row["recovered"], reached)}
    if wilson_ci:
        ci = wilson(row["recovered"], reached, 0.95)
        out["ci_low"], out["ci_high"] = (round(ci[0], 4), round(ci[1], 4)) if ci else (None, None)
    return out


@report("recovery", _("Recovery rate"))
def recovery(actor: User, filters: Filters) -> Result:
    steps = filters.apply(
        FollowUpFact.objects.filter(on__gte=filters.since, on__lte=filters.until), paths.FOLLOW_UP_FACT
    )
    # One scan per bucket, touchpoint and timing: the trend, the totals, the touchpoints and the timings all
    # sum it up.
    rows = list(
        steps.annotate(bucket=bucket_of("on", filters))
        .values("bucket", "touchpoint_id", "timing")
        .annotate(**_counts())
        .order_by()
    )
    found = {bucket_key(r["bucket"], filters.bucket): _shaped(r) for r in rolled_up(rows, ["bucket"], list(_counts()))}
    empty = _shaped({k: 0 for k in _counts()})
    trend = [{"period": k, **found.get(k, empty)} for k in bucket_keys(filters)]
    codes = touchpoint_codes()
    by_tp = sorted(
        (
            {"touchpoint": codes.get(r["touchpoint_id"], ""), **_shaped(r)}
            for r in rolled_up(rows, ["touchpoint_id"], list(_counts()))
        ),
        key=lambda r: (-r["follow_ups"], r["touchpoint"]),
    )[:20]
    by_timing = {r["timing"]: r for r in rolled_up(rows, ["timing"], list(_counts()))}
    timing_rows = [
        {"timing": key, "label": str(label), **_shaped(by_timing.get(key, dict.fromkeys(_counts(), 0)), wilson_ci=True)}
        for key, label in timing_labels()
    ]
    names = touchpoint_names(r["touchpoint"] for r in by_tp)
    tp_rows = [{"touchpoint": r["touchpoint"], "touchpoint_name": names.get(r["touchpoint"], ""), **r} for r in by_tp]
    counts = [
        Column("follow_ups", _("Follow-ups")),
        Column("recovered", _("Recovered")),
        Column("not_recovered", _("Not recovered")),
        Column("unreachable", _("Could not be reached")),
        Column("recovery_rate", _("Recovery rate"), RATE),
    ]
    return Result(
        "recovery",
        _("Recovery rate"),
        filters,
        [
            Section(
                "trend",
                _("Follow-ups and their outcome"),
                [Column("period", _("Period"), LABEL), *counts],
                trend,
                chart="line",
                totals=_shaped(summed(rows, list(_counts()))),
            ),
            Section(
                "by_touchpoint",
                _("Recovery rate by touchpoint"),
                [
                    Column("touchpoint", _("Touchpoint"), LABEL),
                    Column("touchpoint_name", _("Touchpoint name"), LABEL),
                    *counts,
                ],
                tp_rows,
            ),
            Section(
                "by_timing",
                _("Recovery rate by timing of the recovery"),
                [
                    Column("timing", _("Code"), LABEL),
                    Column("label", _("Timing"), LABEL),
                    *counts,
                    Column("ci_low", _("Interval, low"), RATE),
                    Column("ci_high", _("Interval, high"), RATE),
                ],
                timing_rows,
                chart="bar",
            ),
        ],
        notes=[
            _("Recovery rate: recovered among the customers reached at follow-up."),
            _("Intervals are Wilson score intervals at a confidence of 0.95."),
        ],
    )
