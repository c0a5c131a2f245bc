"""Follow-up facts by day carry what the recovery report counts, and by unit and day as the other facts have, so
the report (a supervisor's too) reads an index alone (issue 16)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0010_repeat_covering_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='followupfact',
            name='follow_up_fact_day_idx',
        ),
        migrations.AddIndex(
            model_name='followupfact',
            index=models.Index(fields=['on'], include=('touchpoint_id', 'outcome', 'timing'), name='follow_up_fact_day_idx'),
        ),
        migrations.AddIndex(
            model_name='followupfact',
            index=models.Index(fields=['unit_id', 'on'], include=('touchpoint_id', 'outcome', 'timing'), name='follow_up_fact_unit_day_idx'),
        ),
    ]
