"""Writing rows by the million, inside the caller's transaction: PostgreSQL's COPY, SQLite's executemany (what
bulk_create does, without building a model instance per row). Customer and policy specs go in as they are,
their fields being the columns; other tables (the simulator's cases) as tuples with their column names.
Columns the caller does not give (added later by other apps) get their model default, so a new column does
not break a load. Rows carry their ids, so a generator can refer to a row before it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, models, transaction

from amends.customers.models import Customer, Policy

from .specs import CustomerSpec, PolicySpec

BATCH = 5000


class Writer:
    """Rows into one table at a time; `progress(label, rows)` hears of every 100,000."""

    def __init__(self, progress: Callable[[str, int], None] = lambda label, n: None):
        self.progress = progress
        self.postgres = connection.vendor == "postgresql"

    def customers(self, specs: Iterable[CustomerSpec], label: str = "customers") -> int:
        return self.write(Customer, CustomerSpec._fields, _with_ids(specs), label)

    def policies(self, specs: Iterable[PolicySpec], label: str = "policies") -> int:
        return self.write(Policy, PolicySpec._fields, _with_ids(specs), label)

    def write(self, model: type[models.Model], given: Sequence[str], rows: Iterable[tuple], label: str) -> int:
        fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
        extra = [f for f in fields if f.attname not in given]
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
        columns = [*given, *[f.attname for f in extra]]
        by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
        names = ", ".join(connection.ops.quote_name(by_attname[c]) for c in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
                        count += 1
                        if count % 100_000 == 0:
                            self.progress(label, count)
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                for chunk in _chunks(rows, BATCH):
                    cursor.executemany(sql, [tuple(_sqlite_value(v) for v in r + defaults) for r in chunk])
                    count += len(chunk)
                    if count % 100_000 < BATCH:
                        self.progress(label, count)
        self.progress(label, count)
        return count


def _with_ids(specs: Iterable[CustomerSpec] | Iterable[PolicySpec]) -> Iterator[tuple]:
    for spec in specs:
        if spec.id is None:
            raise ValueError(f"a row written in bulk needs its id: {spec}")
        yield spec


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def skip_row_triggers() -> None:
    """On PostgreSQL, when the role may (a superuser, as on a bench or demo server), skip the per-row foreign
    key triggers for this transaction: every reference is generated from ids read or assigned by the caller,
    and the checks cost more than the COPY itself. Elsewhere the checks run as usual."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def reset_sequences(*tables: type[models.Model]) -> None:
    """After rows were written with their own ids, PostgreSQL's next id comes after them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            t = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")
