"""The triggers that note changed source rows for the facts, and a note that every fact is to be written once
(`all`): the first report, or the worker, after this migration builds them from what is already there."""

from django.db import migrations

from amends.insights import facts_triggers


def note_all(apps, schema_editor):
    apps.get_model("insights", "Stale").objects.create(kind="all", ref=0)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_facts"),
        ("intake", "0003_complaint_import"),
        ("recovery", "0006_alter_timelineentry_kind"),
        ("customers", "0003_customer_source"),
        ("warning", "0004_event_indexes"),
        ("discretion", "0002_ledger_append_only"),
    ]

    operations = [
        migrations.RunPython(facts_triggers.create, facts_triggers.drop),
        migrations.RunPython(note_all, migrations.RunPython.noop),
    ]
