from django.db import migrations

from amends.correspondence import seed
from amends.correspondence.notice_templates import NOTICE_TEMPLATES


def load(apps, schema_editor):
    seed.load(apps.get_model("correspondence", "MessageTemplate"), NOTICE_TEMPLATES)


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0004_portal_channel")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
