"""Foreign keys of an imported batch checked set-wise (PostgreSQL, where the role may skip the row triggers):
a reference to nothing still stops the batch, and the rows referred to are locked as the triggers would."""

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.db import connection, transaction

from amends.intake.importing.references import BrokenReference
from amends.intake.importing.transform import Record
from amends.intake.importing.writing import Context, prepare, write_batch
from amends.intake.models import Complaint

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-wise checks are PostgreSQL's")

RECEIVED = datetime(2025, 1, 2, tzinfo=UTC)


def batch(*touchpoints):
    return [
        Record(
            row=i + 2,
            external_ref=f"R{i}",
            received_at=RECEIVED,
            closed_at=RECEIVED + timedelta(days=9),
            values={"channel": "regulator", "description": "historical", "touchpoint": touchpoint},
        )
        for i, touchpoint in enumerate(touchpoints)
    ]


def context(world, now, **touchpoint_ids):
    return Context(
        source="mine",
        org_unit_id=world.head_office.pk,
        actor_id=world.admin.pk,
        now=now,
        decide_within=timedelta(days=15),
        touchpoint_ids=touchpoint_ids,
        set_wise_checks=True,
    )


def write(records, ctx):
    return write_batch(prepare(records, ctx, {}), ctx)


def replication_role():
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


def test_a_reference_to_a_row_that_does_not_exist_stops_the_batch_and_the_triggers_are_back_on(world, now):
    ctx = context(world, now, gone=2_000_000_000)  # a touchpoint id no row has
    refused = pytest.raises(BrokenReference, match=r"recovery_case\.touchpoint_id names no journeys_touchpoint")
    with refused, transaction.atomic():
        write(batch("", "gone"), ctx)
    assert not Complaint.objects.exists()
    assert replication_role() == "origin"


def test_a_batch_whose_references_all_exist_is_written_with_the_triggers_back_on(world, now):
    assert len(write(batch("", ""), context(world, now))) == 2
    assert Complaint.objects.filter(case__customer__source="mine", created_by=world.admin).count() == 2
    assert replication_role() == "origin"


@pytest.mark.django_db(transaction=True)
def test_rows_referred_to_outside_the_batch_stay_locked_until_it_commits(now):
    """What the row triggers guarantee: no one deletes the org unit or the importing user meanwhile."""
    from amends.assembly.testing import make_world

    world = make_world()
    params = connection.get_connection_params()
    with transaction.atomic():
        write(batch(""), context(world, now))
        with psycopg.connect(**params, autocommit=True) as other:
            for table, pk in (("accounts_orgunit", world.head_office.pk), ("accounts_user", world.admin.pk)):
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT 1 FROM accounts_orgunit WHERE id = %s FOR UPDATE NOWAIT", [world.head_office.pk])
