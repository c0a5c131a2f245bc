"""Reports read from a streaming replica when one is configured (`DATABASE_REPLICA_URL`), so heavy reads leave
the primary to the writes. Only what runs inside `reading_from_replica()` is routed there (every read of the
report, facts and reference rows alike, so it sees one consistent copy); writes always go to the primary.

With a replica, the facts are kept current by the worker on the primary, never by the report request (a
replica cannot write), and the dashboard says how fresh the copy it read is (`facts.freshness`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("amends_reports_on_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reading_from_replica() -> Iterator[bool]:
    """Inside: reads go to the replica when there is one; yields whether there is."""
    if not configured():
        yield False
        return
    token = _reading.set(True)
    try:
        yield True
    finally:
        _reading.reset(token)


class ReportsOnReplica:
    """The database router `settings.DATABASE_ROUTERS` names when a replica is configured."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _reading.get() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
