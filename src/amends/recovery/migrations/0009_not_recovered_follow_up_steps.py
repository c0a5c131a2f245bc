"""A follow-up that found the customer not recovered used to reopen the case without writing the round's
follow-up step, so the recovery rate never counted one. The attempt stands on the timeline in the round it
ended: write the missing step from it (its words, actor and time), once per round."""

from django.db import migrations


def _steps_from_timeline(apps, schema_editor):
    CaseStep = apps.get_model("recovery", "CaseStep")
    TimelineEntry = apps.get_model("recovery", "TimelineEntry")
    have = set(CaseStep.objects.filter(step="follow_up").values_list("case_id", "round"))
    batch = []
    attempts = TimelineEntry.objects.filter(
        kind="follow_up_attempt", data__outcome="not_recovered", actor__isnull=False
    ).order_by("at", "id")
    for entry in attempts.iterator(chunk_size=2000):
        if (entry.case_id, entry.round) in have:
            continue
        have.add((entry.case_id, entry.round))
        batch.append(
            CaseStep(
                case_id=entry.case_id,
                round=entry.round,
                step="follow_up",
                note=entry.text,
                outcome="not_recovered",
                actor_id=entry.actor_id,
                at=entry.at,
            )
        )
    CaseStep.objects.bulk_create(batch, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("recovery", "0008_case_severity")]

    operations = [migrations.RunPython(_steps_from_timeline, migrations.RunPython.noop)]
