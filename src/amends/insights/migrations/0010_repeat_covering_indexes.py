"""The complaint facts' day indexes carry the touchpoint and whether a complaint repeats, and the complaint and
failure facts get a partial index by the previous failure's date, for the repeat report (issue 16)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0009_term_fact_covering_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='complaintfact',
            name='complaint_fact_day_idx',
        ),
        migrations.RemoveIndex(
            model_name='complaintfact',
            name='complaint_fact_unit_day_idx',
        ),
        migrations.AddIndex(
            model_name='complaintfact',
            index=models.Index(fields=['received_on'], include=('channel', 'resolution_days', 'touchpoint_id', 'repeat'), name='complaint_fact_day_idx'),
        ),
        migrations.AddIndex(
            model_name='complaintfact',
            index=models.Index(fields=['unit_id', 'received_on'], include=('channel', 'resolution_days', 'touchpoint_id', 'repeat'), name='complaint_fact_unit_day_idx'),
        ),
        migrations.AddIndex(
            model_name='complaintfact',
            index=models.Index(condition=models.Q(('previous_on__isnull', False)), fields=['previous_on'], include=('received_on', 'unit_id', 'customer_id'), name='complaint_fact_previous_idx'),
        ),
        migrations.AddIndex(
            model_name='failurefact',
            index=models.Index(condition=models.Q(('previous_on__isnull', False)), fields=['previous_on'], include=('occurred_on', 'unit_id', 'customer_id'), name='failure_fact_previous_idx'),
        ),
    ]
