"""Foreign keys of an imported batch, checked once for the batch instead of once per row (PostgreSQL only).

PostgreSQL checks every reference of every inserted row with a trigger that looks the parent row up and locks
it: eight look-ups per imported complaint, a third of the import's database time. Where the importing role may
set `session_replication_role` (a superuser, or `GRANT SET ON PARAMETER session_replication_role`), a batch is
written with those triggers off and then `check_references` does their work set-wise in the same transaction:
every reference must name an existing row, and the rows referred to that this batch did not write itself are
locked `FOR KEY SHARE`, as the triggers would, so none can be deleted before the batch commits. Every foreign
key of the written tables is read from the catalogue, so a key added later is checked without a change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError


class BrokenReference(DatabaseError):
    """A row of the batch names a row that does not exist: the batch must not commit."""


@dataclass(frozen=True)
class Written:
    """Rows a batch wrote to one table, as the tuples given to COPY under these column names."""

    columns: Sequence[str]
    rows: Sequence[tuple[Any, ...]]

    def values(self, column: str) -> set[Any]:
        i = self.columns.index(column)
        return {row[i] for row in self.rows} - {None}


def may_skip_row_checks(cursor: Any) -> bool:
    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    return bool(cursor.fetchone()[0])


def skip_row_checks(cursor: Any) -> None:
    """Until `check_references` or the end of the transaction, inserted rows queue no trigger at all."""
    cursor.execute("SET LOCAL session_replication_role = replica")


def check_references(cursor: Any, written: dict[str, Written]) -> None:
    """Triggers back on, then every foreign key of every written row verified (and its parent locked)."""
    cursor.execute("SET LOCAL session_replication_role = origin")
    for table, rows in written.items():
        for column, parent, parent_column in _foreign_keys(cursor, table):
            if column not in rows.columns:
                continue  # not written: NULL
            wanted = rows.values(column)
            if parent in written:  # the rows this batch wrote there exist and no one else can see them yet
                wanted -= written[parent].values(parent_column)
            if wanted:
                _lock_all(cursor, table, column, parent, parent_column, sorted(wanted))


def _foreign_keys(cursor: Any, table: str) -> list[tuple[str, str, str]]:
    cursor.execute(
        "SELECT a.attname, c.confrelid::regclass::text, p.attname, cardinality(c.conkey)"
        " FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " JOIN pg_attribute p ON p.attrelid = c.confrelid AND p.attnum = c.confkey[1]"
        " WHERE c.conrelid = %s::regclass AND c.contype = 'f'",
        [table],
    )
    keys = []
    for column, parent, parent_column, width in cursor.fetchall():
        if width != 1:
            raise BrokenReference(f"{table}: a foreign key of several columns cannot be checked set-wise")
        keys.append((column, parent, parent_column))
    return keys


def _lock_all(cursor: Any, table: str, column: str, parent: str, parent_column: str, wanted: list[Any]) -> None:
    # Sorted, so two imports locking the same parents take them in the same order.
    cursor.execute(
        f"SELECT {parent_column} FROM {parent} WHERE {parent_column} = ANY(%s) ORDER BY 1 FOR KEY SHARE",
        [wanted],
    )
    found = {value for (value,) in cursor.fetchall()}
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - found)[:5]
        raise BrokenReference(f"{table}.{column} names no {parent} row for {missing}")
