"""Touchpoint spike: today's failure count at a touchpoint far above its own baseline.

The test: today's count k against a Poisson distribution whose mean λ is the touchpoint's average daily count
over the previous `baseline_days` (28; at least `min_rate` 0.2 a day, so a quiet touchpoint is not alarmed by
one failure). One-sided: alert when P(X ≥ k | λ) < `alpha` (0.001) and k ≥ `min_count` (3). Today's count is
so far, against a whole day's λ: it errs towards silence early in the day, never towards false alarms.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from amends.core.texts import Message
from amends.journeys.models import Touchpoint
from amends.recovery.models import Failure

from ..models import RuleConfig
from . import Rule, Signal, register


def spike_p_value(today: int, daily_mean: float) -> float:
    """P(X ≥ today) for X ~ Poisson(daily_mean): how surprising today's count is under the baseline."""
    from scipy.stats import poisson  # imported here: scipy costs seconds to load, and only the sweep needs it

    return float(poisson.sf(today - 1, daily_mean))


@register
class TouchpointSpike(Rule):
    code = "touchpoint_spike"
    on_schedule = True

    def sweep(self, config: RuleConfig, now: datetime) -> list[Signal]:
        days = int(self.param(config, "baseline_days", 28))
        alpha = float(self.param(config, "alpha", 0.001))
        min_count = int(self.param(config, "min_count", 3))
        min_rate = float(self.param(config, "min_rate", 0.2))
        today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        counts = (
            Failure.objects.filter(occurred_at__gte=today - timedelta(days=days), occurred_at__lte=now)
            .exclude(touchpoint=None)
            .values("touchpoint_id")
            .annotate(
                today=Count("id", filter=Q(occurred_at__gte=today)), before=Count("id", filter=Q(occurred_at__lt=today))
            )
            .filter(today__gte=min_count)
        )
        if config.touchpoints:
            counts = counts.filter(touchpoint__code__in=config.touchpoints)
        rows = list(counts)
        touchpoints = {t.pk: t for t in Touchpoint.objects.filter(pk__in=[r["touchpoint_id"] for r in rows])}
        signals = []
        for r in rows:
            mean = max(r["before"] / days, min_rate)
            p = spike_p_value(r["today"], mean)
            if p >= alpha:
                continue
            touchpoint = touchpoints[r["touchpoint_id"]]
            code = touchpoint.code
            signals.append(
                Signal(
                    subject_type="touchpoint",
                    subject_id=f"{code}:{today.date().isoformat()}",
                    title=Message(
                        gettext_noop("%(touchpoint)s: %(n)s failures today against %(mean)s a day usually"),
                        touchpoint=touchpoint.name,
                        n=r["today"],
                        mean=f"{mean:.1f}",
                    ),  # a name, not a code
                    touchpoint=code,
                    detail={"today": r["today"], "daily_mean": round(mean, 3), "p_value": p, "alpha": alpha},
                )
            )
        return signals
