"""The regulatory clock in service: decisions stop it, extensions move it, level 2 needs a supervisor."""

from datetime import timedelta

import pytest

from amends.assembly.testing import receive
from amends.core.errors import Conflict, Forbidden, RuleViolation
from amends.intake import services
from amends.intake.models import ClockExtension
from amends.recovery import services as recovery
from amends.recovery.models import Case, TimelineEntry


@pytest.fixture
def complaint(world, now):
    return receive(world.frontline, world.individual)


def test_a_decision_stops_the_clock_and_clears_the_case_deadline(world, complaint, now):
    services.complaint_decide(actor=world.handler, complaint_id=complaint.pk, decision="全额赔付")
    complaint.refresh_from_db()
    assert complaint.decided_at == now
    assert Case.objects.get(pk=complaint.case_id).due_at is None
    entry = TimelineEntry.objects.get(case=complaint.case, kind="decided")
    assert entry.data["within_deadline"] is True


def test_a_complaint_is_decided_once(world, complaint):
    services.complaint_decide(actor=world.handler, complaint_id=complaint.pk, decision="全额赔付")
    with pytest.raises(RuleViolation):
        services.complaint_decide(actor=world.handler, complaint_id=complaint.pk, decision="again")


@pytest.mark.parametrize("write", ["decide", "extend"])
def test_a_change_made_against_an_older_state_of_the_case_is_refused_and_nothing_is_written(world, complaint, write):
    shown = Case.objects.get(pk=complaint.case_id).version
    recovery.case_assign(actor=world.supervisor, case_id=complaint.case_id, owner=world.handler2)  # someone moves on
    with pytest.raises(Conflict) as refused:
        if write == "decide":
            services.complaint_decide(
                actor=world.handler, complaint_id=complaint.pk, decision="全额赔付", case_version=shown
            )
        else:
            services.complaint_extend(
                actor=world.handler, complaint_id=complaint.pk, level=1, reason="需鉴定", case_version=shown
            )
    assert refused.value.code == "stale_version"
    complaint.refresh_from_db()
    assert complaint.decided_at is None and complaint.extension_level == 0 and not ClockExtension.objects.exists()


def test_a_first_extension_with_a_reason_moves_the_deadline_to_30_days(world, complaint):
    ext = services.complaint_extend(
        actor=world.handler, complaint_id=complaint.pk, level=1, reason="需调取定损照片复核"
    )
    complaint.refresh_from_db()
    assert ext.status == "approved"
    assert complaint.due_at == complaint.received_at + timedelta(days=30)
    assert Case.objects.get(pk=complaint.case_id).due_at == complaint.due_at


def test_an_extension_needs_a_reason(world, complaint):
    with pytest.raises(RuleViolation) as err:
        services.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=1, reason=" ")
    assert "reason" in err.value.fields


def test_the_second_extension_cannot_come_first(world, complaint):
    with pytest.raises(RuleViolation) as err:
        services.complaint_extend(actor=world.supervisor, complaint_id=complaint.pk, level=2, reason="复杂")
    assert err.value.code == "extension_out_of_order"


class TestFurtherExtension:
    @pytest.fixture
    def extended(self, world, complaint):
        services.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=1, reason="需第三方鉴定")
        return complaint

    def test_a_handlers_request_waits_for_a_supervisor(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定机构排期")
        extended.refresh_from_db()
        assert ext.status == "pending" and extended.extension_level == 1

    def test_a_supervisor_approves_it_and_the_deadline_moves_30_more_days(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定机构排期")
        services.extension_decide(actor=world.supervisor, extension_id=ext.pk, approve=True, note="同意")
        extended.refresh_from_db()
        assert extended.extension_level == 2
        assert extended.due_at == extended.received_at + timedelta(days=60)

    def test_a_rejected_request_leaves_the_deadline_and_may_be_asked_again(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期")
        services.extension_decide(actor=world.supervisor, extension_id=ext.pk, approve=False, note="请加快")
        extended.refresh_from_db()
        assert extended.extension_level == 1
        again = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定报告延迟")
        assert again.status == "pending"

    def test_a_handler_cannot_approve(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期")
        with pytest.raises(Forbidden):
            services.extension_decide(actor=world.handler2, extension_id=ext.pk, approve=True)

    def test_a_supervisors_own_request_is_approved_as_recorded(self, world, extended):
        ext = services.complaint_extend(actor=world.supervisor, complaint_id=extended.pk, level=2, reason="重大疑难")
        assert ext.status == "approved" and ext.decided_by == world.supervisor

    def test_only_one_request_waits_at_a_time(self, world, extended):
        services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期")
        with pytest.raises(RuleViolation) as err:
            services.complaint_extend(actor=world.handler2, complaint_id=extended.pk, level=2, reason="再次")
        assert err.value.code == "extension_pending"
        assert ClockExtension.objects.filter(complaint=extended, level=2).count() == 1
