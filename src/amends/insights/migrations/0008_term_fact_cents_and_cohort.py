"""Term facts keep money in whole cents and their four retention groups as one `cohort` number, so the retention
report sums integers grouped by one small key (issue 16); every fact is written again once (`all`)."""

from django.db import migrations, models


def note_all(apps, schema_editor):
    apps.get_model("insights", "Stale").objects.create(kind="all", ref=0)


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0007_complaint_fact_covering_indexes'),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM insights_term_fact", migrations.RunSQL.noop),
        migrations.RemoveField(
            model_name='termfact',
            name='given',
        ),
        migrations.RemoveField(
            model_name='termfact',
            name='premium',
        ),
        migrations.AddField(
            model_name='termfact',
            name='cohort',
            field=models.SmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='termfact',
            name='given_cents',
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='termfact',
            name='premium_cents',
            field=models.BigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(note_all, migrations.RunPython.noop),
    ]
