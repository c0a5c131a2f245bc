"""The `dimensions` report: the five dimensions as customers scored them in follow-up surveys, by hand."""

from datetime import timedelta

from amends.assembly.testing import at
from amends.followup.models import Survey
from amends.insights import queries

from . import history
from .history import PERIOD


def answered(case, when, *, solved, scores, renew):
    t = at(when)
    Survey.objects.create(
        case=case,
        round=1,
        customer=case.customer,
        channel="sms",
        status="answered",
        sent_at=t - timedelta(days=1),
        last_sent_at=t - timedelta(days=1),
        expires_at=t + timedelta(days=13),
        answered_at=t,
        solved=solved,
        renew=renew,
        **dict(zip(("reliability", "responsiveness", "competence", "attitude", "standards"), scores, strict=True)),
    )


def test_scores_per_month_and_by_source(world, now):
    """Sept: c1 (5,4,4,5,3; solved; renew 5) and c2 (3,2,4,5,3; not solved; renew 2). Oct: c4 in Beijing (1,1,1,1,1)."""
    c = history.build(world).cases
    answered(c["c1"], "2026-09-11 10:00", solved=True, scores=(5, 4, 4, 5, 3), renew=5)
    answered(c["c2"], "2026-09-28 10:00", solved=False, scores=(3, 2, 4, 5, 3), renew=2)
    answered(c["c4"], "2026-10-30 10:00", solved=True, scores=(1, 1, 1, 1, 1), renew=1)
    result = queries.run(world.admin, "dimensions", PERIOD)
    sept = next(r for r in result.section("trend").rows if r["period"] == "2026-09")
    assert (sept["answered"], sept["solved_rate"], sept["reliability"], sept["responsiveness"], sept["renew"]) == (
        2,
        0.5,
        4.0,
        3.0,
        3.5,
    )
    survey = next(r for r in result.section("by_source").rows if r["source"] == "survey")
    assert survey["answered"] == 3 and survey["attitude"] == round(11 / 3, 2)
    mine = queries.run(world.supervisor, "dimensions", PERIOD)
    assert next(r for r in mine.section("by_source").rows if r["source"] == "survey")["answered"] == 2
