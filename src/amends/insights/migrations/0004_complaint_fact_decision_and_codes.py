"""Complaint facts carry the deadline's and the decision's dates, the calendar days to decide, the decision's
result, the cause, dimension and quality gap staff confirmed and whether it repeats a failure or
complaint; failure facts their gap; follow-up and term facts the case's timing mode; every fact is written again once (`all`) to fill them."""

import datetime

from django.db import migrations, models


def note_all(apps, schema_editor):
    apps.get_model("insights", "Stale").objects.create(kind="all", ref=0)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_freshness"),
        ("intake", "0005_decision_result"),
        ("text", "0003_code_field_gap"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM insights_complaint_fact", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="complaintfact",
            name="due_on",
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddField(model_name="complaintfact", name="decided_on", field=models.DateField(null=True)),
        migrations.AddField(model_name="complaintfact", name="resolution_days", field=models.IntegerField(null=True)),
        migrations.AddField(
            model_name="complaintfact",
            name="result",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="complaintfact",
            name="cause",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="complaintfact",
            name="dimension",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="complaintfact",
            name="repeat",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.AddField(model_name="complaintfact", name="previous_on", field=models.DateField(null=True)),
        migrations.AddField(
            model_name="complaintfact",
            name="gap",
            field=models.CharField(default="", max_length=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="failurefact",
            name="gap",
            field=models.CharField(default="", max_length=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="followupfact",
            name="timing",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="termfact",
            name="timing",
            field=models.CharField(default="", max_length=16),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="complaintfact", index=models.Index(fields=["due_on"], name="complaint_fact_due_idx")
        ),
        migrations.RunPython(note_all, migrations.RunPython.noop),
    ]
