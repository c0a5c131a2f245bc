"""`alerts`: the early-warning inbox in numbers — alerts raised per bucket of the period and how many were
resolved, and the alerts still live (open or acknowledged) by rule and severity, with the oldest of each."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amends.accounts.models import User
from amends.warning.models import Alert, AlertStatus, Severity

from ..expressions import bucket_key, bucket_keys, bucket_of
from ..filters import Filters
from . import COUNT, LABEL, Column, Result, Section, report

PATHS = {"unit": "org_unit_id", "segment": "customer__segment", "touchpoint": "case__touchpoint_id"}


@report("alerts", _("Early-warning alerts"))
def alerts(actor: User, filters: Filters) -> Result:
    scoped = filters.apply(Alert.objects.all(), PATHS)
    raised = scoped.filter(raised_at__gte=filters.start, raised_at__lt=filters.end)
    rows = (
        raised.annotate(bucket=bucket_of("raised_at", filters))
        .values("bucket")
        .annotate(raised=Count("id"), resolved=Count("id", filter=Q(status=AlertStatus.RESOLVED)))
        .order_by()
    )
    found = {bucket_key(r["bucket"], filters.bucket): r for r in rows}
    trend = [
        {"period": k, "raised": found.get(k, {}).get("raised", 0), "resolved": found.get(k, {}).get("resolved", 0)}
        for k in bucket_keys(filters)
    ]
    live = (
        scoped.exclude(status=AlertStatus.RESOLVED)
        .values("rule", "severity")
        .annotate(
            open=Count("id", filter=Q(status=AlertStatus.OPEN)),
            acknowledged=Count("id", filter=Q(status=AlertStatus.ACKNOWLEDGED)),
            oldest=Min("raised_at"),
        )
        .order_by("-severity", "rule")
    )
    severities = dict(Severity.choices)
    live_rows = [
        {
            "rule": r["rule"],
            "severity": str(severities.get(r["severity"], r["severity"])),
            "open": r["open"],
            "acknowledged": r["acknowledged"],
            "oldest": timezone.localtime(r["oldest"]).strftime("%Y-%m-%d %H:%M") if r["oldest"] else None,
        }
        for r in live
    ]
    return Result(
        "alerts",
        _("Early-warning alerts"),
        filters,
        [
            Section(
                "trend",
                _("Alerts raised and resolved"),
                [
                    Column("period", _("Period"), LABEL),
                    Column("raised", pgettext_lazy("a count", "Raised")),
                    Column("resolved", _("Resolved")),
                ],
                trend,
                chart="line",
                totals={"raised": sum(r["raised"] for r in trend), "resolved": sum(r["resolved"] for r in trend)},
            ),
            Section(
                "live",
                _("Alerts still open, by rule"),
                [
                    Column("rule", _("Rule"), LABEL),
                    Column("severity", _("Severity"), LABEL),
                    Column("open", _("Open"), COUNT),
                    Column("acknowledged", _("Acknowledged"), COUNT),
                    Column("oldest", _("Oldest raised"), LABEL),
                ],
                live_rows,
                chart="bar",
                totals={
                    "open": sum(r["open"] for r in live_rows),
                    "acknowledged": sum(r["acknowledged"] for r in live_rows),
                },
            ),
        ],
        notes=[_("Line and channel do not narrow alerts; the other filters do.")],
    )
