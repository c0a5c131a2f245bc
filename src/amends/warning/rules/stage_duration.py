"""Stage duration: the time between two event types on one claim, per touchpoint (e.g. reported → assessor
arrived within 24 h; documents complete → paid within 10 days).

The sweep warns of an imminent breach (no end event yet, `warn_fraction` of the limit gone) and of a breach
(the limit gone); on ingest, an end event that arrives late is a breach, and one on time settles the
imminent warning. The configuration's touchpoint is the stage's (where the alert and playbook belong).
Params: `start_type`, `end_type`, `limit_hours`, `warn_fraction` (0.75), `lookback_days`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from amends.core.texts import Message

from ..models import Alert, AlertStatus, Event, RuleConfig, Severity
from ..services import alerts
from ..validation import Row
from . import Rule, Signal, register


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f}"


@register
class StageDuration(Rule):
    code = "stage_duration"
    on_events = True
    on_schedule = True
    dimension, gap = "responsiveness", 3

    def _limits(self, config: RuleConfig) -> tuple[str, str, timedelta, float]:
        limit = timedelta(hours=float(self.param(config, "limit_hours", 24)))
        return (
            config.params["start_type"],
            config.params["end_type"],
            limit,
            float(self.param(config, "warn_fraction", 0.75)),
        )

    def _signal(
        self,
        config: RuleConfig,
        claim: str,
        customer: str,
        started: datetime,
        elapsed: timedelta,
        limit: timedelta,
        breached: bool,
        touchpoint: str,
    ) -> Signal:
        values = {
            "claim": claim,
            "name": config.name,
            "elapsed": _hours(elapsed),
            "limit": _hours(limit),
        }
        title = Message(
            gettext_noop("Claim %(claim)s: %(name)s breached (%(elapsed)s h of %(limit)s h)")
            if breached
            else gettext_noop("Claim %(claim)s: %(name)s about to be breached (%(elapsed)s h of %(limit)s h)"),
            **values,
        )
        return Signal(
            subject_type="claim",
            subject_id=claim,
            title=title,
            severity=Severity.CRITICAL if breached else Severity.WARNING,
            is_failure=breached,
            customer_ref=customer,
            touchpoint=touchpoint,
            detail={
                "claim_no": claim,
                "started_at": timezone.localtime(started).isoformat(),
                "limit_hours": limit.total_seconds() / 3600,
                "breached": breached,
            },
        )

    def on_ingest(self, config: RuleConfig, events: Sequence[Row], now: datetime) -> list[Signal]:
        start_type, end_type, limit, _warn = self._limits(config)
        ends = {e.claim_no: e for e in events if e.type == end_type and e.claim_no}
        if not ends:
            return []
        starts = (
            Event.objects.filter(type=start_type, claim_no__any=list(ends))
            .values("claim_no")
            .annotate(started=Min("occurred_at"))
        )
        signals, on_time = [], []
        for row in starts:
            end = ends[row["claim_no"]]
            elapsed = end.occurred_at - row["started"]
            if elapsed > limit:
                touchpoint = (config.touchpoints[:1] or [end.touchpoint])[0]
                signals.append(
                    self._signal(
                        config, end.claim_no, end.customer_ref, row["started"], elapsed, limit, True, touchpoint
                    )
                )
            else:
                on_time.append(row["claim_no"])
        if on_time:  # done in time: any warning about them is settled (one query for the batch)
            live = Alert.objects.exclude(status=AlertStatus.RESOLVED).filter(
                rule=config.key, subject_type="claim", subject_id__any=on_time
            )
            for pk in live.values_list("pk", flat=True):
                alerts.alert_resolve(actor=None, alert_id=pk, resolution="completed")
        return signals

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        start_type, end_type, limit, warn = self._limits(config)
        lookback = timedelta(days=float(self.param(config, "lookback_days", 30)))
        ended = Event.objects.filter(type=end_type, claim_no=OuterRef("claim_no"))
        open_starts = (
            Event.objects.filter(type=start_type, occurred_at__gte=now - lookback, occurred_at__lte=now - limit * warn)
            .exclude(claim_no="")
            .filter(~Exists(ended))
            .order_by("claim_no", "occurred_at")
            .values_list("claim_no", "occurred_at", "customer_ref", "touchpoint")
        )
        signals, seen = [], set()
        for claim, started, customer, _tp in open_starts:
            if claim in seen:
                continue
            seen.add(claim)
            elapsed = now - started
            touchpoint = (config.touchpoints[:1] or [""])[0]
            signals.append(self._signal(config, claim, customer, started, elapsed, limit, elapsed > limit, touchpoint))
        return signals
