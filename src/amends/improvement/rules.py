"""Pure decisions of rectifications: which status may follow which, and the two windows of the same length
around the change in which failures are counted (before: the same number of days just before it took effect
as have passed since, up to `window_days`). No ORM, no clock: times come in as arguments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

NEXT = {
    "planned": {"in_progress", "done", "cancelled"},
    "in_progress": {"done", "cancelled"},
    "done": set(),
    "cancelled": set(),
}


def may_move(current: str, target: str) -> bool:
    return target in NEXT.get(current, set())


@dataclass(frozen=True)
class Windows:
    before_start: datetime
    change: datetime
    after_end: datetime

    @property
    def days(self) -> float:
        return round((self.after_end - self.change) / timedelta(days=1), 1)


def windows(*, effective_at: datetime | None, now: datetime, window_days: int) -> Windows | None:
    """None until the change has been in effect for a day; then [change − L, change) and [change, change + L)
    where L is the time since the change, at most `window_days`: the two counts cover equal lengths of time."""
    if effective_at is None or effective_at > now:
        return None
    length = min(now - effective_at, timedelta(days=window_days))
    if length < timedelta(days=1):
        return None  # less than a day on each side says nothing yet
    return Windows(effective_at - length, effective_at, effective_at + length)
