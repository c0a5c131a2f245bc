"""The term facts' end-date indexes cover the decided terms with what the retention report sums, for the whole
table and a subtree of units, so its GROUP BY reads an index alone (issue 16)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0008_term_fact_cents_and_cohort'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='termfact',
            name='term_fact_end_idx',
        ),
        migrations.AddIndex(
            model_name='termfact',
            index=models.Index(condition=models.Q(('decided', True)), fields=['end_date'], include=('cohort', 'renewed', 'premium_cents', 'given_cents'), name='term_fact_end_idx'),
        ),
        migrations.AddIndex(
            model_name='termfact',
            index=models.Index(condition=models.Q(('decided', True)), fields=['unit_id', 'end_date'], include=('cohort', 'renewed', 'premium_cents', 'given_cents'), name='term_fact_unit_end_idx'),
        ),
    ]
