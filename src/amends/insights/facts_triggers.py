"""The database triggers that note in `insights_stale` which source rows changed, so that their facts are
recomputed before the next report (`facts.bring_up_to_date`). Triggers, not service calls: complaints, cases,
steps and failures are written by many services, by the importers and by bulk paths, and each must be seen.

PostgreSQL: one statement-level trigger per table and operation, reading the statement's transition tables,
so a bulk INSERT of 10,000 complaints adds one INSERT … SELECT, not 10,000 row triggers. SQLite: row triggers.
A customer counts only when its segment changes. Migration 0002 creates them from `WATCHED` as it stands (a
change to it needs a migration: 0005 added reviews, which change their complaint's fact); after every `migrate`
any that went missing are created again (`install`), since SQLite drops a table's triggers when a migration
rebuilds it. Not watched (rare, and `amends insights rebuild` repairs): a policy's line and an org unit's region
changing after the fact.
"""

from __future__ import annotations

from typing import Any

from amends.core import db_triggers

# table → the (kind, column) pairs each changed row notes ("0": a constant, one note per statement).
WATCHED: dict[str, list[tuple[str, str]]] = {
    "intake_complaint": [("complaint", "id"), ("case", "case_id"), ("customer_terms", "customer_id")],
    "recovery_case": [("case", "id"), ("customer_terms", "customer_id")],
    "recovery_casestep": [("case", "case_id")],
    # A review (核查) asked or decided changes its complaint's fact.
    "intake_review": [("complaint", "complaint_id")],
    "recovery_failure": [("failure", "id"), ("customer_failures", "customer_id"), ("customer_terms", "customer_id")],
    # A new term renews the one it points at; any policy change makes the remembered policy figures stale.
    "customers_policy": [("term", "id"), ("term", "renewal_of_id"), ("policies", "0")],
}
OPERATIONS = {"INSERT": ["new_rows"], "UPDATE": ["old_rows", "new_rows"], "DELETE": ["old_rows"]}
# Inserts that reach a term through another table, as row triggers with a condition: policy admin's reported
# renewals and lapses (by policy number; the condition keeps the other events, almost all of them, from running
# anything, where a statement trigger would have captured every row of a 10,000-event batch), and discretion
# granted (through its request's customer). (table, kind, condition on NEW or "", SELECT … AS ref using NEW)
JOINED: list[tuple[str, str, str, str]] = [
    (
        "warning_event",
        "term",
        "NEW.type IN ('policy.renewed', 'policy.lapsed') AND NEW.policy_no <> ''",
        "SELECT id AS ref FROM customers_policy WHERE policy_no = NEW.policy_no",
    ),
    (
        "discretion_ledgerentry",
        "customer_terms",
        "",
        "SELECT customer_id AS ref FROM discretion_discretionrequest WHERE id = NEW.request_id",
    ),
]


# Bulk loads may skip triggers for speed (`session_replication_role = replica`: the history import checks its
# foreign keys per batch instead, the simulator trusts its own ids). These notes must not be skipped with them.
ALWAYS = "ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name};"


def _select(kind: str, column: str, source: str) -> str:
    if column.isdigit():
        return f"SELECT '{kind}', {column}"
    return f"SELECT '{kind}', {column} FROM {source} WHERE {column} IS NOT NULL"


def _postgres() -> list[str]:
    sql = []
    for table, notes in WATCHED.items():
        for op, tables in OPERATIONS.items():
            name = f"insights_note_{table}_{op.lower()}"
            selects = " UNION ".join(_select(kind, column, rows) for rows in tables for kind, column in notes)
            sql.append(
                f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN INSERT INTO insights_stale (kind, ref) {selects}; RETURN NULL; END; $$ LANGUAGE plpgsql;"""
            )
            referencing = " ".join(f"{'OLD' if rows == 'old_rows' else 'NEW'} TABLE AS {rows}" for rows in tables)
            sql.append(
                f"CREATE TRIGGER {name} AFTER {op} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
            )
            sql.append(ALWAYS.format(table=table, name=name))
    for table, kind, condition, select in JOINED:
        name = f"insights_note_{table}_insert"
        sql.append(
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN INSERT INTO insights_stale (kind, ref) SELECT '{kind}', found.ref FROM ({select}) AS found;
            RETURN NULL; END; $$ LANGUAGE plpgsql;"""
        )
        when = f"WHEN ({condition}) " if condition else ""
        sql.append(f"CREATE TRIGGER {name} AFTER INSERT ON {table} FOR EACH ROW {when}EXECUTE FUNCTION {name}();")
        sql.append(ALWAYS.format(table=table, name=name))
    sql.append(
        """CREATE OR REPLACE FUNCTION insights_note_customer_segment() RETURNS trigger AS $$
        BEGIN INSERT INTO insights_stale (kind, ref) SELECT 'customer', n.id FROM new_rows n
              JOIN old_rows o ON o.id = n.id WHERE n.segment IS DISTINCT FROM o.segment;
        RETURN NULL; END; $$ LANGUAGE plpgsql;"""
    )
    sql.append(
        "CREATE TRIGGER insights_note_customer_segment AFTER UPDATE ON customers_customer "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION insights_note_customer_segment();"
    )
    sql.append(ALWAYS.format(table="customers_customer", name="insights_note_customer_segment"))
    return sql


def _sqlite() -> list[str]:
    sql = []
    for table, notes in WATCHED.items():
        for op, tables in OPERATIONS.items():
            inserts = " ".join(
                "INSERT INTO insights_stale (kind, ref) "
                + (
                    f"SELECT '{kind}', {column};"
                    if column.isdigit()
                    else f"SELECT '{kind}', {row}.{column} WHERE {row}.{column} IS NOT NULL;"
                )
                for rows in tables
                for row in ["OLD" if rows == "old_rows" else "NEW"]
                for kind, column in notes
            )
            sql.append(f"CREATE TRIGGER insights_note_{table}_{op.lower()} AFTER {op} ON {table} BEGIN {inserts} END;")
    for table, kind, condition, select in JOINED:
        when = f"WHEN {condition} " if condition else ""
        sql.append(
            f"CREATE TRIGGER insights_note_{table}_insert AFTER INSERT ON {table} {when}BEGIN "
            f"INSERT INTO insights_stale (kind, ref) SELECT '{kind}', found.ref FROM ({select}) AS found; END;"
        )
    sql.append(
        "CREATE TRIGGER insights_note_customer_segment AFTER UPDATE OF segment ON customers_customer "
        "WHEN OLD.segment IS NOT NEW.segment "
        "BEGIN INSERT INTO insights_stale (kind, ref) VALUES ('customer', NEW.id); END;"
    )
    return sql


def _names() -> list[tuple[str, str]]:
    out = [(f"insights_note_{t}_{op.lower()}", t) for t in WATCHED for op in OPERATIONS]
    out += [(f"insights_note_{t}_insert", t) for t, _kind, _condition, _select in JOINED]
    return [*out, ("insights_note_customer_segment", "customers_customer")]


def _drops(vendor: str) -> list[str]:
    return db_triggers.drops(vendor, _names())


def _creates(vendor: str) -> list[str]:
    return _postgres() if vendor == "postgresql" else _sqlite() if vendor == "sqlite" else []


def create(apps: Any, schema_editor: Any) -> None:
    db_triggers.execute(schema_editor, _creates(schema_editor.connection.vendor))


def drop(apps: Any, schema_editor: Any) -> None:
    db_triggers.execute(schema_editor, _drops(schema_editor.connection.vendor))


def install(connection: Any) -> None:
    """After every `migrate` (post_migrate): create the triggers again if any is missing (SQLite drops a table's
    triggers when a migration rebuilds it), or drop them when the facts are gone. Touches nothing otherwise: an
    ALTER on a table with pending deferred checks in the same transaction would fail."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    present = "insights_stale" in connection.introspection.table_names()
    found = db_triggers.present(connection, "insights_note")
    if present and found == {name for name, _table in _names()}:
        return
    if not present and not found:
        return
    with connection.cursor() as cursor:
        for statement in _drops(connection.vendor) + (_creates(connection.vendor) if present else []):
            cursor.execute(statement)
