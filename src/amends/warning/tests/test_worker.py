"""The worker runs the scheduled rules for real: a queued task, picked up by the database worker."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from amends.assembly.testing import make_world, receive
from amends.core import clock
from amends.warning import tasks
from amends.warning.models import Alert, RuleConfig
from amends.warning.rules.seed import seed_rule_configs


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "amends.core.task_queue.DatabaseQueue"}})
def test_the_database_worker_runs_the_rule_sweep(now):
    # Committed data and a worker that opens and closes its own connections, as `amends worker` does.
    world = make_world()
    seed_rule_configs(RuleConfig)  # the flush took the migrated rows
    complaint = receive(world.frontline, world.individual)
    with clock.frozen(now + timedelta(days=13)):
        result = tasks.sweep_rules.enqueue()
        assert not Alert.objects.exists()  # queued, not yet run
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value["complaint_deadline"] == 1
    assert Alert.objects.get().subject_id == str(complaint.pk)
