"""The complaint and failure facts' day indexes carry what issue 16 added to the Pareto and volume reports (the
service quality gap; decided and upheld complaints), so those are index-only scans again."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0011_follow_up_fact_counted_indexes'),
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
        migrations.RemoveIndex(
            model_name='failurefact',
            name='failure_fact_day_idx',
        ),
        migrations.RemoveIndex(
            model_name='failurefact',
            name='failure_fact_unit_day_idx',
        ),
        migrations.AddIndex(
            model_name='complaintfact',
            index=models.Index(fields=['received_on'], include=('channel', 'resolution_s', 'resolution_days', 'result', 'touchpoint_id', 'cause', 'dimension', 'gap', 'repeat'), name='complaint_fact_day_idx'),
        ),
        migrations.AddIndex(
            model_name='complaintfact',
            index=models.Index(fields=['unit_id', 'received_on'], include=('channel', 'resolution_s', 'resolution_days', 'result', 'touchpoint_id', 'cause', 'dimension', 'gap', 'repeat'), name='complaint_fact_unit_day_idx'),
        ),
        migrations.AddIndex(
            model_name='failurefact',
            index=models.Index(fields=['occurred_on'], include=('touchpoint_id', 'cause', 'dimension', 'gap', 'repeat'), name='failure_fact_day_idx'),
        ),
        migrations.AddIndex(
            model_name='failurefact',
            index=models.Index(fields=['unit_id', 'occurred_on'], include=('touchpoint_id', 'cause', 'dimension', 'gap', 'repeat'), name='failure_fact_unit_day_idx'),
        ),
    ]
