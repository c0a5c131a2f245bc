"""The regulatory clock in service: decisions stop it, extensions move it before the due time only, level 2 is
decided by the superior institution or head-office senior management, never by who asked."""

import pytest
from django.test import override_settings

from amends.accounts.models import Role, User
from amends.assembly.testing import at, receive
from amends.core import clock
from amends.core.errors import Conflict, Forbidden, RuleViolation
from amends.intake import services
from amends.intake.models import ClockExtension, ComplaintNotice
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
                actor=world.handler, complaint_id=complaint.pk, level=1, reason="需第三方鉴定", case_version=shown
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
    assert complaint.due_at == at("2026-12-02 23:59:59")  # received 11-02: the 30th day after, to its end
    assert Case.objects.get(pk=complaint.case_id).due_at == complaint.due_at


@pytest.mark.parametrize("reason", [" ", "复杂"])
def test_an_extension_needs_a_reason_that_says_something(world, complaint, reason):
    with pytest.raises(RuleViolation) as err:
        services.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=1, reason=reason)
    assert "reason" in err.value.fields


def test_an_overdue_complaint_cannot_be_extended_after_the_fact(world, complaint):
    with clock.frozen(at("2026-11-18 00:00")), pytest.raises(Conflict) as err:
        services.complaint_extend(
            actor=world.handler, complaint_id=complaint.pk, level=1, reason="需调取行车记录仪视频"
        )
    assert err.value.code == "extension_after_due" and err.value.status == 409
    assert err.value.fields["due_at"] == ["2026-11-17T23:59:59+08:00"]
    complaint.refresh_from_db()
    assert complaint.extension_level == 0 and not ClockExtension.objects.exists()


@override_settings(
    AMENDS_WORKING_CALENDAR={
        "start": "09:00",
        "end": "18:00",
        "weekdays": [0, 1, 2, 3, 4],
        "holidays": ["2026-11-17"],
        "workdays": [],
    }
)
def test_a_deadline_on_a_holiday_moves_to_the_next_working_day(world, now):
    complaint = receive(world.frontline, world.individual)
    assert complaint.due_at == at("2026-11-18 23:59:59")


def test_the_second_extension_cannot_come_first(world, complaint):
    with pytest.raises(RuleViolation) as err:
        services.complaint_extend(actor=world.supervisor, complaint_id=complaint.pk, level=2, reason="重大疑难案件")
    assert err.value.code == "extension_out_of_order"


@pytest.fixture
def gd_supervisor(world):
    """A supervisor of the superior institution (the provincial branch above the handling city branch)."""
    return User.objects.create(username="gd_supervisor", role=Role.SUPERVISOR, org_unit=world.guangdong)


class TestFurtherExtension:
    @pytest.fixture
    def extended(self, world, complaint):
        services.complaint_extend(actor=world.handler, complaint_id=complaint.pk, level=1, reason="需第三方鉴定")
        return complaint

    def test_a_request_waits_for_a_decision(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定机构排期")
        extended.refresh_from_db()
        assert ext.status == "pending" and extended.extension_level == 1

    def test_the_superior_institution_approves_it_and_the_complainant_is_told(self, world, extended, gd_supervisor):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定机构排期")
        services.extension_decide(actor=gd_supervisor, extension_id=ext.pk, approve=True, note="同意")
        extended.refresh_from_db()
        assert extended.extension_level == 2
        assert extended.due_at == at("2027-01-01 23:59:59")  # 60 days after 11-02
        told = ComplaintNotice.objects.filter(complaint=extended, kind="extension").order_by("at", "pk").last()
        assert "2027-01-01" in told.text and "鉴定机构排期" in told.text

    def test_head_office_senior_management_may_approve_it(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定机构排期")
        assert services.extension_decide(actor=world.senior, extension_id=ext.pk, approve=True).status == "approved"

    def test_a_rejected_request_leaves_the_deadline_and_may_be_asked_again(self, world, extended):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期待定中")
        services.extension_decide(actor=world.supervisor, extension_id=ext.pk, approve=False, note="请加快")
        extended.refresh_from_db()
        assert extended.extension_level == 1
        again = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="鉴定报告延迟")
        assert again.status == "pending"

    @pytest.mark.parametrize("who", ["handler2", "supervisor", "quality"])
    def test_the_handling_unit_cannot_approve_it(self, world, extended, who):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期待定中")
        with pytest.raises(Forbidden) as err:
            services.extension_decide(actor=getattr(world, who), extension_id=ext.pk, approve=True)
        assert err.value.status == 403
        extended.refresh_from_db()
        assert extended.extension_level == 1

    def test_not_even_a_superior_may_approve_their_own_request(self, world, extended, gd_supervisor):
        ext = services.complaint_extend(actor=gd_supervisor, complaint_id=extended.pk, level=2, reason="重大疑难案件")
        assert ext.status == "pending"
        with pytest.raises(Forbidden):
            services.extension_decide(actor=gd_supervisor, extension_id=ext.pk, approve=True)

    def test_it_cannot_be_approved_after_the_due_time(self, world, extended, gd_supervisor):
        ext = services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期待定中")
        with clock.frozen(at("2026-12-03 00:00")), pytest.raises(Conflict) as err:
            services.extension_decide(actor=gd_supervisor, extension_id=ext.pk, approve=True)
        assert err.value.code == "extension_after_due"

    def test_only_one_request_waits_at_a_time(self, world, extended):
        services.complaint_extend(actor=world.handler, complaint_id=extended.pk, level=2, reason="排期待定中")
        with pytest.raises(RuleViolation) as err:
            services.complaint_extend(actor=world.handler2, complaint_id=extended.pk, level=2, reason="再次申请延期")
        assert err.value.code == "extension_pending"
        assert ClockExtension.objects.filter(complaint=extended, level=2).count() == 1
