"""The worker's schedule: a due task is enqueued once, never while one is waiting, and not before its time."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from amends.assembly import wiring
from amends.assembly.testing import at
from amends.core import schedule
from amends.promises.tasks import sweep_promises

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_every_sweep_is_on_the_schedule_once():
    paths = [e.path for e in wiring.schedule()]
    assert sorted(paths) == sorted(set(paths))
    assert {p.rsplit(".", 1)[1] for p in paths} == {
        "sweep_promises",
        "sweep_rules",
        "sweep_surveys",
        "sample_callbacks",
        "escalate_approvals",
        "bring_facts_up_to_date",
    }


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_due_task_is_enqueued_once_and_not_again_while_it_waits():
    entry = schedule.Entry(sweep_promises, timedelta(minutes=1))
    t0 = at("2026-11-02 10:00")
    assert schedule.enqueue_due(t0, [entry]) == [entry.path]
    assert schedule.enqueue_due(t0 + timedelta(seconds=30), [entry]) == []  # not yet due
    assert schedule.enqueue_due(t0 + timedelta(minutes=2), [entry]) == []  # due, but one is still waiting
    assert DBTaskResult.objects.filter(task_path=entry.path).count() == 1
    DBTaskResult.objects.update(status="SUCCESSFUL")
    assert schedule.enqueue_due(t0 + timedelta(minutes=4), [entry]) == [entry.path]
