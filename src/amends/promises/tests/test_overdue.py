"""An overdue promise is broken automatically: a reliability failure (gap 3) that opens or joins a case."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from amends.assembly.testing import make_world, receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.promises import services, tasks
from amends.promises.models import Promise
from amends.recovery.models import Case, Failure, TimelineEntry
from amends.warning.models import Alert


def promise(world, now, **kw):
    values = dict(
        actor=world.handler,
        customer_id=world.individual.pk,
        text="定损员明早9点到现场",
        due_at=now + timedelta(hours=23),
        channel="hotline",
        touchpoint="auto_claim.assessment",
    )
    values.update(kw)
    return services.promise_make(**values)


def test_a_promise_on_a_case_breaks_into_a_failure_on_that_case(world, now):
    case = receive(world.frontline, world.individual).case
    p = promise(world, now, case_id=case.pk)
    with clock.frozen(now + timedelta(hours=24)):
        assert services.promises_break_overdue(now=clock.now()) == 1
    p.refresh_from_db()
    assert (p.status, p.settled_at) == ("broken", now + timedelta(hours=24))
    assert list(p.revisions.values_list("kind", "actor")) == [("made", world.handler.pk), ("broken", None)]
    failure = Failure.objects.get()
    assert (failure.case_id, failure.dimension, failure.gap, failure.cause, failure.source, failure.source_ref) == (
        case.pk,
        "reliability",
        3,
        "company",
        "promise",
        f"promise:{p.pk}",
    )
    kinds = list(TimelineEntry.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == ["failure", "promise"]
    assert TimelineEntry.objects.filter(case=case, kind="promise").last().data["event"] == "broken"
    assert AuditEntry.objects.filter(action="promise.broken", actor=None).exists()
    assert Case.objects.count() == 1


def test_a_promise_without_a_case_opens_one_with_no_regulatory_clock(world, now):
    p = promise(world, now)
    with clock.frozen(now + timedelta(days=2)):
        services.promises_break_overdue(now=clock.now())
    p.refresh_from_db()
    case = Case.objects.get()
    assert p.case == case and case.customer == world.individual and case.due_at is None
    assert case.owner in (world.handler, world.handler2)
    assert list(case.timeline.values_list("kind", flat=True)) == ["failure", "assigned", "promise"]


def test_a_promise_on_a_closed_case_opens_a_new_one(world, now):
    case = receive(world.frontline, world.individual).case
    p = promise(world, now, case_id=case.pk)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=now)
    with clock.frozen(now + timedelta(days=2)):
        services.promises_break_overdue(now=clock.now())
    p.refresh_from_db()
    assert p.case_id != case.pk and Case.objects.count() == 2


def test_promises_not_yet_due_or_already_settled_are_left_alone(world, now):
    due_later = promise(world, now, due_at=now + timedelta(days=3))
    kept = promise(world, now)
    with clock.frozen(now + timedelta(hours=2)):
        services.promise_settle(actor=world.handler, promise_id=kept.pk, outcome="kept")
    with clock.frozen(now + timedelta(days=2)):
        assert services.promises_break_overdue(now=clock.now()) == 0
    assert set(Promise.objects.values_list("status", flat=True)) == {"open", "kept"}
    assert due_later.pk and not Failure.objects.exists()


def test_sweeping_twice_breaks_once(world, now):
    promise(world, now)
    with clock.frozen(now + timedelta(days=2)):
        assert services.promises_break_overdue(now=clock.now()) == 1
        assert services.promises_break_overdue(now=clock.now()) == 0
    assert Failure.objects.count() == 1


def test_a_renegotiated_promise_is_due_at_its_new_time(world, now):
    p = promise(world, now)
    services.promise_settle(
        actor=world.handler,
        promise_id=p.pk,
        outcome="renegotiated",
        new_due_at=now + timedelta(days=3),
        customer_consent=True,
    )
    with clock.frozen(now + timedelta(days=2)):
        assert services.promises_break_overdue(now=clock.now()) == 0


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "amends.core.task_queue.DatabaseQueue"}})
def test_the_database_worker_runs_the_sweep_for_real(now):
    # Committed data and a worker that opens and closes its own connections, as `amends worker` does.
    world = make_world()
    p = promise(world, now)
    with clock.frozen(now + timedelta(days=2)):
        result = tasks.sweep_promises.enqueue()
        assert Promise.objects.get(pk=p.pk).status == "open"  # queued, not yet run
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == {"broken": 1, "alerted": 0}
    assert Promise.objects.get(pk=p.pk).status == "broken"


class TestDueSoon:
    LEAD = timedelta(hours=2)

    def test_a_promise_due_within_the_lead_time_alerts_the_person_who_made_it_once(self, world, now):
        p = promise(world, now, due_at=now + timedelta(hours=3))
        with clock.frozen(now + timedelta(minutes=30)):
            assert services.promises_alert_due_soon(now=clock.now(), lead=self.LEAD) == 0  # 2 h 30 min away
        with clock.frozen(now + timedelta(hours=1, minutes=30)):
            assert services.promises_alert_due_soon(now=clock.now(), lead=self.LEAD) == 1
            assert services.promises_alert_due_soon(now=clock.now(), lead=self.LEAD) == 0
        alert = Alert.objects.get()
        assert (alert.rule, alert.owner, alert.subject_id, alert.status) == (
            "promise_due_soon",
            world.handler,
            str(p.pk),
            "open",
        )
        assert "张伟" in alert.title and "定损员明早9点到现场" in alert.title

    def test_keeping_the_promise_resolves_its_alert(self, world, now):
        p = promise(world, now, due_at=now + timedelta(hours=1))
        services.promises_alert_due_soon(now=now, lead=self.LEAD)
        services.promise_settle(actor=world.handler, promise_id=p.pk, outcome="kept")
        assert Alert.objects.get().status == "resolved"

    def test_breaking_it_at_the_due_time_resolves_the_alert_too(self, world, now):
        promise(world, now, due_at=now + timedelta(hours=1))
        services.promises_alert_due_soon(now=now, lead=self.LEAD)
        with clock.frozen(now + timedelta(hours=2)):
            services.promises_break_overdue(now=clock.now())
        assert Alert.objects.get().resolution == "broken"
