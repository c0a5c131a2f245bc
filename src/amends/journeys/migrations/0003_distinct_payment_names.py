"""Two touchpoints were both called 赔款支付 (auto and health claims); lists that show a touchpoint without its
journey could not tell them apart. Existing databases get the catalogue's new names."""

from django.db import migrations

NAMES = {
    "auto_claim.payment": {"zh-hans": "车险赔款支付", "zh-hant": "車險賠款支付", "en": "Auto claim payment"},
    "health_claim.payment": {"zh-hans": "健康险赔款支付", "zh-hant": "健康險賠款支付", "en": "Health claim payment"},
}


def rename(apps, schema_editor):
    Touchpoint = apps.get_model("journeys", "Touchpoint")
    for code, names in NAMES.items():
        Touchpoint.objects.filter(code=code).update(names=names)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0002_catalogue")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
