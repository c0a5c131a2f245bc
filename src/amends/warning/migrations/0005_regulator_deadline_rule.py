"""The regulator transfer feedback rule joins the shipped configurations (existing rows are left as edited)."""

from django.db import migrations


def seed(apps, schema_editor):
    from amends.warning.rules.seed import seed_rule_configs

    seed_rule_configs(apps.get_model("warning", "RuleConfig"))


class Migration(migrations.Migration):
    dependencies = [("warning", "0004_event_indexes"), ("intake", "0006_complaint_procedure")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
