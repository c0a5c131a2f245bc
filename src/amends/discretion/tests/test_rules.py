"""The decision of 应变权, branch by branch, and the policy, routing and calendar rules behind it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.discretion import rules
from amends.discretion.rules import Authority, Candidate, PolicyRow, WorkingCalendar

SH = ZoneInfo("Asia/Shanghai")
FRONTLINE = Authority(per_action=Decimal("500"), actor_budget=Decimal("2000"), unit_budget=Decimal("10000"))
D = Decimal


def decide(amount="300", *, at_fault=False, extra_cost=True, breach=False, authority=FRONTLINE, actor="0", unit="0"):
    return rules.decide(
        amount=D(amount),
        customer_at_fault=at_fault,
        extra_cost=extra_cost,
        breaches_regulation=breach,
        authority=authority,
        spent_actor=D(actor),
        spent_unit=D(unit),
    )


class TestDecide:
    def test_within_limit_and_budget_and_customer_not_at_fault_is_granted_at_once(self):
        assert decide("300") == rules.Decision(rules.GRANTED, (rules.WITHIN_AUTHORITY,))

    def test_exactly_the_limit_is_within_it(self):
        assert decide("500").outcome == rules.GRANTED

    def test_over_the_per_action_limit_goes_for_approval(self):
        assert decide("800") == rules.Decision(rules.APPROVAL, (rules.OVER_LIMIT,))

    def test_a_spent_personal_budget_goes_for_approval(self):
        assert decide("300", actor="1800") == rules.Decision(rules.APPROVAL, (rules.ACTOR_BUDGET,))

    def test_the_last_yuan_of_a_budget_can_be_spent(self):
        assert decide("200", actor="1800").outcome == rules.GRANTED

    def test_a_spent_unit_budget_goes_for_approval(self):
        assert decide("300", unit="9900") == rules.Decision(rules.APPROVAL, (rules.UNIT_BUDGET,))

    def test_customer_at_fault_with_extra_cost_goes_for_approval(self):
        assert decide("100", at_fault=True, extra_cost=True) == rules.Decision(
            rules.APPROVAL, (rules.AT_FAULT_AND_COSTLY,)
        )

    def test_customer_at_fault_but_no_extra_cost_is_granted(self):
        assert decide("100", at_fault=True, extra_cost=False).outcome == rules.GRANTED

    def test_customer_not_at_fault_with_extra_cost_is_granted(self):
        assert decide("100", at_fault=False, extra_cost=True).outcome == rules.GRANTED

    def test_a_breach_is_refused_outright_even_within_authority(self):
        assert decide("10", breach=True) == rules.Decision(rules.REFUSED, (rules.BREACH,))

    def test_a_breach_is_refused_rather_than_sent_for_approval(self):
        assert decide("99999", at_fault=True, breach=True).outcome == rules.REFUSED

    def test_without_any_authority_it_goes_for_approval(self):
        assert decide("1", authority=None) == rules.Decision(rules.APPROVAL, (rules.NO_AUTHORITY,))

    def test_every_reason_that_applies_is_given(self):
        assert decide("3000", at_fault=True, actor="1900", unit="9999").reasons == (
            rules.OVER_LIMIT,
            rules.ACTOR_BUDGET,
            rules.UNIT_BUDGET,
            rules.AT_FAULT_AND_COSTLY,
        )

    def test_no_budget_means_only_the_per_action_limit_counts(self):
        unlimited = Authority(per_action=D("500"))
        assert decide("500", authority=unlimited, actor="1e9", unit="1e9").outcome == rules.GRANTED

    @given(
        amount=st.decimals(min_value=0, max_value=10000, places=2),
        spent=st.decimals(min_value=0, max_value=3000, places=2),
        at_fault=st.booleans(),
        extra=st.booleans(),
        breach=st.booleans(),
    )
    def test_a_grant_never_exceeds_the_limit_or_a_budget(self, amount, spent, at_fault, extra, breach):
        d = rules.decide(
            amount=amount,
            customer_at_fault=at_fault,
            extra_cost=extra,
            breaches_regulation=breach,
            authority=FRONTLINE,
            spent_actor=spent,
            spent_unit=spent,
        )
        if d.outcome == rules.GRANTED:
            assert amount <= FRONTLINE.per_action and spent + amount <= FRONTLINE.actor_budget
            assert not breach and not (at_fault and extra)
        if breach:
            assert d.outcome == rules.REFUSED


def row(pk, unit, version, starts, limit="500"):
    return PolicyRow(pk, unit, version, starts, Authority(D(limit)), "month")


class TestEffectivePolicy:
    NOW = datetime(2026, 11, 2, 10, tzinfo=SH)
    CHAIN = [4, 3, 2, 1]  # outlet, city, province, head office

    def test_a_units_policy_covers_its_subtree(self):
        assert rules.effective_policy([row(1, 2, 1, self.NOW - timedelta(days=9))], self.CHAIN, self.NOW).id == 1

    def test_the_nearest_units_own_policy_wins(self):
        rows = [row(1, 2, 1, self.NOW - timedelta(days=9)), row(2, 3, 1, self.NOW - timedelta(days=9))]
        assert rules.effective_policy(rows, self.CHAIN, self.NOW).id == 2

    def test_the_newest_effective_version_decides(self):
        rows = [row(1, 3, 1, self.NOW - timedelta(days=9)), row(2, 3, 2, self.NOW - timedelta(days=1))]
        assert rules.effective_policy(rows, self.CHAIN, self.NOW).id == 2

    def test_a_version_not_yet_in_effect_does_not_decide(self):
        rows = [row(1, 3, 1, self.NOW - timedelta(days=9)), row(2, 3, 2, self.NOW + timedelta(hours=1))]
        assert rules.effective_policy(rows, self.CHAIN, self.NOW).id == 1

    def test_a_nearer_policy_not_yet_in_effect_leaves_the_parents_in_force(self):
        rows = [row(1, 2, 1, self.NOW - timedelta(days=9)), row(2, 4, 1, self.NOW + timedelta(days=1))]
        assert rules.effective_policy(rows, self.CHAIN, self.NOW).id == 1

    def test_a_policy_elsewhere_in_the_tree_does_not_apply(self):
        assert rules.effective_policy([row(1, 9, 1, self.NOW - timedelta(days=9))], self.CHAIN, self.NOW) is None


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("month", datetime(2026, 11, 1, tzinfo=SH)),
        ("quarter", datetime(2026, 10, 1, tzinfo=SH)),
        ("year", datetime(2026, 1, 1, tzinfo=SH)),
    ],
)
def test_budget_periods_start_on_local_calendar_boundaries(period, start):
    assert rules.period_start(datetime(2026, 11, 17, 15, 30, tzinfo=SH), period) == start


class TestRoute:
    def cand(self, pk, distance, rank, covers=True):
        return Candidate(pk, f"u{pk}", distance, rank, covers)

    def test_the_nearest_superior_who_covers_it_is_chosen(self):
        chosen = rules.route([self.cand(2, 2, 1), self.cand(1, 1, 1)], asker_id=9, asker_rank=0)
        assert chosen.user_id == 1

    def test_a_nearer_superior_without_the_authority_is_passed_over(self):
        chosen = rules.route([self.cand(1, 1, 1, covers=False), self.cand(2, 2, 1)], asker_id=9, asker_rank=0)
        assert chosen.user_id == 2

    def test_a_peer_in_the_same_unit_is_not_a_superior(self):
        chosen = rules.route([self.cand(1, 0, 1), self.cand(2, 1, 1)], asker_id=9, asker_rank=1)
        assert chosen.user_id == 2

    def test_a_more_senior_role_in_the_same_unit_is_nearest(self):
        assert rules.route([self.cand(1, 0, 1), self.cand(2, 1, 1)], asker_id=9, asker_rank=0).user_id == 1

    def test_nobody_covering_it_routes_nowhere(self):
        assert rules.route([self.cand(1, 1, 1, covers=False)], asker_id=9, asker_rank=0) is None

    def test_the_asker_never_approves_their_own_request(self):
        assert rules.route([self.cand(9, 1, 1)], asker_id=9, asker_rank=0) is None


class TestWorkingHours:
    CAL = WorkingCalendar(start=time(9), end=time(18))

    def add(self, start, hours=4, cal=None):
        return rules.add_working_hours(start, hours, cal or self.CAL)

    def test_within_one_working_day(self):
        assert self.add(datetime(2026, 11, 2, 10, tzinfo=SH)) == datetime(2026, 11, 2, 14, tzinfo=SH)

    def test_the_rest_carries_to_the_next_morning(self):
        assert self.add(datetime(2026, 11, 2, 16, tzinfo=SH)) == datetime(2026, 11, 3, 11, tzinfo=SH)

    def test_before_opening_the_clock_starts_at_opening(self):
        assert self.add(datetime(2026, 11, 2, 7, tzinfo=SH)) == datetime(2026, 11, 2, 13, tzinfo=SH)

    def test_friday_afternoon_runs_into_monday(self):
        assert self.add(datetime(2026, 11, 6, 17, tzinfo=SH)) == datetime(2026, 11, 9, 12, tzinfo=SH)

    def test_a_weekend_request_waits_for_monday(self):
        assert self.add(datetime(2026, 11, 7, 11, tzinfo=SH)) == datetime(2026, 11, 9, 13, tzinfo=SH)

    def test_a_public_holiday_is_skipped(self):
        cal = WorkingCalendar(start=time(9), end=time(18), holidays=frozenset({date(2026, 11, 3)}))
        assert self.add(datetime(2026, 11, 2, 16, tzinfo=SH), cal=cal) == datetime(2026, 11, 4, 11, tzinfo=SH)

    def test_a_make_up_working_saturday_counts(self):
        cal = WorkingCalendar(start=time(9), end=time(18), workdays=frozenset({date(2026, 11, 7)}))
        assert self.add(datetime(2026, 11, 6, 17, tzinfo=SH), cal=cal) == datetime(2026, 11, 7, 12, tzinfo=SH)
