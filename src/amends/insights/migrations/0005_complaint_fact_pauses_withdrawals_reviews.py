"""Complaint facts carry what the complaint procedure changes in the figures: the days paused (left out of the
days to decide), a withdrawal (out of the decided and due denominators) and the review with its own deadline;
reviews are watched by a trigger (created again with the others); every fact is written again once (`all`)."""

from django.db import migrations, models

from amends.insights import facts_triggers


def note_all(apps, schema_editor):
    apps.get_model("insights", "Stale").objects.create(kind="all", ref=0)


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0004_complaint_fact_decision_and_codes'),
        ('intake', '0006_complaint_procedure'),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM insights_complaint_fact", migrations.RunSQL.noop),
        migrations.RunPython(facts_triggers.drop, migrations.RunPython.noop),
        migrations.AddField(
            model_name='complaintfact',
            name='paused_days',
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name='complaintfact',
            name='review_decided_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='complaintfact',
            name='review_due_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name='complaintfact',
            name='review_resolution_s',
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name='complaintfact',
            name='withdrawn',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(facts_triggers.create, facts_triggers.drop),
        migrations.RunPython(note_all, migrations.RunPython.noop),
    ]
