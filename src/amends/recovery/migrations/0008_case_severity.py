"""A case keeps what its priority was computed from (`severity`), not the explanation (`priority_factors`): the
explanation is derived from the inputs. Existing cases get their inputs back from the factors they stored; where a factor gave no
points (and so was not stored), an input that gives none stands in (the customer's segment when it is one that
scores nothing, else `individual`; a value of 0; no loss; no touchpoint criticality), so every case explains
its priority afterwards exactly as before. A case with no factor keeps an empty severity."""

from decimal import Decimal

from django.db import migrations, models


# The segments that scored points when this migration was written (rules.SEGMENT_POINTS).
SCORING_SEGMENTS = {"key_account", "group"}


def _factors_to_severity(apps, schema_editor):
    Case = apps.get_model("recovery", "Case")
    batch = []
    rows = Case.objects.exclude(priority_factors=[]).select_related("customer").only(
        "priority", "priority_factors", "customer__segment"
    )
    for case in rows.iterator(chunk_size=2000):
        if not case.priority_factors:
            continue  # nothing aggravating, or never computed (imported history): the empty severity says so
        factors = {f["code"]: f.get("value", "") for f in case.priority_factors or []}
        loss = factors.get("loss_amount")
        flags = [v for v in factors.get("escalation", "").split(",") if v]
        segment = case.customer.segment if case.customer.segment not in SCORING_SEGMENTS else "individual"
        criticality = factors.get("touchpoint_criticality")
        case.severity = {
            "segment": factors.get("segment", segment),
            "customer_value": str(factors.get("customer_value", "0")),
            "loss_amount": str(Decimal(loss)) if loss not in (None, "", "None") else None,
            "repeat_failures_90d": int(factors.get("repeat_failures", 0) or 0),
            "touchpoint_criticality": int(criticality) if criticality else None,
            "escalation_flags": sorted(flags),
            "raised_to": case.priority if "early_warning" in factors else None,
            "raised_reason": factors.get("early_warning", ""),
        }
        batch.append(case)
        if len(batch) == 2000:
            Case.objects.bulk_update(batch, ["severity"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["severity"])


class Migration(migrations.Migration):
    dependencies = [("recovery", "0007_leaner_indexes")]

    operations = [
        migrations.AddField(
            model_name="case", name="severity", field=models.JSONField(default=dict, verbose_name="severity")
        ),
        migrations.RunPython(_factors_to_severity, migrations.RunPython.noop),
        migrations.RemoveField(model_name="case", name="priority_factors"),
    ]
