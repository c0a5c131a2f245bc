"""Counting the SQL statements a piece of work sends, in process, with Django's query log.

Django's connection health check (`CONN_HEALTH_CHECKS`, a raw `SELECT 1` at the first query of a request)
bypasses the query log, so it is counted separately by wrapping `is_usable` for the duration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.test.utils import CaptureQueriesContext

HEALTH_CHECK = "SELECT 1  -- connection health check (CONN_HEALTH_CHECKS), outside Django's query log"


@dataclass
class Captured:
    label: str
    statements: list[str] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for sql in self.statements:
            verb = "SELECT 1 (health)" if sql == HEALTH_CHECK else sql.lstrip().split(" ", 1)[0].upper()
            if verb == "SELECT" and " FOR UPDATE" in sql:
                verb = "SELECT … FOR UPDATE"
            out[verb] = out.get(verb, 0) + 1
        return out

    def as_dict(self, *, with_sql: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "count": self.count, "kinds": self.kinds()}
        if with_sql:
            data["statements"] = self.statements
        return data


def capture(label: str, work: Callable[[], Any], alias: str = "default") -> tuple[Any, Captured]:
    connection = connections[alias]
    captured = Captured(label)
    original = connection.is_usable

    def counted_is_usable() -> bool:
        captured.statements.append(HEALTH_CHECK)
        captured.times_ms.append(0.0)
        return bool(original())

    connection.is_usable = counted_is_usable  # type: ignore[method-assign]
    try:
        with CaptureQueriesContext(connection) as log:
            result = work()
    finally:
        del connection.is_usable  # back to the class's method
    for query in log.captured_queries:
        captured.statements.append(query["sql"])
        captured.times_ms.append(float(query["time"]) * 1000)
    return result, captured
