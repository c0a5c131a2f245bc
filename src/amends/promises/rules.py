"""Pure decisions about promises: realistic promising.

Realistic promising (seed 004: the assessor promised for 9:00 who came at 13:00): among similar past promises
(same touchpoint and org unit, chosen by the caller; here, the same band of lead time and time of day),
how often were they kept, and what due time would have been kept 90% of the time. The answer is the
nearest-rank quantile of how long fulfilment actually took after the promise was made; a promise never
fulfilled counts as infinitely late. No ORM, no clock: callers pass the history and `now`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# Lead time (due - made) bands, in hours: within a shift, within a day, within three days, longer.
LEAD_BANDS = (4, 24, 72)
# Time-of-day bands of the due time, local: night, morning, afternoon, evening.
DAY_BANDS = (6, 12, 18)


def lead_band(made_at: datetime, due_at: datetime) -> int:
    hours = (due_at - made_at).total_seconds() / 3600
    return sum(1 for edge in LEAD_BANDS if hours >= edge)


def day_band(due_at: datetime, zone: ZoneInfo) -> int:
    hour = due_at.astimezone(zone).hour
    return sum(1 for edge in DAY_BANDS if hour >= edge)


@dataclass(frozen=True)
class PastPromise:
    made_at: datetime
    first_due_at: datetime
    fulfilled_at: datetime | None
    kept: bool


@dataclass(frozen=True)
class Suggestion:
    similar: int
    kept: int
    kept_rate: float | None
    # The due time that similar promises would have met `quantile` of the time, for a promise made now;
    # None with too little history, or when fewer than `quantile` of them were ever fulfilled.
    suggested_due_at: datetime | None
    quantile: float
    enough_history: bool


def suggest(
    *,
    now: datetime,
    due_at: datetime,
    history: Sequence[PastPromise],
    zone: ZoneInfo,
    quantile: float = 0.9,
    min_history: int = 5,
) -> Suggestion:
    lead, band = lead_band(now, due_at), day_band(due_at, zone)
    similar = [
        p for p in history if lead_band(p.made_at, p.first_due_at) == lead and day_band(p.first_due_at, zone) == band
    ]
    n = len(similar)
    kept = sum(1 for p in similar if p.kept)
    rate = kept / n if n else None
    if n < min_history:
        return Suggestion(n, kept, rate, None, quantile, enough_history=False)
    took = sorted(
        (p.fulfilled_at - p.made_at).total_seconds() if p.fulfilled_at is not None else math.inf for p in similar
    )
    seconds = took[math.ceil(quantile * n) - 1]  # nearest rank
    suggested = None if math.isinf(seconds) else now + timedelta(seconds=seconds)
    return Suggestion(n, kept, rate, suggested, quantile, enough_history=True)
