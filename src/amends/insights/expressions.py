"""SQL pieces the reports share: the time bucket of a row, the seconds between two times, the buckets of a
period (so a quiet month shows as 0, not as a gap). Everything here runs inside the database's aggregate;
`bucket_keys` only walks the period's calendar.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import FloatField, Func, IntegerField
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear
from django.utils import timezone

from .filters import Filters

TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "year": TruncYear}
FORMATS = {"month": "%Y-%m", "year": "%Y"}


def bucket_of(field: str, filters: Filters) -> Any:
    """The local day, ISO week (starting Monday) or month a time falls in, truncated by the database."""
    return TRUNC[filters.bucket](field)


def bucket_key(value: datetime | date, bucket: str) -> str:
    day = timezone.localtime(value).date() if isinstance(value, datetime) and timezone.is_aware(value) else value
    if isinstance(day, datetime):
        day = day.date()
    return day.strftime(FORMATS[bucket]) if bucket in FORMATS else day.isoformat()


def bucket_keys(filters: Filters) -> list[str]:
    """Every bucket of the period, in order."""
    keys: list[str] = []
    day = filters.since
    if filters.bucket == "week":
        day -= timedelta(days=day.weekday())
    elif filters.bucket == "month":
        day = day.replace(day=1)
    elif filters.bucket == "year":
        day = day.replace(month=1, day=1)
    while day <= filters.until:
        keys.append(bucket_key(day, filters.bucket))
        if filters.bucket == "day":
            day += timedelta(days=1)
        elif filters.bucket == "week":
            day += timedelta(days=7)
        elif filters.bucket == "year":
            day = day.replace(year=day.year + 1)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return keys


class Seconds(Func):
    """Seconds from `earlier` to `later` as a float, on PostgreSQL and SQLite alike."""

    output_field = FloatField()
    arity = 2

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision", arg_joiner=" - "
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
        )


class DaysBetween(Func):
    """Calendar days from the date `earlier` to the date `later` (both dates, e.g. `TruncDate`s): an integer."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


def quantile(histogram: dict[int, int], q: float) -> float | None:
    """The q-quantile of integer values given as {value: how many}, interpolated linearly between the two
    nearest ranks (NumPy's and pandas' default, so an analyst's `quantile(q)` gives the same figure)."""
    n = sum(histogram.values())
    if not n:
        return None
    values = sorted(histogram)

    def at_rank(rank: int) -> int:  # the value of the rank-th smallest (from 0)
        seen = 0
        for value in values:
            seen += histogram[value]
            if seen > rank:
                return value
        return values[-1]

    position = (n - 1) * q
    low = at_rank(int(position))
    high = at_rank(min(int(position) + 1, n - 1))
    return round(low + (high - low) * (position - int(position)), 2)


def ratio(part: float | int | None, whole: float | int | None, digits: int = 4) -> float | None:
    return round(part / whole, digits) if part is not None and whole else None


def rolled_up(rows: list[dict[str, Any]], keys: list[str], counts: list[str]) -> list[dict[str, Any]]:
    """The rows of one fine GROUP BY summed up to a coarser one (`keys` ⊂ its keys): several breakdowns of a
    report from a single scan. The database counted; this adds up its few hundred groups."""
    out: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        into = out.get(key)
        if into is None:
            out[key] = {**{k: row[k] for k in keys}, **{c: row[c] or 0 for c in counts}}
        else:
            for c in counts:
                into[c] += row[c] or 0
    return list(out.values())


def summed(rows: list[dict[str, Any]], counts: list[str]) -> dict[str, Any]:
    """A report's totals from the rows of its one GROUP BY: each count added up, 0 when there are none."""
    return rolled_up(rows, [], counts)[0] if rows else dict.fromkeys(counts, 0)


def day_bucket(day: date, bucket: str) -> str:
    """The key of the bucket a local date falls in (as `bucket_key` names the database's truncations)."""
    if bucket == "week":
        day -= timedelta(days=day.weekday())
    return day.strftime(FORMATS[bucket]) if bucket in FORMATS else day.isoformat()


def bucketed(rows: list[dict[str, Any]], day: str, bucket: str, keys: list[str], counts: list[str]) -> list[dict]:
    """Rows counted per local date (the facts' `…_on` columns, grouped as they are: no date function per row)
    summed up per bucket of the period and `keys`; each with its `bucket` key."""
    for row in rows:
        row["bucket"] = day_bucket(row[day], bucket)
    return rolled_up(rows, ["bucket", *keys], counts)
