"""The one source of "now" for services, so tests can set the time.

Rules never read the clock: services pass `now()` into them. `frozen(at)` pins the clock for a block
(used by tests and by the demo loader, which replays a year of history).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

_local = threading.local()


def now() -> datetime:
    pinned = getattr(_local, "pinned", None)
    return pinned if pinned is not None else timezone.now()


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[None]:
    if timezone.is_naive(at):
        raise ValueError("the clock takes timezone-aware datetimes")
    previous = getattr(_local, "pinned", None)
    _local.pinned = at
    try:
        yield
    finally:
        _local.pinned = previous


def months_start(now: datetime, months: int) -> datetime:
    """Local midnight on the first day of the month `months - 1` months before now's: the start of the last
    `months` calendar months, this one included (the window of the monthly reports)."""
    since = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _month in range(months - 1):
        since = (since - timedelta(days=1)).replace(day=1)
    return since
