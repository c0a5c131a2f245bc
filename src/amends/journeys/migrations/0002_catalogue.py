from django.db import migrations


def load_catalogue(apps, schema_editor):
    from amends.journeys.catalogue import load

    load(apps.get_model("journeys", "Journey"), apps.get_model("journeys", "Touchpoint"))


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
