"""Each report's figures computed again in plain Python from the rows the services wrote (`story`), and
compared: the SQL over facts and this independent reading must agree, on SQLite and PostgreSQL alike."""

from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from amends.insights import queries
from amends.recovery.models import CaseStep

from . import story
from .story import PERIOD


@pytest.fixture
def built(world, now):
    return story.build(world)


def run(world, name, **params):
    return queries.run(world.admin, name, {**PERIOD, **params})


def in_period(day: date) -> bool:
    return date.fromisoformat(PERIOD["since"]) <= day <= date.fromisoformat(PERIOD["until"])


def local_day(moment) -> date:
    return timezone.localtime(moment).date()


def rate(part, whole, digits=4):
    return round(part / whole, digits) if whole else None


def test_recovery_counts_every_round_s_outcome(world, built):
    steps = [s for s in CaseStep.objects.filter(step="follow_up", skipped=False) if in_period(local_day(s.at))]
    outcomes = Counter(s.outcome for s in steps)
    expected = {
        "follow_ups": len(steps),
        "recovered": outcomes["recovered"],
        "not_recovered": outcomes["not_recovered"],
        "unreachable": outcomes["unreachable"],
        "recovery_rate": rate(outcomes["recovered"], outcomes["recovered"] + outcomes["not_recovered"]),
    }
    totals = run(world, "recovery").section("trend").totals
    assert totals == expected
    # The story's own count: 4 reopened rounds, 6 recovered, 1 unreachable (closed after three attempts).
    assert (totals["not_recovered"], totals["recovered"], totals["unreachable"]) == (4, 6, 1)
