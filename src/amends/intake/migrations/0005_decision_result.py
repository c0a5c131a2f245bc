"""The decision's result in the measure's three words (upheld, partly upheld, not upheld) and whether the insurer
was at fault, instead of a yes/no `upheld`: the finding an import recorded becomes `upheld` or `not_upheld`."""

from django.db import migrations, models


def _results(apps, schema_editor):
    Complaint = apps.get_model("intake", "Complaint")
    Complaint.objects.filter(upheld=True).update(result="upheld")
    Complaint.objects.filter(upheld=False).update(result="not_upheld")


def _upheld(apps, schema_editor):
    Complaint = apps.get_model("intake", "Complaint")
    Complaint.objects.filter(result__in=["upheld", "partly_upheld"]).update(upheld=True)
    Complaint.objects.filter(result="not_upheld").update(upheld=False)


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_leaner_indexes")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="at_fault",
            field=models.BooleanField(blank=True, null=True, verbose_name="insurer at fault"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="result",
            field=models.CharField(
                blank=True,
                choices=[("upheld", "Upheld"), ("partly_upheld", "Partly upheld"), ("not_upheld", "Not upheld")],
                max_length=16,
                verbose_name="result",
            ),
        ),
        migrations.RunPython(_results, _upheld),
        migrations.RemoveField(model_name="complaint", name="upheld"),
    ]
