"""The scheduled rules, each against a constructed history and the controllable clock: repeat failure,
touchpoint spike, high value at risk, complaint deadline at risk."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from amends.assembly.testing import at, receive
from amends.core import clock
from amends.customers.models import Line, Policy
from amends.intake.services import complaint_decide, complaint_pause, regulator_feedback
from amends.journeys.models import Touchpoint
from amends.recovery import services as recovery
from amends.recovery.models import Case
from amends.recovery.rules import Episode
from amends.warning.models import Alert, RuleConfig
from amends.warning.rules.runner import run_scheduled
from amends.warning.rules.touchpoint_spike import spike_p_value

_refs = [0]


def failure(customer, at, touchpoint="auto_claim.assessment", episode=None):
    _refs[0] += 1
    return recovery.failure_record(
        actor=None,
        customer=customer,
        touchpoint=Touchpoint.objects.get(code=touchpoint),
        episode=Episode.from_key(episode or f"ep-{_refs[0]}"),
        source="staff",
        source_ref=f"t{_refs[0]}",
        description="定损员未按约定到场",
        at=at,
    )


def sweep(key, at):
    with clock.frozen(at):
        return run_scheduled(now=at, keys=[key])[key]


class TestRepeatFailure:
    KEY = "repeat_failure"

    def test_a_second_failure_within_90_days_alerts_and_raises_the_case_priority(self, world, now):
        failure(world.online, now - timedelta(days=60), touchpoint="auto_claim.documents")
        second = failure(world.online, now - timedelta(hours=2), touchpoint="auto_claim.documents")
        assert Case.objects.get(pk=second.case_id).priority > 2
        assert sweep(self.KEY, now) == 1
        alert = Alert.objects.get(rule=self.KEY)
        assert (alert.customer, alert.case_id, alert.severity) == (world.online, second.case_id, 3)
        assert Case.objects.get(pk=second.case_id).priority == 2
        assert sweep(self.KEY, now + timedelta(hours=1)) == 0  # once per newest failure

    def test_failures_further_apart_or_of_other_customers_do_not(self, world, now):
        failure(world.individual, now - timedelta(days=100))
        failure(world.individual, now - timedelta(hours=2))
        failure(world.online, now - timedelta(hours=1))
        assert sweep(self.KEY, now) == 0


class TestTouchpointSpike:
    KEY = "touchpoint_spike"

    def test_the_poisson_tail(self):
        assert spike_p_value(1, 1.0) == pytest.approx(0.632, abs=1e-3)
        assert spike_p_value(6, 0.5) < 0.001 < spike_p_value(3, 0.5)

    def test_a_day_far_above_the_touchpoints_own_baseline_alerts_the_quality_manager(self, world, now):
        for day in range(1, 28, 3):  # nine failures in four weeks: about 0.3 a day
            failure(world.online, now - timedelta(days=day), touchpoint="auto_claim.payment")
        for hour in range(6):
            failure(world.individual, now - timedelta(minutes=10 * hour + 1), touchpoint="auto_claim.payment")
        assert sweep(self.KEY, now) == 1
        alert = Alert.objects.get(rule=self.KEY)
        assert (alert.touchpoint.code, alert.owner_role, alert.detail["today"]) == (
            "auto_claim.payment",
            "quality_manager",
            6,
        )
        assert alert.detail["p_value"] < 0.001
        assert alert.title.startswith("车险赔款支付") and "auto_claim" not in alert.title  # a name, not a code

    def test_a_busy_touchpoint_at_its_usual_level_does_not(self, world, now):
        for day in range(1, 29):
            for _ in range(2):
                failure(world.online, now - timedelta(days=day, hours=1), touchpoint="auto_claim.payment")
        for hour in range(4):
            failure(world.individual, now - timedelta(minutes=10 * hour + 1), touchpoint="auto_claim.payment")
        assert sweep(self.KEY, now) == 0


class TestHighValueAtRisk:
    KEY = "high_value_at_risk"

    def policy(self, world, customer, end, premium="3200.00"):
        return Policy.objects.create(
            policy_no=f"P-{customer.pk}-{end}",
            customer=customer,
            line=Line.AUTO,
            premium=Decimal(premium),
            start_date=date(2026, 1, 1),
            end_date=end,
            org_unit=customer.org_unit,
        )

    def test_a_key_account_with_an_open_failure_renewing_within_60_days(self, world, now):
        self.policy(world, world.key_account, date(2026, 12, 20))
        failure(world.key_account, now - timedelta(days=3))
        assert sweep(self.KEY, now) == 1
        alert = Alert.objects.get(rule=self.KEY)
        assert (alert.customer, alert.subject_type, alert.severity) == (world.key_account, "policy", 3)

    def test_a_high_premium_individual_counts_too_and_the_alert_clears_when_the_case_closes(self, world, now):
        self.policy(world, world.online, date(2026, 12, 1), premium="18000.00")
        f = failure(world.online, now - timedelta(days=1))
        assert sweep(self.KEY, now) == 1
        Case.objects.filter(pk=f.case_id).update(status="closed", closed_at=now)
        sweep(self.KEY, now + timedelta(hours=1))
        assert Alert.objects.get(rule=self.KEY).status == "resolved"

    def test_not_without_an_open_failure_nor_with_a_renewal_far_off_nor_for_small_customers(self, world, now):
        self.policy(world, world.key_account, date(2027, 6, 1))  # renewal far off
        failure(world.key_account, now - timedelta(days=3))
        self.policy(world, world.online, date(2026, 12, 1))  # small premium, online segment
        failure(world.online, now - timedelta(days=1))
        self.policy(world, world.beijing_customer, date(2026, 12, 1), premium="50000.00")  # no failure
        assert sweep(self.KEY, now) == 0


class TestComplaintDeadline:
    KEY = "complaint_deadline"

    def test_warned_three_days_before_the_regulatory_deadline_then_critical_when_past(self, world, now):
        complaint = receive(world.frontline, world.individual)  # due at the end of 11-17, the 15th day after
        assert sweep(self.KEY, at("2026-11-14 23:00")) == 0
        assert sweep(self.KEY, at("2026-11-15 00:00")) == 1
        alert = Alert.objects.get(rule=self.KEY)
        assert (alert.subject_id, alert.severity, alert.case_id) == (str(complaint.pk), 2, complaint.case_id)
        sweep(self.KEY, at("2026-11-18 00:00"))
        alert.refresh_from_db()
        assert alert.severity == 3

    def test_deciding_the_complaint_clears_the_alert(self, world, now):
        complaint = receive(world.frontline, world.individual)
        sweep(self.KEY, now + timedelta(days=13))
        with clock.frozen(now + timedelta(days=13, hours=1)):
            complaint_decide(actor=world.handler, complaint_id=complaint.pk, decision="全额赔付，不扣残值。")
        sweep(self.KEY, now + timedelta(days=13, hours=2))
        assert Alert.objects.get(rule=self.KEY).status == "resolved"


class TestRegulatorDeadline:
    KEY = "regulator_deadline"

    def test_warned_before_the_regulators_deadline_and_cleared_by_the_feedback(self, world, now):
        transfer = receive(
            world.frontline,
            world.individual,
            channel="regulator",
            regulator_ref="12378-2026-7",
            regulator_due_at=at("2026-11-12 17:00"),
        )
        receive(world.frontline, world.online)  # not a transfer: nothing owed to the regulator
        assert sweep(self.KEY, at("2026-11-10 16:00")) == 0  # AMENDS_REGULATOR_WARN_DAYS: 2
        assert sweep(self.KEY, at("2026-11-10 17:00")) == 1
        alert = Alert.objects.get(rule=self.KEY)
        assert (alert.subject_id, alert.severity) == (str(transfer.pk), 2) and "12378-2026-7" in alert.title
        with clock.frozen(at("2026-11-11 09:00")):
            regulator_feedback(actor=world.handler, complaint_id=transfer.pk, feedback="已答复客户")
        sweep(self.KEY, at("2026-11-11 10:00"))
        assert Alert.objects.get(rule=self.KEY).status == "resolved"

    def test_a_paused_complaint_is_not_warned_of_its_deadline(self, world, now):
        complaint = receive(world.frontline, world.individual)
        complaint_pause(actor=world.handler, complaint_id=complaint.pk, reason="车损鉴定")
        assert sweep("complaint_deadline", at("2026-11-16 00:00")) == 0


def test_a_switched_off_rule_does_not_run(world, now):
    RuleConfig.objects.filter(key="complaint_deadline").update(enabled=False)
    receive(world.frontline, world.individual)
    with clock.frozen(now + timedelta(days=14)):
        assert "complaint_deadline" not in run_scheduled(now=now + timedelta(days=14))
    assert not Alert.objects.exists()
