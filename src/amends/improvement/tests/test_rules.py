"""The pure rules of rectifications: status moves and the same-length windows around the change."""

from datetime import timedelta

import pytest

from amends.assembly.testing import at
from amends.improvement import rules


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("planned", "in_progress", True),
        ("planned", "done", True),
        ("in_progress", "done", True),
        ("in_progress", "cancelled", True),
        ("in_progress", "planned", False),
        ("done", "in_progress", False),
        ("done", "cancelled", False),
        ("cancelled", "planned", False),
    ],
)
def test_status_moves(current, target, allowed):
    assert rules.may_move(current, target) is allowed


def test_no_windows_before_the_change_took_effect():
    now = at("2026-11-02 10:00")
    assert rules.windows(effective_at=None, now=now, window_days=90) is None
    assert rules.windows(effective_at=now + timedelta(hours=1), now=now, window_days=90) is None


def test_a_recent_change_is_compared_over_the_days_since_it():
    change, now = at("2026-10-23 10:00"), at("2026-11-02 10:00")
    w = rules.windows(effective_at=change, now=now, window_days=90)
    assert (w.before_start, w.change, w.after_end, w.days) == (at("2026-10-13 10:00"), change, now, 10.0)


def test_an_old_change_is_compared_over_the_full_window():
    change, now = at("2026-01-01 00:00"), at("2026-11-02 10:00")
    w = rules.windows(effective_at=change, now=now, window_days=90)
    assert w.before_start == change - timedelta(days=90) and w.after_end == change + timedelta(days=90)
