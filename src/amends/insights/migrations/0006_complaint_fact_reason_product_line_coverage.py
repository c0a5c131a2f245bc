"""Complaint facts carry the regulator's reason, the product line and the file's own coverage name; the facts are
written again with them (the `all` note of 0005)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0005_complaint_fact_pauses_withdrawals_reviews'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaintfact',
            name='coverage',
            field=models.CharField(default='', max_length=60),
        ),
        migrations.AddField(
            model_name='complaintfact',
            name='product_line',
            field=models.CharField(default='', max_length=24),
        ),
        migrations.AddField(
            model_name='complaintfact',
            name='reason',
            field=models.CharField(default='', max_length=32),
        ),
    ]
