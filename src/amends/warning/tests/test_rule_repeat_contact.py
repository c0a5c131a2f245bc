"""Repeat contact: 3+ inbound contacts on one claim within 7 days, without a resolution since the first."""

from datetime import datetime, timedelta

from amends.warning.models import Alert
from amends.warning.rules.repeat_contact import unresolved_streak

from .helpers import ev, ingest


def calls(now, claim, *days_ago):
    return [ev("contact.inbound", now - timedelta(days=d), claim=claim) for d in days_ago]


def test_the_third_call_within_a_week_raises_an_alert(world, now):
    assert ingest(*calls(now, "CL1", 6, 3)).alerts == 0
    assert ingest(*calls(now, "CL1", 0)).alerts == 1
    alert = Alert.objects.get(rule="repeat_contact")
    assert (alert.subject_id, alert.customer, alert.detail["contacts"]) == ("CL1", world.individual, 3)


def test_calls_spread_over_more_than_a_week_do_not(world, now):
    assert ingest(*calls(now, "CL2", 10, 8, 0)).alerts == 0


def test_a_resolution_in_between_starts_the_count_again(world, now):
    events = [*calls(now, "CL3", 5, 4), ev("contact.resolved", now - timedelta(days=3), claim="CL3")]
    assert ingest(*events, *calls(now, "CL3", 1)).alerts == 0


def test_unresolved_streak():
    d = timedelta(days=1)
    t = datetime(2026, 11, 2)
    assert unresolved_streak([t - 6 * d, t - 3 * d, t], [], 7 * d) == 3
    assert unresolved_streak([t - 6 * d, t - 3 * d, t], [t - 4 * d], 7 * d) == 2
    assert unresolved_streak([], [], 7 * d) == 0
