"""complaint_receive: one door for every channel; a case, a clock, a priority and an owner."""

import hashlib
import json
import threading
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from amends.assembly.testing import at, complaint_input, make_world, receive
from amends.audit.models import AuditEntry
from amends.core import clock
from amends.core.errors import Conflict, Forbidden, InvalidInput
from amends.customers.models import Customer
from amends.intake import services
from amends.intake.models import Complaint
from amends.recovery.models import Case, TimelineEntry


def test_a_complaint_opens_a_case_owned_by_a_handler_and_due_in_15_days(world, now):
    complaint = receive(world.frontline, world.individual)
    case = complaint.case
    assert complaint.received_at == now and complaint.due_at == at("2026-11-17 23:59:59")
    assert case.status == "open" and case.due_at == complaint.due_at
    assert case.owner in (world.handler, world.handler2)
    assert case.org_unit == world.nanshan
    assert complaint.reference == f"TS-2026-{complaint.pk:06d}" and case.reference == f"BJ-2026-{case.pk:06d}"


def test_the_timeline_starts_with_the_complaint_then_the_assignment(world, now):
    case = receive(world.frontline, world.individual).case
    kinds = list(TimelineEntry.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["complaint", "assigned", "message"]  # the receipt notice, sent by correspondence


def test_a_second_complaint_on_the_same_claim_joins_the_open_case(world, now):
    first = receive(world.frontline, world.individual)
    second = receive(world.frontline, world.individual, description="又打电话来问进度，没人回电。")
    assert second.case_id == first.case_id
    assert Case.objects.count() == 1


def test_a_complaint_about_another_claim_opens_its_own_case(world, now):
    first = receive(world.frontline, world.individual)
    other = receive(world.frontline, world.individual, claim_no="CL2026110200999")
    assert other.case_id != first.case_id


def test_a_complaint_after_the_case_closed_opens_a_new_case(world, now):
    from amends.recovery.models import CaseStatus

    first = receive(world.frontline, world.individual)
    Case.objects.filter(pk=first.case_id).update(status=CaseStatus.CLOSED, closed_at=now)
    again = receive(world.frontline, world.individual)
    assert again.case_id != first.case_id


def test_the_earliest_undecided_deadline_is_the_cases_deadline(world, now):
    first = receive(world.frontline, world.individual)
    with clock.frozen(now + timedelta(days=3)):
        receive(world.frontline, world.individual, description="第二次来电")
    assert Case.objects.get(pk=first.case_id).due_at == first.due_at


def test_a_receipt_time_in_the_past_starts_the_clock_then(world, now):
    complaint = receive(world.frontline, world.individual, received_at=at("2026-10-30 16:00"))
    assert complaint.due_at == at("2026-11-16 23:59:59")  # 11-14 is a Saturday: the next working day


class TestPriority:
    def test_the_factors_are_recorded_on_the_case(self, world, now):
        case = receive(world.handler, world.key_account, claim_no="", loss_amount=Decimal("12000")).case
        codes = {f["code"] for f in case.priority_factors}
        assert codes == {"segment", "customer_value", "loss_amount", "touchpoint_criticality"}

    def test_a_repeat_failure_within_90_days_raises_priority(self, world, now):
        with clock.frozen(now - timedelta(days=60)):
            receive(world.frontline, world.individual, claim_no="CL-OLD")
        case = receive(world.frontline, world.individual).case
        assert {"code": "repeat_failures", "points": 15, "value": "1"} in case.priority_factors

    def test_a_failure_older_than_90_days_is_not_a_repeat(self, world, now):
        with clock.frozen(now - timedelta(days=91)):
            receive(world.frontline, world.individual, claim_no="CL-OLD")
        case = receive(world.frontline, world.individual).case
        assert "repeat_failures" not in {f["code"] for f in case.priority_factors}

    def test_a_larger_loss_on_a_joining_complaint_raises_the_case_priority(self, world, now):
        first = receive(world.frontline, world.individual, loss_amount=Decimal("300"))
        receive(world.frontline, world.individual, loss_amount=Decimal("60000"))
        case = Case.objects.get(pk=first.case_id)
        assert {"code": "loss_amount", "points": 20, "value": "60000"} in case.priority_factors


class TestRecusal:
    """回避: nobody handles a case in which they are the subject."""

    def test_the_subject_of_the_complaint_is_not_assigned(self, world, now):
        # handler has no cases, handler2 has one: workload alone would pick handler.
        receive(world.frontline, world.online, claim_no="CL-X")
        busy = Case.objects.get().owner
        idle = world.handler2 if busy == world.handler else world.handler
        case = receive(world.frontline, world.individual, subject_username=idle.username).case
        assert case.owner == busy
        assert list(case.subjects.all()) == [idle]

    def test_a_complaint_about_the_current_owner_moves_the_case(self, world, now):
        case = receive(world.frontline, world.individual).case
        owner = case.owner
        receive(world.frontline, world.individual, subject_username=owner.username, description="对专员态度不满")
        case.refresh_from_db()
        assert case.owner is not None and case.owner != owner
        moved = TimelineEntry.objects.filter(case=case, kind="assigned").last()
        assert moved.data == {"owner": case.owner_id, "auto": True, "reason": "recusal"}

    def test_with_no_other_handler_the_case_waits_unassigned(self, world, now):
        world.handler2.is_active = False
        world.handler2.save()
        case = receive(world.frontline, world.individual, subject_username="handler").case
        assert case.owner is None


class TestCustomers:
    def test_a_new_customer_is_created_in_the_receiving_unit(self, world, now):
        data = complaint_input(
            None, new_customer=services.NewCustomer(name="周杰", phone="13612345678", segment="online"), claim_no=""
        )
        complaint, _ = services.complaint_receive(actor=world.frontline, data=data)
        assert complaint.customer.name == "周杰" and complaint.customer.org_unit == world.nanshan

    def test_a_policy_number_identifies_the_existing_customer(self, world, now):
        data = complaint_input(
            None, new_customer=services.NewCustomer(name="张伟"), policy_no=world.auto_policy.policy_no
        )
        complaint, _ = services.complaint_receive(actor=world.frontline, data=data)
        assert complaint.customer == world.individual and complaint.policy == world.auto_policy

    def test_the_same_name_and_phone_reuse_the_customer(self, world, now):
        data = complaint_input(None, new_customer=services.NewCustomer(name="张伟", phone="13800138000"))
        complaint, _ = services.complaint_receive(actor=world.frontline, data=data)
        assert complaint.customer == world.individual


class TestValidation:
    def test_all_problems_are_reported_at_once_and_nothing_is_written(self, world, now):
        before = (Complaint.objects.count(), Case.objects.count(), Customer.objects.count(), AuditEntry.objects.count())
        data = complaint_input(
            None,
            channel="pigeon",
            description=" ",
            request="",
            touchpoint="auto_claim.nowhere",
            policy_no="NOPE",
            new_customer=services.NewCustomer(name="", segment="vip", phone="12ab"),
        )
        with pytest.raises(InvalidInput) as err:
            services.complaint_receive(actor=world.frontline, data=data)
        assert set(err.value.fields) == {
            "customer.phone",
            "channel",
            "description",
            "request",
            "touchpoint",
            "policy_no",
            "customer.name",
            "customer.segment",
        }
        after = (Complaint.objects.count(), Case.objects.count(), Customer.objects.count(), AuditEntry.objects.count())
        assert after == before

    def test_a_receipt_time_in_the_future_is_refused(self, world, now):
        with pytest.raises(InvalidInput) as err:
            receive(world.frontline, world.individual, received_at=now + timedelta(hours=1))
        assert "received_at" in err.value.fields

    def test_a_policy_of_another_customer_is_refused(self, world, now):
        with pytest.raises(InvalidInput) as err:
            receive(world.frontline, world.online, policy_no=world.auto_policy.policy_no)
        assert "policy_no" in err.value.fields

    def test_a_customer_outside_the_actors_branch_is_not_found(self, world, now):
        with pytest.raises(InvalidInput) as err:
            receive(world.frontline, world.beijing_customer)
        assert "customer.id" in err.value.fields

    @pytest.mark.parametrize("customer_id", [-1, -2_147_000_000, 2**63, -(2**70)])  # the second: the id marker
    def test_an_id_no_customer_can_have_is_not_found(self, world, now, customer_id):
        with pytest.raises(InvalidInput) as err:
            receive(world.frontline, None, customer_id=customer_id)
        assert "customer.id" in err.value.fields

    def test_a_quality_manager_does_not_take_complaints(self, world, now):
        with pytest.raises(Forbidden):
            receive(world.quality, world.individual)


class TestIdempotency:
    def test_the_same_key_twice_gives_the_same_complaint(self, world, now):
        first, created1 = services.complaint_receive(
            actor=world.frontline, data=complaint_input(world.individual), idempotency_key="abc-1"
        )
        second, created2 = services.complaint_receive(
            actor=world.frontline, data=complaint_input(world.individual), idempotency_key="abc-1"
        )
        assert (created1, created2) == (True, False) and first.pk == second.pk
        assert Complaint.objects.count() == 1

    def test_the_same_key_for_a_different_complaint_is_a_conflict(self, world, now):
        services.complaint_receive(
            actor=world.frontline, data=complaint_input(world.individual), idempotency_key="abc-2"
        )
        with pytest.raises(Conflict) as err:
            services.complaint_receive(
                actor=world.frontline, data=complaint_input(world.individual, request="别的"), idempotency_key="abc-2"
            )
        assert err.value.code == "idempotency_key_reused"

    def test_another_user_replaying_a_key_gets_a_conflict_not_the_complaint(self, world, now):
        services.complaint_receive(actor=world.frontline, data=complaint_input(world.individual), idempotency_key="k-9")
        with pytest.raises(Conflict):
            services.complaint_receive(
                actor=world.handler, data=complaint_input(world.individual), idempotency_key="k-9"
            )


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_the_same_moment_make_one_complaint():
    world = make_world()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(
                services.complaint_receive(
                    actor=world.frontline, data=complaint_input(world.individual), idempotency_key="same-moment"
                )
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [getattr(e, "fields", e) for e in errors] == []
    assert len({c.pk for c, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]
    assert Complaint.objects.count() == 1 and Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_complaints_of_one_customer_at_the_same_moment_share_one_case():
    world = make_world()
    barrier = threading.Barrier(2)
    errors = []

    def submit(n):
        try:
            barrier.wait(timeout=10)
            services.complaint_receive(
                actor=world.frontline,
                data=complaint_input(world.individual, request=f"诉求{n}"),
                idempotency_key=f"k{n}",
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert [getattr(e, "fields", e) for e in errors] == []
    assert Complaint.objects.count() == 2 and Case.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        services.ComplaintInput(channel="hotline", description="没人回电", request="回电", customer_id=7),
        services.ComplaintInput(
            channel="regulator",
            description="理赔拖延",
            request="尽快赔付",
            new_customer=services.NewCustomer("张三", "13800000000", "z@example.cn"),
            received_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
            loss_amount=Decimal("1200.50"),
            regulator_ref="12378-1",
            extra={"ignored": True},
        ),
    ],
)
def test_the_request_digest_stays_what_stored_complaints_were_given(data):
    """A replayed key is compared with the digest stored with its complaint: the same input, the same digest."""
    payload = asdict(data)  # how every stored digest was made
    payload.pop("extra")
    stored = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    assert data.digest() == stored
