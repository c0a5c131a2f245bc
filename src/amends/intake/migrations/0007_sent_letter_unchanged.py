"""A decision letter, once sent, is never changed: the services refuse, and the database refuses an UPDATE too (a
trigger on PostgreSQL and SQLite), so neither a script nor the admin can rewrite what the complainant was sent.
Deleting stays possible for test flushes; a complaint's letters are protected by its foreign key anyway."""

from django.db import migrations

PG_UP = """
CREATE FUNCTION intake_letter_sent_unchanged() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'decision letter % was sent and cannot be changed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER intake_letter_sent_unchanged BEFORE UPDATE ON intake_decisionletter
    FOR EACH ROW WHEN (OLD.status = 'sent') EXECUTE FUNCTION intake_letter_sent_unchanged();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS intake_letter_sent_unchanged ON intake_decisionletter;
DROP FUNCTION IF EXISTS intake_letter_sent_unchanged();
"""
SQLITE_UP = [
    """CREATE TRIGGER intake_letter_sent_unchanged BEFORE UPDATE ON intake_decisionletter
    FOR EACH ROW WHEN OLD.status = 'sent' BEGIN
    SELECT RAISE(ABORT, 'decision letter was sent and cannot be changed'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS intake_letter_sent_unchanged",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)  # no placeholders: the % is plpgsql's
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_complaint_procedure")]

    operations = [migrations.RunPython(up, down)]
