from django.db import migrations


def load_lexicon(apps, schema_editor):
    from amends.text.seed import load

    load(apps.get_model("text", "LexiconTerm"))


class Migration(migrations.Migration):
    dependencies = [("text", "0001_initial")]

    operations = [migrations.RunPython(load_lexicon, migrations.RunPython.noop)]
