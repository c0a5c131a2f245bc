"""Make the discretion ledger append-only in the database itself, on SQLite and PostgreSQL alike (as audit)."""

from django.db import migrations

from amends.audit.triggers import AppendOnlyTriggers

TRIGGERS = AppendOnlyTriggers("discretion_ledgerentry", "ledger", "ledger entries are append-only")
forwards, backwards = TRIGGERS.create, TRIGGERS.drop


class Migration(migrations.Migration):
    dependencies = [("discretion", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
