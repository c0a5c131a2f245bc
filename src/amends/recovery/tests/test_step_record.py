"""step_record: the five steps in order, skips with reasons, follow-up that closes or reopens, no silent overwrite."""

from datetime import timedelta

import pytest

from amends.assembly.testing import decide, receive
from amends.core import clock
from amends.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from amends.recovery import services
from amends.recovery.models import Case, CaseStep, Step, TimelineEntry


@pytest.fixture
def case(world, now):
    return receive(world.frontline, world.individual).case


def record(world, case, step, note="已处理", **kw):
    return services.step_record(actor=world.handler, case_id=case.pk, step=step, note=note, **kw)


def through_atonement(world, case):
    for step in ("apology", "fix", "empathy", "atonement"):
        record(world, case, step)


def decide_all(world, case):
    for complaint in case.complaints.all():
        decide(world.handler, complaint)


def test_the_apology_is_recorded_with_actor_time_and_words(world, case, now):
    row = record(world, case, "apology", note="代表公司向张先生致歉：换件清单漏注交残零件是我们的差错。")
    assert (row.step, row.actor, row.at, row.round) == ("apology", world.handler, now, 1)
    case.refresh_from_db()
    assert case.status == "in_progress" and case.timing == "after_process"
    assert TimelineEntry.objects.filter(case=case, kind="step", data__step="apology").count() == 1


def test_a_step_out_of_order_is_refused_with_the_step_expected(world, case):
    with pytest.raises(RuleViolation) as err:
        record(world, case, "fix")
    assert err.value.code == "step_out_of_order"
    assert str(Step.APOLOGY.label) in err.value.detail
    assert not CaseStep.objects.filter(case=case).exists()


def test_the_apology_cannot_be_skipped(world, case):
    with pytest.raises(RuleViolation) as err:
        record(world, case, "apology", skipped_reason="客户不需要")
    assert err.value.code == "step_cannot_be_skipped"


def test_a_step_may_be_skipped_with_a_reason(world, case):
    record(world, case, "apology")
    row = record(world, case, "fix", note="", skipped_reason="无需修复：客户仅咨询进度")
    assert row.skipped and row.skipped_reason == "无需修复：客户仅咨询进度"
    assert TimelineEntry.objects.filter(case=case, kind="step_skipped").count() == 1


def test_a_skip_without_a_reason_is_refused(world, case):
    record(world, case, "apology")
    with pytest.raises(InvalidInput) as err:
        record(world, case, "fix", note="", skipped_reason="  ")
    assert "skipped_reason" in err.value.fields


def test_a_step_needs_a_note(world, case):
    with pytest.raises(InvalidInput) as err:
        record(world, case, "apology", note=" ")
    assert "note" in err.value.fields


def test_a_step_recorded_twice_is_refused(world, case):
    record(world, case, "apology")
    with pytest.raises(RuleViolation) as err:
        record(world, case, "apology")
    assert err.value.code == "step_already_recorded"


def test_after_the_atonement_the_case_awaits_follow_up(world, case):
    through_atonement(world, case)
    case.refresh_from_db()
    assert case.status == "follow_up"


def test_the_timing_mode_is_recorded_once(world, case):
    record(world, case, "apology", timing="in_process")
    record(world, case, "fix", timing="after_process")
    case.refresh_from_db()
    assert case.timing == "in_process"


class TestFollowUp:
    def test_a_case_cannot_be_closed_before_its_follow_up(self, world, case):
        through_atonement(world, case)
        case.refresh_from_db()
        assert case.is_open and case.closed_at is None

    def test_the_follow_up_needs_an_outcome(self, world, case):
        through_atonement(world, case)
        with pytest.raises(InvalidInput) as err:
            record(world, case, "follow_up")
        assert "outcome" in err.value.fields

    @pytest.mark.parametrize("outcome", ["recovered", "unreachable", "not_recovered"])
    def test_no_follow_up_while_a_complaint_is_undecided(self, world, case, outcome):
        through_atonement(world, case)
        with pytest.raises(RuleViolation) as err:
            record(world, case, "follow_up", outcome=outcome)
        assert err.value.code == "complaint_undecided"

    def test_the_follow_up_form_says_why_and_links_to_the_decision(self, world, case, client):
        through_atonement(world, case)
        client.force_login(world.handler)
        client.cookies["django_language"] = "en"
        complaint = case.complaints.get()
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "before following up" in page and f'href="#decide-{complaint.pk}"' in page
        assert f'id="decide-{complaint.pk}"' in page
        decide_all(world, case)
        assert "before following up" not in client.get(f"/cases/{case.pk}/").content.decode()

    def test_a_confirmed_recovery_closes_the_case(self, world, case, now):
        through_atonement(world, case)
        decide_all(world, case)
        row = record(world, case, "follow_up", note="回访：客户确认已全额赔付，表示满意。", outcome="recovered")
        case.refresh_from_db()
        assert row.outcome == "recovered"
        assert (case.status, case.closure, case.closed_at) == ("closed", "recovered", now)

    def test_an_unreached_customer_closes_only_after_the_configured_attempts(self, world, case, settings):
        settings.AMENDS_FOLLOW_UP_MAX_ATTEMPTS = 3
        through_atonement(world, case)
        decide_all(world, case)
        for attempt in range(3):
            row = record(world, case, "follow_up", note=f"第{attempt + 1}次回访未接通", outcome="unreachable")
            case.refresh_from_db()
            assert case.is_open == (attempt < 2)
        assert row is not None and case.closure == "unreachable"

    def test_not_recovered_reopens_the_case_in_a_new_round_starting_with_an_apology(self, world, case):
        through_atonement(world, case)
        decide_all(world, case)
        row = record(world, case, "follow_up", note="客户仍不满意：赔款未到账", outcome="not_recovered")
        # The round's follow-up stands as a step: the recovery rate counts it as not recovered.
        assert row is not None and (row.round, row.outcome) == (1, "not_recovered")
        case.refresh_from_db()
        assert (case.round, case.status) == (2, "in_progress")
        assert TimelineEntry.objects.filter(case=case, kind="reopened").exists()
        with pytest.raises(RuleViolation):
            record(world, case, "fix")
        assert record(world, case, "apology").round == 2
        assert CaseStep.objects.filter(case=case, round=1).count() == 5

    def test_a_closed_case_takes_no_more_steps(self, world, case):
        through_atonement(world, case)
        decide_all(world, case)
        record(world, case, "follow_up", outcome="recovered")
        with pytest.raises(RuleViolation) as err:
            record(world, case, "apology")
        assert err.value.code == "case_closed"


class TestConcurrentEditors:
    def test_a_stale_version_is_refused_and_nothing_is_written(self, world, case):
        seen = Case.objects.get(pk=case.pk).version
        record(world, case, "apology", version=seen)
        with pytest.raises(Conflict) as err:
            services.step_record(actor=world.handler2, case_id=case.pk, step="fix", note="我也在处理", version=seen)
        assert err.value.code == "stale_version"
        assert CaseStep.objects.filter(case=case).count() == 1

    def test_every_change_bumps_the_version(self, world, case):
        v0 = Case.objects.get(pk=case.pk).version
        record(world, case, "apology")
        assert Case.objects.get(pk=case.pk).version == v0 + 1


def test_the_immediate_recovery_form_records_four_steps_on_the_spot(world, case):
    notes = {
        "apology": "当场致歉",
        "fix": "当场补录残值回收",
        "empathy": "理解客户白跑一趟",
        "atonement": "赠送洗车券一张",
    }
    rows = services.recovery_on_the_spot(actor=world.frontline, case_id=case.pk, notes=notes)
    case.refresh_from_db()
    assert [r.step for r in rows] == ["apology", "fix", "empathy", "atonement"]
    assert (case.timing, case.status) == ("immediate", "follow_up")


def test_the_immediate_form_is_all_or_nothing(world, case):
    notes = {"apology": "当场致歉", "fix": "", "empathy": "理解", "atonement": "券"}
    with pytest.raises(InvalidInput):
        services.recovery_on_the_spot(actor=world.frontline, case_id=case.pk, notes=notes)
    assert not CaseStep.objects.filter(case=case).exists()


def test_a_quality_manager_reads_cases_but_records_no_steps(world, case):
    with pytest.raises(Forbidden):
        services.step_record(actor=world.quality, case_id=case.pk, step="apology", note="x")


class TestAssignment:
    def test_a_supervisor_reassigns_a_case(self, world, case):
        other = world.handler2 if case.owner == world.handler else world.handler
        services.case_assign(actor=world.supervisor, case_id=case.pk, owner=other)
        case.refresh_from_db()
        assert case.owner == other

    def test_the_subject_of_the_complaint_cannot_be_given_the_case(self, world, now):
        case = receive(world.frontline, world.individual, subject_username="handler").case
        with pytest.raises(RuleViolation) as err:
            services.case_assign(actor=world.supervisor, case_id=case.pk, owner=world.handler)
        assert err.value.code == "owner_is_subject"

    def test_a_handler_cannot_reassign(self, world, case):
        with pytest.raises(Forbidden):
            services.case_assign(actor=world.handler, case_id=case.pk, owner=world.handler2)

    def test_a_frontline_agent_cannot_own_a_case(self, world, case):
        with pytest.raises(InvalidInput):
            services.case_assign(actor=world.supervisor, case_id=case.pk, owner=world.frontline)


def test_steps_keep_their_own_times(world, case, now):
    record(world, case, "apology")
    with clock.frozen(now + timedelta(hours=2)):
        record(world, case, "fix")
    times = list(CaseStep.objects.filter(case=case).order_by("at").values_list("at", flat=True))
    assert times == [now, now + timedelta(hours=2)]


def test_another_branch_cannot_record_a_step_even_by_calling_the_service(world, case):
    with pytest.raises(NotFound):
        services.step_record(actor=world.beijing_handler, case_id=case.pk, step="apology", note="x")
    with pytest.raises(NotFound):
        services.recovery_on_the_spot(actor=world.beijing_handler, case_id=case.pk, notes={})
    assert not CaseStep.objects.filter(case=case).exists()
