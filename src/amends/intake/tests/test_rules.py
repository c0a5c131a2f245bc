"""The regulatory clock and episode matching, as pure functions."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from amends.assembly.testing import at
from amends.core.calendar import WorkingCalendar
from amends.intake import rules

CLOCK = rules.ClockConfig()
# 2026's National Day holiday (10-01 to 10-08) with its make-up working days (09-27, 10-10).
CALENDAR = WorkingCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 9)),
    workdays=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
)


class TestRegulatoryClock:
    """Days as 《民法典》 counts them: the day of receipt is not counted, the period ends at the end of its last
    day, and a last day that is not a working day moves to the next working day."""

    @pytest.mark.parametrize(
        ("received", "level", "due"),
        [
            ("2026-11-02 09:30", 0, "2026-11-17 23:59:59"),  # Monday + 15 → Tuesday
            ("2026-11-02 23:50", 0, "2026-11-17 23:59:59"),  # late on the day of receipt: the same day counts
            ("2026-11-03 00:10", 0, "2026-11-18 23:59:59"),
            ("2026-11-06 10:00", 0, "2026-11-23 23:59:59"),  # the 15th day is Saturday 11-21 → Monday
            ("2026-11-02 09:30", 1, "2026-12-02 23:59:59"),
            ("2026-11-02 09:30", 2, "2027-01-01 23:59:59"),
            ("2026-09-16 09:00", 0, "2026-10-09 23:59:59"),  # 10-01 is in the National Day holiday → 10-09
        ],
    )
    def test_due_dates(self, received, level, due):
        assert rules.due_at(at(received), level, CLOCK, CALENDAR) == at(due)

    def test_paused_days_are_added(self):
        assert rules.due_at(at("2026-11-02 09:30"), 0, CLOCK, CALENDAR, paused_days=7) == at("2026-11-24 23:59:59")

    @pytest.mark.parametrize(
        ("paused", "resumed", "days"),
        [
            ("2026-11-05 10:00", "2026-11-05 16:00", 0),
            ("2026-11-05 10:00", "2026-11-06 09:00", 1),
            ("2026-11-05 23:00", "2026-11-12 08:00", 7),
        ],
    )
    def test_a_pause_leaves_out_whole_days(self, paused, resumed, days):
        assert rules.paused_days(at(paused), at(resumed)) == days

    def test_a_period_may_end_at_the_close_of_business(self):
        config = rules.ClockConfig(day_ends=time(18, 0))
        assert rules.due_at(at("2026-11-02 09:30"), 0, config, CALENDAR) == at("2026-11-17 18:00")

    def test_without_rolling_a_last_day_off_stays(self):
        config = rules.ClockConfig(roll_to_working_day=False)
        assert rules.due_at(at("2026-11-06 10:00"), 0, config, CALENDAR) == at("2026-11-21 23:59:59")

    def test_the_limits_are_configuration_uk_fca_disp_eight_weeks_elapsed(self):
        fca = rules.ClockConfig(base_days=56, extended_days=56, further_days=0, counting=rules.ELAPSED)
        assert rules.due_at(at("2026-11-01 09:30"), 0, fca) - at("2026-11-01 09:30") == timedelta(weeks=8)

    def test_there_is_no_third_extension(self):
        with pytest.raises(ValueError):
            rules.due_at(at("2026-11-01 09:30"), 3, CLOCK)

    @pytest.mark.parametrize(
        ("now", "code"),
        [
            ("2026-11-17 23:59", None),
            ("2026-11-17 23:59:59", "extension_after_due"),
            ("2026-11-29 10:00", "extension_after_due"),  # complaint 2468: 11 days past due
        ],
    )
    def test_an_extension_is_asked_before_the_due_time(self, now, code):
        refusal = rules.extension_refusal(
            current_level=0,
            requested_level=1,
            decided=False,
            reason="需调取行车记录仪视频",
            now=at(now),
            due=at("2026-11-17 23:59:59"),
        )
        assert refusal == code

    def test_no_extension_while_paused(self):
        refusal = rules.extension_refusal(
            current_level=0, requested_level=1, decided=False, reason="需调取", paused=True
        )
        assert refusal == "complaint_paused"

    @pytest.mark.parametrize(
        ("decider", "unit", "approves", "senior", "standing"),
        [
            (2, "/1/4/", True, False, rules.SUPERIOR_UNIT),  # a supervisor of the provincial branch
            (2, "/1/", True, False, rules.SUPERIOR_UNIT),  # the head office's supervisor
            (2, "/1/", False, True, rules.HEAD_OFFICE_SENIOR),  # head-office senior management
            (2, "/1/4/", False, True, None),  # a senior role outside the head office is not head-office management
            (2, "/1/4/17/", True, False, None),  # the handling unit itself
            (2, "/1/4/17/30/", True, False, None),  # a unit below it
            (2, "/1/9/", True, False, None),  # another province
            (2, "/1/4/", False, False, None),  # above, without authority over extensions
            (1, "/1/", True, True, None),  # the requester, however senior
            (2, None, True, True, None),  # no unit
        ],
    )
    def test_who_decides_a_further_extension(self, decider, unit, approves, senior, standing):
        assert (
            rules.further_extension_decider(
                decider_id=decider,
                requester_id=1,
                decider_unit_path=unit,
                complaint_unit_path="/1/4/17/",
                decider_approves=approves,
                decider_is_senior=senior,
            )
            == standing
        )

    @pytest.mark.parametrize(
        ("decided", "now", "has_review", "code"),
        [
            (None, "2026-11-20 10:00", False, "complaint_not_decided"),
            ("2026-11-10 15:00", "2026-12-10 23:59", False, None),  # the 30th day after the decision
            ("2026-11-10 15:00", "2026-12-11 00:00", False, "review_too_late"),
            ("2026-11-10 15:00", "2026-11-20 10:00", True, "review_already_requested"),
        ],
    )
    def test_a_review_is_asked_once_within_its_days(self, decided, now, has_review, code):
        refusal = rules.review_refusal(
            decided_at=at(decided) if decided else None,
            withdrawn=False,
            now=at(now),
            has_review=has_review,
            config=CLOCK,
        )
        assert refusal == code

    @pytest.mark.parametrize(
        ("amount", "above", "regulator", "check"),
        [
            (Decimal("500"), Decimal("1000"), False, False),
            (Decimal("1500"), Decimal("1000"), False, True),
            (None, Decimal("1000"), False, False),
            (Decimal("1500"), None, False, False),
            (None, None, True, True),
        ],
    )
    def test_which_letters_a_second_person_checks(self, amount, above, regulator, check):
        assert (
            rules.letter_needs_check(
                offer_amount=amount, check_above=above, regulator_transfer=regulator, check_regulator=True
            )
            is check
        )

    @pytest.mark.parametrize(
        ("current", "requested", "decided", "reason", "code"),
        [
            (0, 1, False, "需调取行车记录", None),
            (1, 2, False, "需第三方鉴定", None),
            (0, 2, False, "跳级再延期吧", "extension_out_of_order"),
            (2, 3, False, "again, please", "extension_out_of_order"),
            (1, 1, False, "twice over", "extension_out_of_order"),
            (0, 1, False, "   ", "extension_needs_reason"),
            (0, 1, False, "复杂", "extension_needs_reason"),  # a one-word reason says nothing
            (0, 1, True, "late", "complaint_already_decided"),
        ],
    )
    def test_extension_refusals(self, current, requested, decided, reason, code):
        assert (
            rules.extension_refusal(
                current_level=current, requested_level=requested, decided=decided, reason=reason, min_reason_chars=5
            )
            == code
        )


@pytest.mark.parametrize(
    ("phone", "plausible"),
    [
        ("", True),
        ("13800138000", True),
        ("+86 138-0013-8000", True),
        ("(0755) 8300 0000", True),
        ("12ab", False),
        ("123", False),
        ("１３８００１３８０００", False),
        ("1" * 16, False),
    ],
)
def test_a_new_customers_phone_is_digits(phone, plausible):
    from amends.intake.services.receive import plausible_phone

    assert plausible_phone(phone) is plausible
