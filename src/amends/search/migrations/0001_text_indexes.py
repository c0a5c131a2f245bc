"""Search indexes on other apps' existing columns, maintained by the database itself (no statement in intake):
PostgreSQL `pg_trgm` GIN indexes for words, a prefix index for claim numbers; SQLite FTS5 trigram tables kept
by triggers. See docs/decisions/0063-search.md."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_complaint_description_trgm ON intake_complaint "
    "USING gin (description gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_complaint_request_trgm ON intake_complaint USING gin (request gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_step_note_trgm ON recovery_casestep USING gin (note gin_trgm_ops) "
    "WHERE note <> ''",
    "CREATE INDEX IF NOT EXISTS search_timeline_note_trgm ON recovery_timelineentry USING gin (text gin_trgm_ops) "
    "WHERE kind = 'note'",
    "CREATE INDEX IF NOT EXISTS search_complaint_claim_no ON intake_complaint (claim_no varchar_pattern_ops) "
    "WHERE claim_no <> ''",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_complaint_description_trgm",
    "DROP INDEX IF EXISTS search_complaint_request_trgm",
    "DROP INDEX IF EXISTS search_step_note_trgm",
    "DROP INDEX IF EXISTS search_timeline_note_trgm",
    "DROP INDEX IF EXISTS search_complaint_claim_no",
]


def _fts(table: str, source: str, columns: list[str], when: str = "") -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    when_new = f" WHEN new.{when}" if when else ""
    when_old = f" WHEN old.{when}" if when else ""
    where = f" WHERE {when}" if when else ""
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({cols}, content='{source}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {source}{when_new} BEGIN "
        f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {source}{when_old} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {table}_bu BEFORE UPDATE OF {cols} ON {source}{when_old} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {source}{when_new} BEGIN "
        f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {table}(rowid, {cols}) SELECT id, {cols} FROM {source}{where}",
    ]


SQLITE = [
    *_fts("search_complaint_text", "intake_complaint", ["description", "request"]),
    *_fts("search_step_note", "recovery_casestep", ["note"], "note <> ''"),
    *_fts("search_timeline_note", "recovery_timelineentry", ["text"], "kind = 'note'"),
]
SQLITE_DROP = [
    f"DROP {kind} IF EXISTS {t}{suffix}"
    for t in ("search_complaint_text", "search_step_note", "search_timeline_note")
    for kind, suffix in (("TRIGGER", "_ai"), ("TRIGGER", "_ad"), ("TRIGGER", "_bu"), ("TRIGGER", "_au"), ("TABLE", ""))
]


def create(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_decision_result"),
        ("recovery", "0008_case_severity"),
    ]

    operations = [migrations.RunPython(create, drop)]
