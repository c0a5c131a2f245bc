"""The worker's schedule: a due task is enqueued once, never while one is waiting, and not before its time."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from amends.core import schedule
from amends.core.testing import at
from amends.promises.tasks import sweep_promises

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_promise_sweep_is_on_the_schedule():
    assert any(e.task is sweep_promises for e in schedule.SCHEDULE)


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
