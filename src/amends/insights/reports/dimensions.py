"""`dimensions`: the five dimensions (感知五度 — reliability, responsiveness, competence, attitude, standards) as
customers scored them in follow-up answers: surveys after a recovery and callbacks to customers who did not
complain. Average score per bucket of the period, and per source, with how many answered, the share who said
the problem was solved, and the average intent to renew."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.followup.models import DIMENSIONS, Callback, Survey

from .. import paths
from ..expressions import bucket_key, bucket_keys, bucket_of, ratio
from ..filters import Filters
from . import COUNT, LABEL, NUMBER, RATE, Column, Result, Section, report

CALLBACK_PATHS = {"unit": "org_unit_id", "segment": "customer__segment", "touchpoint": "touchpoint_id"}
LABELS = {
    "reliability": _("Reliability"),
    "responsiveness": _("Responsiveness"),
    "competence": _("Competence"),
    "attitude": _("Attitude"),
    "standards": _("Standards"),
}


def _measures() -> dict[str, Any]:
    out: dict[str, Any] = {
        "answered": Count("id"),
        "solved_yes": Count("id", filter=Q(solved=True)),
        "solved_known": Count("id", filter=Q(solved__isnull=False)),
        "renew": Avg("renew"),
    }
    out.update({d: Avg(d) for d in DIMENSIONS})
    return out


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    out = {"answered": row["answered"], "solved_rate": ratio(row["solved_yes"], row["solved_known"])}
    for d in (*DIMENSIONS, "renew"):
        out[d] = round(float(row[d]), 2) if row[d] is not None else None
    return out


def _columns() -> list[Column]:
    return [
        Column("answered", _("Answers"), COUNT),
        Column("solved_rate", _("Problem solved"), RATE),
        *[Column(d, LABELS[d], NUMBER) for d in DIMENSIONS],
        Column("renew", _("Intent to renew"), NUMBER),
    ]


@report("dimensions", _("The five dimensions"))
def dimensions(actor: User, filters: Filters) -> Result:
    surveys = filters.apply(
        Survey.objects.filter(answered_at__gte=filters.start, answered_at__lt=filters.end), paths.STEP
    )
    callbacks = Callback.objects.filter(answered_at__gte=filters.start, answered_at__lt=filters.end)
    callbacks = filters.apply(callbacks, CALLBACK_PATHS)
    rows = (
        surveys.annotate(bucket=bucket_of("answered_at", filters)).values("bucket").annotate(**_measures()).order_by()
    )
    found = {bucket_key(r["bucket"], filters.bucket): _shaped(r) for r in rows}
    empty = _shaped({k: 0 if k in ("answered", "solved_yes", "solved_known") else None for k in _measures()})
    trend = [{"period": k, **found.get(k, empty)} for k in bucket_keys(filters)]
    sources = [
        {"source": "survey", "label": str(_("Surveys after a recovery")), **_shaped(surveys.aggregate(**_measures()))},
        {"source": "callback", "label": str(_("Callbacks")), **_shaped(callbacks.aggregate(**_measures()))},
    ]
    return Result(
        "dimensions",
        _("The five dimensions"),
        filters,
        [
            Section(
                "trend",
                _("Scores in follow-up surveys"),
                [Column("period", _("Period"), LABEL), *_columns()],
                trend,
                chart="line",
            ),
            Section(
                "by_source",
                _("Scores by source"),
                [Column("source", _("Code"), LABEL), Column("label", _("Source"), LABEL), *_columns()],
                sources,
            ),
        ],
        notes=[_("Scores are averages of the answers given; line and channel narrow surveys only.")],
    )
