from django.db import migrations

from amends.correspondence import seed


def load(apps, schema_editor):
    seed.load(apps.get_model("correspondence", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
