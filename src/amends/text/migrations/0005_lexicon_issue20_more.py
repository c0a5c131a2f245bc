from django.db import migrations


def load_lexicon(apps, schema_editor):
    """Terms added after 0003 (counting complaints, legal idioms, market-regulator and consumer-council names,
    English consumer bodies): added where missing; a retired term stays retired."""
    from amends.text.seed import load

    load(apps.get_model("text", "LexiconTerm"))


class Migration(migrations.Migration):
    dependencies = [("text", "0004_textmodel_evaluation")]

    operations = [migrations.RunPython(load_lexicon, migrations.RunPython.noop)]
