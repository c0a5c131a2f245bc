"""Limits counted in the database, atomically: the portal's per-address and per-contact limits, one-time
codes, staff searches. Each call adds one to the key's counter for the current fixed window with a single
`INSERT … ON CONFLICT DO UPDATE … RETURNING` (SQLite ≥ 3.35 and PostgreSQL alike) and answers whether the
new count is within the limit. The row stays locked until the caller's transaction ends, so concurrent
callers are counted one after another; a count made in a transaction that rolls back is not kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection

from . import clock
from .models import Throttle


def count(key: str, *, window_seconds: int, now: datetime | None = None) -> int:
    """Count one more hit on `key` in its current window; returns the count including this one."""
    now = now or clock.now()
    period = int(now.timestamp()) // window_seconds
    expires = now + timedelta(seconds=window_seconds)
    table = connection.ops.quote_name(Throttle._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, period, hits, expires_at) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (key, period) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [key[:100], period, expires],
        )
        row = cursor.fetchone()
    return int(row[0])


def allow(key: str, *, limit: int, window_seconds: int, now: datetime | None = None) -> bool:
    """Count a hit and say whether it is within `limit` hits per window."""
    return count(key, window_seconds=window_seconds, now=now) <= limit


def purge(*, now: datetime | None = None) -> int:
    """Forget counters whose window has passed (the worker's schedule)."""
    deleted, _ = Throttle.objects.filter(expires_at__lt=now or clock.now()).delete()
    return deleted
