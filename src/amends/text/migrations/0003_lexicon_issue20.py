from django.db import migrations


def load_lexicon(apps, schema_editor):
    """The terms added to the shipped lexicon since (petition channels, Hong Kong and Taiwan names, English
    idioms, negation cues): added where missing; a term a quality manager retired stays retired."""
    from amends.text.seed import load

    load(apps.get_model("text", "LexiconTerm"))


class Migration(migrations.Migration):
    dependencies = [("text", "0002_lexicon")]

    operations = [migrations.RunPython(load_lexicon, migrations.RunPython.noop)]
