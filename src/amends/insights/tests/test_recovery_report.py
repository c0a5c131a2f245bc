"""The `recovery` report: follow-up outcomes recorded on cases, counted by hand."""

from amends.assembly.testing import at
from amends.insights import queries
from amends.recovery.models import CaseStep

from . import history
from .history import PERIOD


def follow_up(world, case, when, outcome, round_=1):
    CaseStep.objects.create(
        case=case, round=round_, step="follow_up", outcome=outcome, actor=world.handler, at=at(when)
    )


def test_recovery_rate_among_the_customers_reached(world, now):
    """Sept: c1 recovered, c2 not recovered. Oct: c2 (round 2) recovered, c3 unreachable, c4 (Beijing) recovered."""
    data = history.build(world)
    c = data.cases
    follow_up(world, c["c1"], "2026-09-11 10:00", "recovered")
    follow_up(world, c["c2"], "2026-09-28 10:00", "not_recovered")
    follow_up(world, c["c2"], "2026-10-12 10:00", "recovered", round_=2)
    follow_up(world, c["c3"], "2026-10-20 10:00", "unreachable")
    follow_up(world, c["c4"], "2026-10-30 10:00", "recovered")
    result = queries.run(world.admin, "recovery", PERIOD)
    trend = {r["period"]: r for r in result.section("trend").rows}
    assert (trend["2026-09"]["follow_ups"], trend["2026-09"]["recovered"], trend["2026-09"]["recovery_rate"]) == (
        2,
        1,
        0.5,
    )
    assert (trend["2026-10"]["follow_ups"], trend["2026-10"]["unreachable"], trend["2026-10"]["recovery_rate"]) == (
        3,
        1,
        1.0,
    )
    assert result.section("trend").totals["recovery_rate"] == 0.75  # 3 of the 4 reached
    assert queries.run(world.supervisor, "recovery", PERIOD).section("trend").totals["follow_ups"] == 4
    assert queries.run(world.admin, "recovery", {**PERIOD, "channel": "app"}).section("trend").totals["follow_ups"] == 2
