"""Make the audit table append-only in the database itself, on SQLite and PostgreSQL alike."""

from django.db import migrations

from amends.audit.triggers import AppendOnlyTriggers

TRIGGERS = AppendOnlyTriggers("audit_auditentry", "audit", "audit entries are append-only")
forwards, backwards = TRIGGERS.create, TRIGGERS.drop


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
