"""The regulatory clock and episode matching, as pure functions."""

from datetime import timedelta

import pytest

from amends.assembly.testing import at
from amends.intake import rules

CLOCK = rules.ClockConfig()


class TestRegulatoryClock:
    def test_a_complaint_is_due_15_calendar_days_after_receipt(self):
        assert rules.due_at(at("2026-11-01 09:30"), 0, CLOCK) == at("2026-11-16 09:30")

    def test_a_complex_complaint_may_run_to_30_days(self):
        assert rules.due_at(at("2026-11-01 09:30"), 1, CLOCK) == at("2026-12-01 09:30")

    def test_an_especially_complex_one_gets_30_more(self):
        assert rules.due_at(at("2026-11-01 09:30"), 2, CLOCK) == at("2026-12-31 09:30")

    def test_the_limits_are_configuration(self):
        fca = rules.ClockConfig(base_days=56, extended_days=56, further_days=0)
        assert rules.due_at(at("2026-11-01 09:30"), 0, fca) - at("2026-11-01 09:30") == timedelta(weeks=8)

    def test_there_is_no_third_extension(self):
        with pytest.raises(ValueError):
            rules.due_at(at("2026-11-01 09:30"), 3, CLOCK)

    @pytest.mark.parametrize(
        ("current", "requested", "decided", "reason", "code"),
        [
            (0, 1, False, "需调取行车记录", None),
            (1, 2, False, "需第三方鉴定", None),
            (0, 2, False, "跳级", "extension_out_of_order"),
            (2, 3, False, "again", "extension_out_of_order"),
            (1, 1, False, "twice", "extension_out_of_order"),
            (0, 1, False, "   ", "extension_needs_reason"),
            (0, 1, True, "late", "complaint_already_decided"),
        ],
    )
    def test_extension_refusals(self, current, requested, decided, reason, code):
        assert (
            rules.extension_refusal(current_level=current, requested_level=requested, decided=decided, reason=reason)
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
