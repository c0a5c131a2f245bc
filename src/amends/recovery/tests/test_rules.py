"""The pure decisions of recovery, table by table."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.recovery import rules
from amends.recovery.rules import Candidate, Episode, Severity


class TestStepOrder:
    def test_the_first_step_is_the_apology(self):
        assert rules.next_step([]) == "apology"

    def test_all_five_done_means_no_next_step(self):
        assert rules.next_step(rules.STEPS) is None

    @pytest.mark.parametrize(
        ("step", "done", "skipping", "code"),
        [
            ("apology", [], False, None),
            ("fix", [], False, "step_out_of_order"),
            ("fix", ["apology"], False, None),
            ("fix", ["apology"], True, None),
            ("empathy", ["apology"], False, "step_out_of_order"),
            ("apology", ["apology"], False, "step_already_recorded"),
            ("apology", [], True, "step_cannot_be_skipped"),
            ("follow_up", ["apology", "fix", "empathy", "atonement"], True, "step_cannot_be_skipped"),
            ("follow_up", ["apology", "fix", "empathy", "atonement"], False, None),
            ("atonement", ["apology", "fix", "empathy"], True, None),
            ("refund", [], False, "unknown_step"),
        ],
    )
    def test_check_step(self, step, done, skipping, code):
        refusal = rules.check_step(step, done, skipping=skipping)
        assert (refusal.code if refusal else None) == code

    def test_an_out_of_order_refusal_names_the_expected_step(self):
        refusal = rules.check_step("atonement", ["apology"], skipping=False)
        assert refusal is not None and refusal.expected == "fix"

    @given(st.lists(st.sampled_from(rules.STEPS), max_size=8))
    def test_only_the_next_step_is_ever_accepted(self, attempts):
        done: list[str] = []
        for step in attempts:
            if rules.check_step(step, done, skipping=False) is None:
                assert step == rules.next_step(done)
                done.append(step)
        assert done == list(rules.STEPS[: len(done)])


def sev(**kw):
    base = dict(
        segment="individual",
        customer_value=Decimal("0"),
        loss_amount=None,
        repeat_failures_90d=0,
        touchpoint_criticality=None,
    )
    return Severity(**{**base, **kw})


class TestPriority:
    def test_a_plain_complaint_is_low(self):
        answer = rules.priority(sev())
        assert (answer.score, answer.level, answer.factors) == (0, 4, [])

    def test_every_factor_is_named_with_its_points(self):
        answer = rules.priority(
            sev(
                segment="key_account",
                customer_value=Decimal("60000"),
                loss_amount=Decimal("300"),
                repeat_failures_90d=1,
                touchpoint_criticality=4,
            )
        )
        assert {f["code"]: f["points"] for f in answer.factors} == {
            "segment": 15,
            "customer_value": 15,
            "loss_amount": 3,
            "repeat_failures": 15,
            "touchpoint_criticality": 20,
        }
        assert answer.score == 68 and answer.level == 2

    def test_a_second_repeat_is_a_double_deviation_and_weighs_most(self):
        one = rules.priority(sev(repeat_failures_90d=1)).score
        two = rules.priority(sev(repeat_failures_90d=2)).score
        assert (one, two) == (15, 25)

    @pytest.mark.parametrize(
        ("score_inputs", "level"),
        [
            (dict(touchpoint_criticality=5), 3),  # 25
            (dict(touchpoint_criticality=5, repeat_failures_90d=2), 2),  # 50
            (dict(touchpoint_criticality=5, repeat_failures_90d=2, loss_amount=Decimal("50000")), 1),  # 70
            (dict(touchpoint_criticality=4), 4),  # 20
        ],
    )
    def test_levels_follow_score_bands(self, score_inputs, level):
        assert rules.priority(sev(**score_inputs)).level == level

    def test_score_is_capped_at_100(self):
        answer = rules.priority(
            sev(
                segment="key_account",
                customer_value=Decimal("1e6"),
                loss_amount=Decimal("1e6"),
                repeat_failures_90d=5,
                touchpoint_criticality=5,
                escalation_flags=["regulator"],
            )
        )
        assert answer.score == 100 and answer.level == 1


class TestOwnerChoice:
    def test_the_nearest_unit_wins_over_a_lighter_workload_further_up(self):
        assert rules.choose_owner([Candidate(1, 0, 30), Candidate(2, 1, 0)], excluded=[]) == 1

    def test_the_lightest_workload_wins_within_a_unit(self):
        assert rules.choose_owner([Candidate(1, 0, 30), Candidate(2, 0, 3)], excluded=[]) == 2

    def test_ties_go_to_the_lowest_id_so_the_choice_is_deterministic(self):
        assert rules.choose_owner([Candidate(7, 0, 3), Candidate(5, 0, 3)], excluded=[]) == 5

    def test_the_subject_of_the_complaint_is_never_chosen(self):
        assert rules.choose_owner([Candidate(1, 0, 0), Candidate(2, 0, 99)], excluded=[1]) == 2

    def test_nobody_eligible_leaves_the_case_unassigned(self):
        assert rules.choose_owner([Candidate(1, 0, 0)], excluded=[1]) is None


class TestClosing:
    @pytest.mark.parametrize(
        ("outcomes", "answer"),
        [
            ([], None),
            (["recovered"], "recovered"),
            (["unreachable", "unreachable"], None),
            (["unreachable", "unreachable", "unreachable"], "unreachable"),
            (["unreachable", "recovered"], "recovered"),
        ],
    )
    def test_may_close(self, outcomes, answer):
        assert rules.may_close(outcomes, max_unreachable=3) == answer


class TestEpisodes:
    def test_a_claim_number_defines_the_episode(self):
        assert Episode.of(claim_no=" cl2026-1 ", policy_no="PA1", journey="auto_claim").key == "claim:CL2026-1"

    def test_without_a_claim_the_policy_does(self):
        assert Episode.of(claim_no="", policy_no="pa1", journey="auto_claim").key == "policy:PA1"

    def test_without_either_the_journey_does(self):
        assert Episode.of(journey="renewal").key == "journey:renewal"

    def test_with_nothing_it_is_a_general_episode(self):
        assert Episode.of().key == "general"

    @pytest.mark.parametrize("key", ["claim:CL2026-1", "policy:PA1", "journey:renewal", "general", "split:42"])
    def test_the_stored_key_reads_back_as_the_same_episode(self, key):
        assert Episode.from_key(key).key == key

    @pytest.mark.parametrize(
        ("episode", "reason"),
        [
            (Episode("claim", "CL1"), "same_claim"),
            (Episode("policy", "PA1"), "same_policy"),
            (Episode("journey", "renewal"), "same_journey"),
            (Episode("general"), "same_episode"),
        ],
    )
    def test_a_complaint_joining_its_episode_says_why(self, episode, reason):
        assert episode.join_reason == reason

    def test_a_split_out_complaint_always_has_a_case_of_its_own(self):
        assert Episode.split_out(7).own_case and not Episode.of(claim_no="CL1").own_case


class TestSeverityIsStoredAsData:
    @given(
        segment=st.sampled_from(["individual", "online", "telesales", "key_account", "group"]),
        value=st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
        loss=st.none() | st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
        repeats=st.integers(min_value=0, max_value=9),
        criticality=st.none() | st.integers(min_value=1, max_value=5),
        flags=st.lists(st.sampled_from(["regulator", "media", "legal", "repeat"]), unique=True),
        raised=st.none() | st.integers(min_value=1, max_value=4),
    )
    def test_the_explanation_derived_from_stored_inputs_is_the_one_computed(
        self, segment, value, loss, repeats, criticality, flags, raised
    ):
        sev = Severity(
            segment, value, loss, repeats, criticality, tuple(sorted(flags)), raised, "预警" if raised else ""
        )
        assert Severity.from_data(sev.as_data()) == sev
        assert rules.priority(Severity.from_data(sev.as_data())) == rules.priority(sev)

    def test_an_early_warning_raises_the_level_and_says_so(self):
        calm = sev()
        raised = Severity(**{**calm.__dict__, "raised_to": 1, "raised_reason": "二次失败"})
        assert (rules.priority(calm).level, rules.priority(raised).level) == (4, 1)
        assert {"code": "early_warning", "points": 0, "value": "二次失败"} in rules.priority(raised).factors

    def test_an_early_warning_never_lowers_the_level(self):
        urgent = sev(segment="key_account", customer_value=Decimal("60000"), loss_amount=Decimal("60000"))
        assert rules.priority(urgent).level == 2
        lower = Severity(**{**urgent.__dict__, "raised_to": 3, "raised_reason": "x"})
        assert rules.priority(lower).level == 2
        assert all(f["code"] != "early_warning" for f in rules.priority(lower).factors)
