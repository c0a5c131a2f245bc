"""approval_decide and escalation: the approver decides within their own authority, the requester and the
timeline hear at once; unanswered past the deadline (four working hours) it moves one level up."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from amends.assembly.testing import at, make_world, receive
from amends.core import clock
from amends.core.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from amends.discretion import services
from amends.discretion.models import Approval, DiscretionRequest, LedgerEntry
from amends.discretion.tasks import escalate_approvals
from amends.recovery.models import TimelineEntry
from amends.warning.models import Alert

from .helpers import ask, online_case, set_policies


@pytest.fixture
def waiting(world, now):
    set_policies(world)
    case = online_case(world)
    return case, ask(world, case, "3000").approval


pytestmark = pytest.mark.django_db


class TestDecide:
    def test_the_supervisor_approves_and_everyone_sees_it(self, world, waiting):
        case, approval = waiting
        with clock.frozen(at("2026-11-02 11:30")):
            services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="approve", note="同意")
        request = DiscretionRequest.objects.get()
        assert request.status == "approved" and request.decision_seconds == 5400
        entry = LedgerEntry.objects.get(outcome="approved")
        assert (entry.actor, entry.role, entry.amount) == (world.supervisor, "supervisor", Decimal("3000"))
        assert entry.policy.role == "supervisor" and entry.approval_id == approval.pk
        events = list(TimelineEntry.objects.filter(case=case, kind="discretion").values_list("data__event", flat=True))
        assert events == ["pending_approval", "approved"]
        told = Alert.objects.get(rule="discretion_decided")
        assert told.owner == world.frontline and "赵敏" in told.title
        assert Alert.objects.get(rule="discretion_approval").status == "resolved"

    def test_a_rejection_needs_a_note_for_the_customer(self, world, waiting):
        _case, approval = waiting
        with pytest.raises(InvalidInput) as err:
            services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="reject")
        assert "note" in err.value.fields
        services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="reject", note="客户有过错")
        assert DiscretionRequest.objects.get().status == "rejected"
        assert LedgerEntry.objects.filter(outcome="rejected", note="客户有过错").exists()

    def test_it_is_decided_once(self, world, waiting):
        _case, approval = waiting
        services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="approve")
        with pytest.raises(Conflict):
            services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="reject", note="x")

    def test_only_the_approver_it_waits_on_decides(self, world, waiting):
        _case, approval = waiting
        with pytest.raises(Forbidden):
            services.approval_decide(actor=world.admin, approval_id=approval.pk, decision="approve")
        with pytest.raises(Forbidden):
            services.approval_decide(actor=world.handler, approval_id=approval.pk, decision="approve")

    def test_an_approver_beyond_their_own_budget_cannot_approve(self, world, waiting):
        _case, approval = waiting
        services.policy_set(
            actor=world.admin,
            role="supervisor",
            org_unit_id=world.guangdong.pk,
            kind="waiver",
            per_action_limit="5000",
            actor_budget="2000",
        )
        with pytest.raises(RuleViolation) as err:
            services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="approve")
        assert err.value.code == "beyond_authority"
        assert Approval.objects.get().status == "pending"


class TestEscalation:
    def test_nothing_moves_before_the_deadline(self, world, waiting):
        with clock.frozen(at("2026-11-02 13:59")):
            assert services.approvals_escalate_overdue(now=clock.now()) == 0

    def test_past_four_working_hours_it_goes_one_level_up(self, world, waiting):
        case, approval = waiting
        with clock.frozen(at("2026-11-02 14:01")):
            assert escalate_approvals.call() == {"escalated": 1}
        old, new = Approval.objects.order_by("level")
        assert old.status == "escalated" and (new.approver, new.level, new.status) == (world.admin, 2, "pending")
        # 14:01 plus four working hours: 18:00 ends the day after 3h59m, the last minute is Tuesday 9:01.
        assert new.due_at == at("2026-11-03 09:01")
        line = TimelineEntry.objects.filter(case=case, kind="discretion").last()
        assert line.data["event"] == "escalated" and line.data["approver"] == world.admin.pk
        assert Alert.objects.get(rule="discretion_approval", subject_id=str(new.pk)).owner == world.admin
        with pytest.raises(Conflict) as err:
            services.approval_decide(actor=world.supervisor, approval_id=approval.pk, decision="approve")
        assert err.value.code == "escalated"
        services.approval_decide(actor=world.admin, approval_id=new.pk, decision="approve")
        assert DiscretionRequest.objects.get().status == "approved"

    def test_a_friday_evening_request_waits_for_monday(self, world):
        with clock.frozen(at("2026-11-06 17:00")):
            set_policies(world)
            approval = ask(world, online_case(world), "3000").approval
        assert approval.due_at == at("2026-11-09 12:00")
        with clock.frozen(at("2026-11-08 20:00")):
            assert services.approvals_escalate_overdue(now=clock.now()) == 0

    def test_at_the_top_it_stays_put_with_a_fresh_deadline(self, world, now):
        set_policies(world)
        approval = ask(world, online_case(world), "8000").approval
        assert approval.approver == world.admin
        with clock.frozen(at("2026-11-02 15:00")):
            assert services.approvals_escalate_overdue(now=clock.now()) == 0
        approval.refresh_from_db()
        assert approval.status == "pending" and approval.due_at == at("2026-11-03 10:00")


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_never_together_exceed_a_budget():
    """Both ask for ¥300 with ¥500 of the month's budget left, on two customers' cases (so no case lock
    orders them): one is granted, the other goes for approval."""
    world = make_world()
    with clock.frozen(at("2026-11-02 10:00")):
        set_policies(world, frontline_budget="500")
        cases = [online_case(world), receive(world.frontline, world.individual, claim_no="CL2").case]
    barrier = threading.Barrier(2)
    errors = []

    def submit(case):
        try:
            barrier.wait(timeout=10)
            ask(world, case, "300")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(case,)) for case in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(DiscretionRequest.objects.values_list("status", flat=True)) == ["granted", "pending_approval"]
    granted = sum(e.amount for e in LedgerEntry.objects.filter(outcome="granted"))
    assert granted == Decimal("300")


def test_every_discretion_service_writes_its_audit_entries(world, now):
    from amends.audit.models import AuditEntry

    set_policies(world)
    case = online_case(world)
    approval = ask(world, case, "3000").approval
    with clock.frozen(at("2026-11-02 15:00")):
        services.approvals_escalate_overdue(now=clock.now())
    top = Approval.objects.get(status="pending")
    services.approval_decide(actor=world.admin, approval_id=top.pk, decision="approve")
    services.discretion_grant_system(customer_id=world.online.pk, amount="10", reason="谢谢", source_ref="t-1")
    seen = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "policy.set",
        "discretion.request",
        "approval.escalate",
        "approval.assign",
        "approval.approve",
        "discretion.system_grant",
    } <= seen
    assert AuditEntry.objects.get(action="approval.escalate").object_id == str(approval.pk)
