"""Facts stay true to their sources: every write to a complaint, case, step or failure is noted by the database
triggers, whichever path made it, and bringing the facts up to date gives exactly what a full rebuild gives."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from amends.assembly.testing import at
from amends.customers.models import Policy, Segment
from amends.insights import facts
from amends.insights.models import CaseFact, ComplaintFact, FailureFact, FollowUpFact, Memo, Stale, TermFact
from amends.intake.models import Complaint
from amends.recovery.models import Case, Failure
from amends.warning.tests.helpers import ev, ingest

from . import history

FACTS = (ComplaintFact, CaseFact, FailureFact, FollowUpFact, TermFact)


def snapshot() -> dict[str, list[tuple]]:
    return {
        fact.__name__: sorted(fact.objects.values_list(*[f.attname for f in fact._meta.concrete_fields]))
        for fact in FACTS
    }


def rebuilt() -> dict[str, list[tuple]]:
    facts.rebuild()
    return snapshot()


@pytest.fixture
def data(world, now):
    built = history.build(world)
    facts.bring_up_to_date()
    return built


def test_each_source_row_has_its_fact(world, data):
    assert ComplaintFact.objects.count() == Complaint.objects.count() > 0
    assert CaseFact.objects.count() == Case.objects.count()
    assert FailureFact.objects.count() == Failure.objects.count()
    assert not Stale.objects.exists()
    assert snapshot() == rebuilt()


def test_a_decision_is_noted_and_counted(world, data):
    complaint = Complaint.objects.filter(decided_at__isnull=True).first()
    assert ComplaintFact.objects.get(pk=complaint.pk).resolution_s is None
    Complaint.objects.filter(pk=complaint.pk).update(decided_at=complaint.received_at + timedelta(days=3))
    assert Stale.objects.filter(kind="complaint", ref=complaint.pk).exists()
    assert facts.bring_up_to_date() > 0
    assert ComplaintFact.objects.get(pk=complaint.pk).resolution_s == 3 * 86400
    assert snapshot() == rebuilt()


def test_a_bulk_update_of_many_rows_is_noted_in_one_go(world, data):
    """A queryset update (one statement for every case) is seen too: statement triggers on PostgreSQL."""
    Case.objects.update(org_unit=world.beijing)
    facts.bring_up_to_date()
    assert set(ComplaintFact.objects.values_list("unit_id", flat=True)) == {world.beijing.pk}
    assert set(FailureFact.objects.values_list("unit_id", flat=True)) == {world.beijing.pk}
    assert snapshot() == rebuilt()


def test_an_earlier_failure_makes_a_later_one_a_repeat(world, data):
    later = Failure.objects.order_by("occurred_at").last()
    Failure.objects.create(
        case=later.case,
        customer=later.customer,
        touchpoint=later.touchpoint,
        source=later.source,
        description="补录的更早一次失误",
        occurred_at=later.occurred_at - timedelta(days=1),
    )
    facts.bring_up_to_date()
    assert FailureFact.objects.get(pk=later.pk).repeat is True
    assert snapshot() == rebuilt()


def test_a_new_segment_moves_everything_of_the_customer(world, data):
    customer = Complaint.objects.first().customer
    new = Segment.KEY_ACCOUNT if customer.segment != Segment.KEY_ACCOUNT else Segment.ONLINE
    customer.segment = new
    customer.save(update_fields=["segment"])
    assert Stale.objects.filter(kind="customer", ref=customer.pk).exists()
    facts.bring_up_to_date()
    assert set(ComplaintFact.objects.filter(customer_id=customer.pk).values_list("segment", flat=True)) == {new}
    assert snapshot() == rebuilt()


def test_other_customer_changes_note_nothing(world, data):
    customer = Complaint.objects.first().customer
    customer.name = "改名不改分群"
    customer.save(update_fields=["name"])
    assert not Stale.objects.exists()


def test_a_deleted_complaint_loses_its_fact(world, data):
    complaint = Complaint.objects.order_by("pk").last()
    complaint.delete()
    facts.bring_up_to_date()
    assert not ComplaintFact.objects.filter(pk=complaint.pk).exists()
    assert snapshot() == rebuilt()


def test_reports_bring_the_facts_up_to_date_first(world, data):
    from amends.insights import queries

    before = queries.run(world.admin, "volume", history.PERIOD).section("trend").totals["complaints"]
    source = Complaint.objects.first()
    source.pk = None
    source.received_at, source.due_at = at("2026-10-15 09:00"), at("2026-10-30 09:00")
    source.idempotency_key = None
    source.save()
    after = queries.run(world.admin, "volume", history.PERIOD).section("trend").totals["complaints"]
    assert after == before + 1


def test_a_renewal_marks_the_term_it_renews(world, data):
    history.policies(world)
    facts.bring_up_to_date()
    old = Policy.objects.get(policy_no="PL1")
    assert TermFact.objects.get(pk=old.pk).renewed is False
    Policy.objects.create(
        policy_no="PL2",
        customer=old.customer,
        line=old.line,
        premium=old.premium,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        org_unit=old.org_unit,
        renewal_of=old,
    )
    facts.bring_up_to_date()
    assert TermFact.objects.get(pk=old.pk).renewed is True
    assert TermFact.objects.get(pk=old.pk).decided is True
    assert snapshot() == rebuilt()


def test_a_reported_lapse_decides_the_term(world, data):
    history.policies(world)
    facts.bring_up_to_date()
    term = Policy.objects.get(policy_no="PH1")
    assert TermFact.objects.get(pk=term.pk).decided is False
    ingest({**ev("policy.lapsed", at("2026-11-01 09:00"), claim=""), "policy_no": "PH1"})
    facts.bring_up_to_date()
    fact = TermFact.objects.get(pk=term.pk)
    assert (fact.decided, fact.renewed) == (True, False)
    assert snapshot() == rebuilt()


def test_the_policies_in_force_are_remembered_until_a_policy_changes(world, data):
    from amends.insights import queries

    history.policies(world)
    rates = queries.run(world.admin, "regulator", history.PERIOD).section("rates").rows[0]
    assert Memo.objects.exclude(key="generation").count() == 1
    Policy.objects.filter(policy_no="PH1").update(premium=Decimal("2800"))
    again = queries.run(world.admin, "regulator", history.PERIOD).section("rates").rows[0]
    assert Decimal(again["premium"]) == Decimal(rates["premium"]) + 1000


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL alters tables in place, keeping triggers")
def test_a_missing_trigger_is_put_back_after_migrate(world, data):
    """SQLite drops a table's triggers when a migration rebuilds it; the post_migrate install restores them."""
    from amends.insights import facts_triggers

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER insights_note_intake_complaint_update")
    facts_triggers.install(connection)
    complaint = Complaint.objects.first()
    Complaint.objects.filter(pk=complaint.pk).update(category="claims")
    assert Stale.objects.filter(kind="complaint", ref=complaint.pk).exists()
