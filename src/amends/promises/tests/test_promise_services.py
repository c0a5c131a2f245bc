"""promise_make and promise_settle: recorded, settled once, renegotiated only with consent, history kept."""

from datetime import timedelta

import pytest

from amends.assembly.testing import receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import Conflict, InvalidInput, RuleViolation
from amends.promises import services
from amends.promises.models import PromiseRevision
from amends.recovery.models import TimelineEntry


@pytest.fixture
def case(world, now):
    return receive(world.frontline, world.individual).case


def make(world, case, now, **kw):
    values = dict(
        actor=world.handler,
        customer_id=world.individual.pk,
        case_id=case.pk,
        text="定损员明天上午9点到现场",
        due_at=now + timedelta(hours=23),
        channel="hotline",
        touchpoint="auto_claim.assessment",
    )
    values.update(kw)
    return services.promise_make(**values)


def test_a_promise_is_recorded_with_its_history_audit_and_case_timeline(world, case, now):
    promise = make(world, case, now)
    assert (promise.status, promise.due_at, promise.first_due_at) == (
        "open",
        now + timedelta(hours=23),
        now + timedelta(hours=23),
    )
    assert promise.org_unit == world.shenzhen and promise.made_by == world.handler
    assert list(promise.revisions.values_list("kind", flat=True)) == ["made"]
    assert AuditEntry.objects.filter(action="promise.make", object_id=str(promise.pk)).exists()
    entry = TimelineEntry.objects.get(case=case, kind="promise")
    assert entry.data["event"] == "made" and entry.text == "定损员明天上午9点到现场"


def test_bad_input_is_reported_field_by_field_and_nothing_is_written(world, case, now):
    with pytest.raises(InvalidInput) as err:
        make(
            world,
            case,
            now,
            customer_id=999999,
            text=" ",
            due_at=now - timedelta(minutes=1),
            channel="pigeon",
            touchpoint="nowhere.x",
        )
    assert set(err.value.fields) == {"customer.id", "text", "due_at", "channel", "touchpoint"}
    assert not PromiseRevision.objects.exists()


def test_a_case_of_another_customer_is_refused(world, case, now):
    with pytest.raises(InvalidInput) as err:
        make(world, case, now, customer_id=world.online.pk)
    assert "case" in err.value.fields


def test_kept_records_when_it_was_done(world, case, now):
    promise = make(world, case, now)
    with clock.frozen(now + timedelta(hours=20)):
        kept = services.promise_settle(actor=world.handler, promise_id=promise.pk, outcome="kept")
    assert (kept.status, kept.fulfilled_at) == ("kept", now + timedelta(hours=20))


def test_done_after_the_due_time_is_not_kept(world, case, now):
    promise = make(world, case, now)
    with clock.frozen(now + timedelta(hours=30)), pytest.raises(RuleViolation) as err:
        services.promise_settle(actor=world.handler, promise_id=promise.pk, outcome="kept")
    assert err.value.code == "promise_late"


def test_broken_may_say_when_it_was_done_after_all(world, case, now):
    promise = make(world, case, now)
    with clock.frozen(now + timedelta(hours=30)):
        broken = services.promise_settle(
            actor=world.handler,
            promise_id=promise.pk,
            outcome="broken",
            fulfilled_at=now + timedelta(hours=27),
            note="定损员下午才到",
        )
    assert (broken.status, broken.fulfilled_at) == ("broken", now + timedelta(hours=27))
    entry = TimelineEntry.objects.filter(case=case, kind="promise").last()
    assert entry.data["event"] == "broken" and entry.text == "定损员下午才到"


class TestRenegotiation:
    def test_a_new_due_time_with_consent_is_a_revision_not_an_edit(self, world, case, now):
        promise = make(world, case, now)
        later = now + timedelta(hours=27)
        moved = services.promise_settle(
            actor=world.handler,
            promise_id=promise.pk,
            outcome="renegotiated",
            new_due_at=later,
            customer_consent=True,
            note="客户同意改到下午1点",
        )
        assert (moved.status, moved.due_at, moved.first_due_at, moved.renegotiations) == (
            "open",
            later,
            now + timedelta(hours=23),
            1,
        )
        history = list(moved.revisions.values_list("kind", "due_at", "customer_consent"))
        assert history == [("made", now + timedelta(hours=23), False), ("renegotiated", later, True)]

    def test_without_the_customers_consent_it_is_refused(self, world, case, now):
        promise = make(world, case, now)
        with pytest.raises(InvalidInput) as err:
            services.promise_settle(
                actor=world.handler, promise_id=promise.pk, outcome="renegotiated", new_due_at=now + timedelta(days=2)
            )
        assert "customer_consent" in err.value.fields

    def test_the_new_due_time_is_in_the_future(self, world, case, now):
        promise = make(world, case, now)
        with pytest.raises(InvalidInput) as err:
            services.promise_settle(
                actor=world.handler,
                promise_id=promise.pk,
                outcome="renegotiated",
                new_due_at=now - timedelta(hours=1),
                customer_consent=True,
            )
        assert "new_due_at" in err.value.fields


def test_a_settled_promise_is_settled_once(world, case, now):
    promise = make(world, case, now)
    services.promise_settle(actor=world.handler, promise_id=promise.pk, outcome="broken")
    with pytest.raises(RuleViolation):
        services.promise_settle(actor=world.handler, promise_id=promise.pk, outcome="kept")


def test_a_stale_version_is_refused(world, case, now):
    promise = make(world, case, now)
    services.promise_settle(
        actor=world.handler,
        promise_id=promise.pk,
        outcome="renegotiated",
        new_due_at=now + timedelta(days=2),
        customer_consent=True,
        version=promise.version,
    )
    with pytest.raises(Conflict):
        services.promise_settle(actor=world.handler2, promise_id=promise.pk, outcome="kept", version=promise.version)


def test_the_audit_entry_shows_before_and_after(world, case, now):
    promise = make(world, case, now)
    services.promise_settle(actor=world.handler, promise_id=promise.pk, outcome="broken")
    entry = AuditEntry.objects.get(action="promise.broken")
    assert (entry.before["status"], entry.after["status"]) == ("open", "broken")
