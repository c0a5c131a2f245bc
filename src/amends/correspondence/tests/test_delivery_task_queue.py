"""The database queue (core.task_queue), through the delivery task: a task enqueued inside a collecting block
is written with the block's rows, as the stock backend would have written it; outside a block at once."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django_tasks_db.models import DBTaskResult

from amends.core import batch
from amends.correspondence.tasks import deliver_message

pytestmark = pytest.mark.django_db

OURS = {"default": {"BACKEND": "amends.core.task_queue.DatabaseQueue"}}
STOCK = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
COMPARED = ["args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name", "status"]


@override_settings(TASKS=OURS)
def test_inside_a_block_the_task_row_waits_for_the_blocks_write():
    with transaction.atomic(), batch.collect():
        with CaptureQueriesContext(connection) as sent:
            result = deliver_message.enqueue(message_id=7)
        assert len(sent) == 0
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.args_kwargs == {"args": [], "kwargs": {"message_id": 7}} and row.status == "READY"


@override_settings(TASKS=OURS)
def test_outside_a_block_the_task_row_is_written_at_once():
    with CaptureQueriesContext(connection) as sent:
        result = deliver_message.enqueue(message_id=8)
    assert len(sent) == 1 and DBTaskResult.objects.filter(pk=result.id).exists()


def test_the_row_is_the_one_the_stock_backend_writes():
    with override_settings(TASKS=STOCK):
        stock = DBTaskResult.objects.get(pk=deliver_message.enqueue(message_id=9).id)
    with override_settings(TASKS=OURS), batch.collect():
        ours_id = deliver_message.enqueue(message_id=9).id
    ours = DBTaskResult.objects.get(pk=ours_id)
    assert {f: getattr(ours, f) for f in COMPARED} == {f: getattr(stock, f) for f in COMPARED}
    assert ours.enqueued_at is not None
