"""The `alerts` report over alerts raised, acknowledged and resolved through the warning services."""

from amends.assembly.testing import at
from amends.core import clock
from amends.insights import queries
from amends.warning import services


def raise_at(when, world, rule, subject, unit, severity=2):
    with clock.frozen(at(when)):
        alert, _ = services.alert_raise(
            rule=rule, subject_type="case", subject_id=subject, title="…", org_unit_id=unit.pk, severity=severity
        )
    return alert


def test_raised_resolved_and_live_alerts(world, now):
    """Sept: 2 raised in 南山 (one resolved), Oct: 1 in 北京 (acknowledged). Live: 1 open, 1 acknowledged."""
    a = raise_at("2026-09-05 10:00", world, "promise_due", 1, world.nanshan)
    raise_at("2026-09-20 10:00", world, "regulatory_deadline", 2, world.nanshan, severity=3)
    b = raise_at("2026-10-03 10:00", world, "promise_due", 3, world.beijing)
    services.alert_resolve(actor=world.admin, alert_id=a.pk, resolution="done")
    services.alert_acknowledge(actor=world.admin, alert_id=b.pk)
    result = queries.run(world.admin, "alerts", {"since": "2026-09-01", "until": "2026-10-31"})
    trend = {r["period"]: (r["raised"], r["resolved"]) for r in result.section("trend").rows}
    assert trend == {"2026-09": (2, 1), "2026-10": (1, 0)}
    live = {(r["rule"], r["open"], r["acknowledged"]) for r in result.section("live").rows}
    assert live == {("regulatory_deadline", 1, 0), ("promise_due", 0, 1)}
    mine = queries.run(world.supervisor, "alerts", {"since": "2026-09-01", "until": "2026-10-31"})
    assert mine.section("trend").totals == {"raised": 2, "resolved": 1}  # not Beijing's
