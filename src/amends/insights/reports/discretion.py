"""`discretion`: the spend of bounded authority (应变权). Requests asked in each bucket and how they were
decided (granted on the spot, approved, rejected, refused, still waiting), the yuan given and the hours an
approver took; the same by kind, by customer segment and by org unit (equal treatment: like customers are
treated alike wherever they are served); and how the cases that got something ended, beside those that got
nothing. The figures are `discretion.queries.request_aggregates`, the same as the discretion app's own
equal-treatment page, one GROUP BY each, narrowed by the report's filters through `paths.DISCRETION`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.customers.models import Segment
from amends.discretion.models import DiscretionRequest, Kind, RequestStatus
from amends.discretion.queries import request_aggregates, request_figures
from amends.recovery.models import Case as RecoveryCase
from amends.recovery.models import CaseStatus, Closure

from .. import paths
from ..expressions import bucket_key, bucket_keys, bucket_of, ratio
from ..filters import Filters
from . import COUNT, LABEL, MONEY, NUMBER, RATE, Column, Result, Section, report

# What a case got from the requests made on it in the period, the best first.
GOT = ("on_the_spot", "after_approval", "nothing")


def _section(key: str, title: Any, columns: list[Column], rows: list[dict[str, Any]], **more: Any) -> Section:
    """A section whose rows (and totals) carry its columns' figures and no others, as the files do."""
    keys = [c.key for c in columns]
    totals = more.pop("totals", None)
    return Section(
        key,
        title,
        columns,
        [{k: r.get(k) for k in keys} for r in rows],
        totals={k: totals[k] for k in keys if k in totals} if totals is not None else None,
        **more,
    )


def _empty() -> dict[str, Any]:
    return request_figures({name: 0 for name in request_aggregates()} | {"approval_seconds": None})


def _figure_columns() -> list[Column]:
    return [
        Column("requests", _("Requests")),
        Column("granted_on_the_spot", _("Granted on the spot")),
        Column("approved", _("Approved")),
        Column("rejected", _("Rejected")),
        Column("refused", _("Refused")),
        Column("pending", _("Awaiting approval")),
        Column("grant_rate", _("Grant rate"), RATE),
        Column("amount_given", _("Given (yuan)"), MONEY),
        Column("hours_to_approval_decision", _("Hours to an approver's answer"), NUMBER),
    ]


def _equal_treatment_columns() -> list[Column]:
    return [
        *_figure_columns(),
        Column("on_the_spot_rate", _("On-the-spot rate"), RATE),
        Column("approval_rate", _("Approval rate"), RATE),
        Column("given_cases", _("Cases given something")),
        Column("given_cases_recovered", _("Of these, recovered")),
        Column("given_recovered_rate", _("Recovered rate of cases given something"), RATE),
    ]


def _by_code(requests: QuerySet[Any], field: str, choices: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """One row per choice, in the choices' order, zero where nothing was asked (so the groups line up)."""
    found = {r[field]: request_figures(r) for r in requests.values(field).annotate(**request_aggregates()).order_by()}
    return [{"code": code, "label": str(label), **found.get(code, _empty())} for code, label in choices]


def _by_unit(requests: QuerySet[Any]) -> list[dict[str, Any]]:
    rows = (
        requests.values("org_unit_id", "org_unit__name", "org_unit__path")
        .annotate(**request_aggregates())
        .order_by("org_unit__path")
    )
    return [{"org_unit": r["org_unit_id"], "name": r["org_unit__name"], **request_figures(r)} for r in rows]


def _outcomes(requests: QuerySet[Any]) -> list[dict[str, Any]]:
    """Cases with a request in the period, by the best they got, and how they ended."""

    def got(status: str) -> Exists:
        return Exists(requests.filter(case_id=OuterRef("pk"), status=status))

    group = Case(
        When(got(RequestStatus.GRANTED), then=Value("on_the_spot")),
        When(got(RequestStatus.APPROVED), then=Value("after_approval")),
        default=Value("nothing"),
        output_field=CharField(),
    )
    closed = Q(status=CaseStatus.CLOSED)
    rows = (
        RecoveryCase.objects.filter(Exists(requests.filter(case_id=OuterRef("pk"))))
        .annotate(got=group)
        .values("got")
        .annotate(
            cases=Count("id"),
            open=Count("id", filter=~closed),
            closed=Count("id", filter=closed),
            recovered=Count("id", filter=Q(closure=Closure.RECOVERED)),
            unreachable=Count("id", filter=Q(closure=Closure.UNREACHABLE)),
            reopened=Count("id", filter=Q(round__gt=1)),
        )
        .order_by()
    )
    found = {r.pop("got"): r for r in rows}
    labels = {
        "on_the_spot": _("Granted on the spot"),
        "after_approval": _("Given after approval"),
        "nothing": _("Asked, given nothing"),
    }
    empty = {"cases": 0, "open": 0, "closed": 0, "recovered": 0, "unreachable": 0, "reopened": 0}
    out = []
    for key in GOT:
        r = found.get(key, empty)
        out.append(
            {"code": key, "label": str(labels[key]), **r, "recovered_rate": ratio(r["recovered"], r["closed"], 3)}
        )
    return out


@report("discretion", _("Discretion used"))
def discretion(actor: User, filters: Filters) -> Result:
    requests = DiscretionRequest.objects.filter(
        filters.where(paths.DISCRETION), requested_at__gte=filters.start, requested_at__lt=filters.end
    )
    rows = (
        requests.annotate(bucket=bucket_of("requested_at", filters))
        .values("bucket")
        .annotate(**request_aggregates())
        .order_by()
    )
    found = {bucket_key(r["bucket"], filters.bucket): request_figures(r) for r in rows}
    trend = [{"period": key, **found.get(key, _empty())} for key in bucket_keys(filters)]
    coded = [Column("code", _("Code"), LABEL)]
    return Result(
        "discretion",
        _("Discretion used"),
        filters,
        [
            _section(
                "trend",
                _("Discretion asked and given over time"),
                [Column("period", _("Period"), LABEL), *_figure_columns()],
                trend,
                chart="line",
                totals=request_figures(requests.aggregate(**request_aggregates())),
            ),
            _section(
                "by_kind",
                _("Discretion by kind"),
                [*coded, Column("label", _("Kind"), LABEL), *_figure_columns()],
                _by_code(requests, "kind", Kind.choices),
                chart="bar",
            ),
            _section(
                "by_segment",
                _("Equal treatment: discretion by customer segment"),
                [*coded, Column("label", _("Segment"), LABEL), *_equal_treatment_columns()],
                _by_code(requests, "segment", Segment.choices),
            ),
            _section(
                "by_unit",
                _("Discretion by org unit"),
                [
                    Column("org_unit", _("Org unit id"), LABEL),
                    Column("name", _("Org unit"), LABEL),
                    *_equal_treatment_columns(),
                ],
                _by_unit(requests),
            ),
            _section(
                "outcome",
                _("How the cases ended, by what they got"),
                [
                    *coded,
                    Column("label", _("What the case got"), LABEL),
                    Column("cases", _("Cases"), COUNT),
                    Column("open", _("Still open"), COUNT),
                    Column("closed", _("Closed"), COUNT),
                    Column("recovered", _("Recovered"), COUNT),
                    Column("unreachable", _("Could not be reached"), COUNT),
                    Column("reopened", _("Reopened after a failed follow-up"), COUNT),
                    Column("recovered_rate", _("Recovered rate"), RATE),
                ],
                _outcomes(requests),
                chart="bar",
            ),
        ],
        notes=[
            _(
                "Given: granted on the spot or approved, in yuan; hours to an approver's answer count only what "
                "an approver decided."
            ),
            _(
                "Org unit: the asker's, whose authority was spent. Recovered rate: recovered among the closed "
                "cases; a case counts in every row it had a request in."
            ),
        ],
    )
