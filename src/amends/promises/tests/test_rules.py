"""Realistic promising and the due/overdue decisions, against a known history."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.assembly.testing import at
from amends.promises import rules
from amends.promises.rules import PastPromise

ZONE = ZoneInfo("Asia/Shanghai")


def morning_history(took_hours, *, kept=None, days=10):
    """Promises made at 08:00 for 10:00 the same morning (lead band 0, morning), fulfilled after `took_hours`."""
    out = []
    for i, hours in enumerate(took_hours):
        made = at("2026-10-01 08:00") + timedelta(days=i % days)
        fulfilled = None if hours is None else made + timedelta(hours=hours)
        is_kept = kept[i] if kept is not None else (hours is not None and hours <= 2)
        out.append(PastPromise(made, made + timedelta(hours=2), fulfilled, is_kept))
    return out


class TestSuggestion:
    def test_the_due_time_kept_90_percent_of_the_time_is_the_90th_percentile_of_fulfilment(self):
        history = morning_history([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4, 5])
        answer = rules.suggest(now=at("2026-11-02 08:00"), due_at=at("2026-11-02 09:00"), history=history, zone=ZONE)
        assert (answer.similar, answer.kept, answer.kept_rate) == (10, 4, 0.4)
        assert answer.suggested_due_at == at("2026-11-02 12:00")  # 9th of 10 took 4 h

    def test_the_seed_case_promising_9_would_have_been_13(self):
        # Assessors promised for the morning arrived 1–5 hours after the call; 9:00 was kept 3 times in 10.
        history = morning_history([0.5, 0.8, 1, 2.5, 3, 3.5, 4, 4.5, 5, 5])
        answer = rules.suggest(now=at("2026-11-02 08:00"), due_at=at("2026-11-02 09:00"), history=history, zone=ZONE)
        assert answer.suggested_due_at == at("2026-11-02 13:00")

    def test_promises_never_fulfilled_count_as_infinitely_late(self):
        history = morning_history([1, 1, 1, 1, 1, 1, 1, 1, None, None])
        answer = rules.suggest(now=at("2026-11-02 08:00"), due_at=at("2026-11-02 09:00"), history=history, zone=ZONE)
        assert answer.enough_history and answer.suggested_due_at is None

    def test_too_little_history_gives_the_rate_but_no_suggestion(self):
        history = morning_history([1, 2, 3])
        answer = rules.suggest(now=at("2026-11-02 08:00"), due_at=at("2026-11-02 09:00"), history=history, zone=ZONE)
        assert (answer.similar, answer.enough_history, answer.suggested_due_at) == (3, False, None)
        assert answer.kept_rate == pytest.approx(2 / 3)

    def test_only_the_same_lead_time_and_time_of_day_count_as_similar(self):
        history = morning_history([1] * 10)
        afternoon = rules.suggest(now=at("2026-11-02 13:00"), due_at=at("2026-11-02 15:00"), history=history, zone=ZONE)
        next_week = rules.suggest(now=at("2026-11-02 08:00"), due_at=at("2026-11-09 09:00"), history=history, zone=ZONE)
        assert afternoon.similar == 0 and next_week.similar == 0

    def test_no_history_at_all(self):
        answer = rules.suggest(now=at("2026-11-02 08:00"), due_at=at("2026-11-02 09:00"), history=[], zone=ZONE)
        assert (answer.similar, answer.kept_rate, answer.suggested_due_at) == (0, None, None)


@pytest.mark.parametrize(("hours", "band"), [(0.5, 0), (3.99, 0), (4, 1), (23, 1), (24, 2), (71, 2), (72, 3), (500, 3)])
def test_lead_bands(hours, band):
    made = at("2026-11-02 08:00")
    assert rules.lead_band(made, made + timedelta(hours=hours)) == band


@pytest.mark.parametrize(("clock", "band"), [("05:59", 0), ("06:00", 1), ("11:59", 1), ("12:00", 2), ("18:00", 3)])
def test_day_bands_use_local_time(clock, band):
    assert rules.day_band(at(f"2026-11-02 {clock}"), ZONE) == band
