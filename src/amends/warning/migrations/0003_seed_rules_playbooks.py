"""Seed the shipped early-warning rule configurations and the auto-claim playbooks (data, editable after)."""

from django.db import migrations


def seed(apps, schema_editor):
    from amends.warning.playbooks_seed import seed_playbooks
    from amends.warning.rules.seed import seed_rule_configs

    seed_rule_configs(apps.get_model("warning", "RuleConfig"))
    seed_playbooks(apps.get_model("warning", "Playbook"), apps.get_model("journeys", "Touchpoint"))


class Migration(migrations.Migration):
    dependencies = [
        ("warning", "0002_events_rules_playbooks"),
        ("journeys", "0002_catalogue"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
