"""Open cases per owner, kept by database triggers: always what counting the cases gives, however they change."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from amends.assembly.testing import make_world, receive
from amends.customers.models import Customer
from amends.recovery import owner_load, services
from amends.recovery.models import IS_OPEN, Case, CaseStatus, OwnerLoad


def kept() -> dict[int, int]:
    rows = OwnerLoad.objects.values("owner_id").annotate(n=Sum("open_cases")).exclude(n=0)
    return {r["owner_id"]: r["n"] for r in rows}


def counted() -> dict[int, int]:
    """From the case rows themselves."""
    rows = Case.objects.filter(IS_OPEN, owner__isnull=False).values("owner_id").annotate(n=Count("id"))
    return {r["owner_id"]: r["n"] for r in rows}


def bare_case(customer: Customer, owner_id: int | None, now, status: str = CaseStatus.OPEN) -> Case:
    return Case(
        customer=customer,
        org_unit=customer.org_unit,
        owner_id=owner_id,
        episode_key=f"bare:{owner_id}:{status}",
        status=status,
        opened_at=now,
        closed_at=now if status == CaseStatus.CLOSED else None,
    )


def test_the_triggers_treat_closed_as_the_models_do():
    assert owner_load.CLOSED == CaseStatus.CLOSED


def test_complaints_reassignment_and_bulk_changes_are_all_counted(world, now):
    first = receive(world.frontline, world.individual).case
    second = receive(world.frontline, world.individual, claim_no="CL2026110200777").case
    assert kept() == counted() and sum(kept().values()) == 2

    other = world.handler2 if first.owner == world.handler else world.handler
    services.case_assign(actor=world.supervisor, case_id=first.pk, owner=other)
    assert kept() == counted()

    # Bulk paths the services do not see: several rows in one statement, in and out of the open load.
    Case.objects.bulk_create(
        [
            bare_case(world.individual, world.handler.pk, now),
            bare_case(world.individual, world.handler2.pk, now),
            bare_case(world.individual, world.handler2.pk, now, CaseStatus.CLOSED),
            bare_case(world.individual, None, now),
        ]
    )
    assert kept() == counted()
    Case.objects.filter(pk=second.pk).update(status=CaseStatus.CLOSED, closed_at=now)
    assert kept() == counted()
    Case.objects.filter(owner=world.handler2).update(owner=world.handler)
    assert kept() == counted() and set(kept()) == {world.handler.pk}
    Case.objects.filter(pk=second.pk).update(status=CaseStatus.FOLLOW_UP, closed_at=None)  # reopened
    assert kept() == counted()
    Case.objects.filter(episode_key__startswith="bare:").delete()
    assert kept() == counted()
    Case.objects.filter(owner__isnull=False).update(priority_score=50)  # changes no one's load
    assert kept() == counted()


def test_the_lighter_handler_gets_the_new_case(world, now):
    Case.objects.bulk_create([bare_case(world.individual, world.handler.pk, now) for _ in range(3)])
    assert kept()[world.handler.pk] == 3
    case = receive(world.frontline, world.individual).case
    assert case.owner == world.handler2
    assert kept() == {world.handler.pk: 3, world.handler2.pk: 1}


def test_missing_triggers_are_made_again_after_migrate_and_the_counts_redone(world, now):
    receive(world.frontline, world.individual)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER with deferred checks pending
        for statement in owner_load._drops(connection.vendor):
            cursor.execute(statement)
    Case.objects.bulk_create([bare_case(world.individual, world.handler.pk, now)])
    assert kept() != counted()  # changed while nothing counted

    owner_load.install(connection)
    assert kept() == counted()
    Case.objects.bulk_create([bare_case(world.individual, world.handler2.pk, now)])
    assert kept() == counted()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_cases_given_to_one_handler_at_the_same_moment_do_not_wait_for_each_other():
    """Concurrent complaints pick the same lightest handler: the second adds to another slot at once instead of
    queueing behind the first one's commit."""
    world = make_world()
    first_in, first_may_commit = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def first() -> None:
        try:
            with transaction.atomic():
                Case.objects.bulk_create([bare_case(world.individual, world.handler.pk, timezone.now())])
                first_in.set()
                first_may_commit.wait(10)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    holder = threading.Thread(target=first)
    holder.start()
    assert first_in.wait(10)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Case.objects.bulk_create([bare_case(world.individual, world.handler.pk, timezone.now())])
    finally:
        first_may_commit.set()
        holder.join(10)
    assert errors == []
    assert kept() == counted() == {world.handler.pk: 2}
    assert OwnerLoad.objects.filter(owner=world.handler).count() == 2  # two slots
