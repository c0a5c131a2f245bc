"""The database triggers that keep `OwnerLoad` (open cases per owner) in step with `recovery_case`.

The assignment rule needs each candidate handler's open-case count on every new case. Counting them there
grew with the table (a handler's open cases are read per complaint: 1.7 ms of the case read at 3,000 open
cases); a kept count is a few rows per handler. Triggers, not service calls, because cases are written by
services, importers, bulk updates and the admin, and each must be counted.

PostgreSQL: one statement-level trigger per operation over the transition tables, adding each owner's net
change to one of their slots that no other transaction holds (or a new slot), so it never waits, and touching
no counter when the statement moved no case in or out of anyone's open load (a priority change, a version
bump). The first version kept one row per owner: concurrent complaints, which pick the same lightest handler,
queued on it until each other's commit (2.5 ms per write at 8 clients).
SQLite: row triggers. Both fire in bulk loads that skip triggers (`ENABLE ALWAYS`, as the insights notes do).
After every `migrate` missing triggers are created again and the counts recomputed from the rows (`install`):
SQLite drops a table's triggers when a migration rebuilds it.
"""

from __future__ import annotations

from typing import Any

from amends.core import db_triggers

TABLE = "recovery_case"
LOAD = "recovery_ownerload"
CLOSED = "closed"  # CaseStatus.CLOSED, written out: migrations run this module (a test checks they agree)
# Which rows count: an owner, and not closed. `{r}` is the row (PostgreSQL: a transition table's alias).
COUNTS = "{r}.owner_id IS NOT NULL AND {r}.status <> '" + CLOSED + "'"
NAMES = [f"recovery_ownerload_{op}" for op in ("insert", "update", "delete")]

RECOUNT = [
    f"DELETE FROM {LOAD}",
    f"INSERT INTO {LOAD} (owner_id, open_cases) SELECT c.owner_id, COUNT(*) FROM {TABLE} c "
    f"WHERE {COUNTS.format(r='c')} GROUP BY c.owner_id",
]


def _postgres() -> list[str]:
    # (operation, transition tables, the signed rows each contributes)
    deltas = {
        "insert": ("NEW TABLE AS new_rows", [("new_rows", "+1")]),
        "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows", [("new_rows", "+1"), ("old_rows", "-1")]),
        "delete": ("OLD TABLE AS old_rows", [("old_rows", "-1")]),
    }
    sql = []
    for op, (referencing, sources) in deltas.items():
        name = f"recovery_ownerload_{op}"
        rows = " UNION ALL ".join(
            f"SELECT r.owner_id, {sign} AS d FROM {source} r WHERE {COUNTS.format(r='r')}" for source, sign in sources
        )
        # Each owner's net change goes to a slot no other transaction holds, or to a new slot: never a wait.
        sql.append(
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            DECLARE change record;
            BEGIN
              FOR change IN SELECT owner_id, SUM(d) AS d FROM ({rows}) AS changed
                            GROUP BY owner_id HAVING SUM(d) <> 0 ORDER BY owner_id LOOP
                UPDATE {LOAD} SET open_cases = open_cases + change.d WHERE id = (
                  SELECT id FROM {LOAD} WHERE owner_id = change.owner_id LIMIT 1 FOR UPDATE SKIP LOCKED);
                IF NOT FOUND THEN
                  INSERT INTO {LOAD} (owner_id, open_cases) VALUES (change.owner_id, change.d);
                END IF;
              END LOOP;
              RETURN NULL;
            END; $$ LANGUAGE plpgsql;"""
        )
        sql.append(
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {TABLE} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
        )
        sql.append(f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {name};")
    return sql


def _sqlite() -> list[str]:
    # One writer at a time: one slot per owner. A case leaving someone's load only lowers a slot that is there
    # (a flush may have emptied the counters, or the users, before the cases).
    def add(row: str) -> str:
        return (
            f"UPDATE {LOAD} SET open_cases = open_cases + 1 WHERE id = "
            f"(SELECT id FROM {LOAD} WHERE owner_id = {row}.owner_id LIMIT 1) AND {COUNTS.format(r=row)}; "
            f"INSERT INTO {LOAD} (owner_id, open_cases) SELECT {row}.owner_id, 1 WHERE {COUNTS.format(r=row)} "
            f"AND NOT EXISTS (SELECT 1 FROM {LOAD} WHERE owner_id = {row}.owner_id);"
        )

    def remove(row: str) -> str:
        return (
            f"UPDATE {LOAD} SET open_cases = open_cases - 1 WHERE id = "
            f"(SELECT id FROM {LOAD} WHERE owner_id = {row}.owner_id LIMIT 1) AND {COUNTS.format(r=row)};"
        )

    return [
        f"CREATE TRIGGER recovery_ownerload_insert AFTER INSERT ON {TABLE} BEGIN {add('NEW')} END;",
        f"CREATE TRIGGER recovery_ownerload_update AFTER UPDATE OF owner_id, status ON {TABLE} "
        f"BEGIN {remove('OLD')} {add('NEW')} END;",
        f"CREATE TRIGGER recovery_ownerload_delete AFTER DELETE ON {TABLE} BEGIN {remove('OLD')} END;",
    ]


def _drops(vendor: str) -> list[str]:
    return db_triggers.drops(vendor, [(name, TABLE) for name in NAMES])


def _creates(vendor: str) -> list[str]:
    return _postgres() if vendor == "postgresql" else _sqlite() if vendor == "sqlite" else []


def create(apps: Any, schema_editor: Any) -> None:
    """Migration step: the triggers, then the counts from the rows as they are."""
    db_triggers.execute(schema_editor, _creates(schema_editor.connection.vendor) + RECOUNT)


def drop(apps: Any, schema_editor: Any) -> None:
    db_triggers.execute(schema_editor, _drops(schema_editor.connection.vendor))


def install(connection: Any) -> None:
    """After every `migrate` (post_migrate): when a trigger is missing (a rebuilt SQLite table), create them
    again and recount, since cases may have changed uncounted. Touches nothing otherwise."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if LOAD not in tables or TABLE not in tables or db_triggers.present(connection, "recovery_ownerload") == set(NAMES):
        return
    with connection.cursor() as cursor:
        for statement in _drops(connection.vendor) + _creates(connection.vendor) + RECOUNT:
            cursor.execute(statement)
