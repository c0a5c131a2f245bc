"""Every report's figures against the hand-counted history of `history.py` (period 2026-09 … 2026-10)."""

from decimal import Decimal

import pytest

from amends.core.errors import Forbidden, InvalidInput
from amends.insights import queries

from . import history
from .history import PERIOD


@pytest.fixture
def data(world, now):
    history.policies(world)
    history.promises(world)
    return history.build(world)


def run(user, name, **params):
    return queries.run(user, name, {**PERIOD, **params})


def rows_by(section, key="period"):
    return {r[key]: r for r in section.rows}


def test_volume_counts_complaints_cases_and_failures_per_month(world, data):
    result = run(world.admin, "volume")
    trend = rows_by(result.section("trend"))
    assert list(trend) == ["2026-09", "2026-10"]
    assert trend["2026-09"] == {
        "period": "2026-09",
        "complaints": 2,
        "cases_opened": 2,
        "cases_closed": 1,
        "failures": 3,
    }
    assert trend["2026-10"] == {
        "period": "2026-10",
        "complaints": 2,
        "cases_opened": 2,
        "cases_closed": 0,
        "failures": 3,
    }
    channels = rows_by(result.section("by_channel"), "channel")
    assert {k: r["complaints"] for k, r in channels.items()} == {"hotline": 2, "app": 1, "regulator": 1}
    assert channels["hotline"]["share"] == 0.5


def test_a_supervisor_sees_only_their_subtree(world, data):
    trend = rows_by(run(world.supervisor, "volume").section("trend"))
    assert trend["2026-10"]["complaints"] == 1  # the Beijing complaint is outside 深圳


def test_filters_narrow_the_counts(world, data):
    assert run(world.admin, "volume", channel="hotline").section("trend").totals["complaints"] == 2
    assert run(world.admin, "volume", segment="online").section("trend").totals["complaints"] == 1
    assert run(world.admin, "volume", line="auto").section("trend").totals == {
        "complaints": 1,
        "cases_opened": 1,
        "cases_closed": 1,
        "failures": 3,
        "decided": 1,
        "upheld": 0,  # the history's decisions record no result
        "upheld_share": 0.0,
    }
    assert run(world.admin, "volume", unit=str(world.beijing.pk)).section("trend").totals["complaints"] == 1
    narrow = run(world.admin, "volume", touchpoint="auto_claim.payment")
    assert narrow.section("trend").totals["failures"] == 2


def test_weekly_buckets_start_on_monday_and_quiet_weeks_count_zero(world, data):
    trend = rows_by(run(world.admin, "volume", bucket="week").section("trend"))
    assert next(iter(trend)) == "2026-08-31"  # the Monday of the week holding 09-01
    assert trend["2026-08-31"]["complaints"] == 1  # 09-03
    assert trend["2026-09-07"]["complaints"] == 0


def test_timeliness_measures_response_resolution_and_the_clock(world, data):
    result = run(world.admin, "timeliness")
    sept, octo = (rows_by(result.section("trend"))[m] for m in ("2026-09", "2026-10"))
    assert (sept["received"], sept["decided"], sept["within_15"], sept["within_30"], sept["within_60"]) == (
        2,
        2,
        1,
        2,
        2,
    )
    assert sept["share_15"] == 0.5 and sept["share_30"] == 1.0
    assert sept["first_response_hours"] == 3.0  # (2 h + 4 h) / 2
    assert sept["resolution_days"] == 16.0  # (7 + 25) / 2
    assert (octo["received"], octo["decided"], octo["undecided_overdue"], octo["within_15"], octo["within_30"]) == (
        2,
        1,
        1,
        0,
        1,
    )
    assert octo["first_response_hours"] is None and octo["resolution_days"] == 20.0
    totals = result.section("trend").totals
    # Shares are of the decided: c3 is open (and past its deadline), so in no denominator.
    assert totals["received"] == 4 and totals["share_30"] == 1.0 and totals["resolution_days"] == round(52 / 3, 2)
    assert (totals["median_days"], totals["p90_days"]) == (20.0, 24.0)  # 7, 20, 25 days
    # Due in the period: c1 (09-18), c2 (10-05), c3 (10-20, undecided: late), c4 (10-25); c5 (due 09-14) too.
    assert (totals["due"], totals["due_within_15"], totals["due_within_30"]) == (5, 1, 3)


def test_promises_kept_rate(world, data):
    result = run(world.admin, "promises")
    sept, octo = (rows_by(result.section("trend"))[m] for m in ("2026-09", "2026-10"))
    assert (sept["made"], sept["settled"], sept["kept"], sept["broken"], sept["kept_rate"]) == (2, 2, 1, 1, 0.5)
    assert (octo["made"], octo["kept"], octo["renegotiated"], octo["open_overdue"], octo["kept_rate"]) == (
        2,
        1,
        1,
        1,
        1.0,
    )
    by_tp = result.section("by_touchpoint").rows
    assert [(r["month"], r["touchpoint"], r["settled"], r["kept"]) for r in by_tp] == [
        ("2026-09", "auto_claim.assessment", 2, 1),
        ("2026-10", "auto_claim.assessment", 1, 1),
    ]
    assert run(world.admin, "promises", channel="app").section("trend").totals["made"] == 0


def test_repeat_failures_look_back_across_the_period_start(world, data):
    """Complaints count beside failures (their touchpoint uncoded here); a complaint and a failure on the same
    case are one episode, so c2 does not repeat f3 nor f3 c2."""
    result = run(world.admin, "repeat")
    trend = rows_by(result.section("trend"))
    sept, octo = trend["2026-09"], trend["2026-10"]
    # f1 (after f0 in August), f2, and complaint c1 (after f0, on another case)
    assert (sept["failures"], sept["complaints"], sept["repeats"]) == (3, 2, 3)
    assert (octo["failures"], octo["complaints"], octo["repeats"]) == (3, 2, 1)  # f6
    totals = result.section("trend").totals
    assert totals["repeat_share"] == 0.4 and totals["customers_failed_twice"] == 1
    where = {r["touchpoint"]: r["repeats"] for r in result.section("by_touchpoint").rows}
    assert where == {"auto_claim.assessment": 2, "": 2}


def test_pareto_orders_touchpoints_and_causes_with_cumulative_shares(world, data):
    """The four complaints of the period count too, uncoded (the history codes none of them)."""
    result = run(world.admin, "pareto")
    by_tp = result.section("by_touchpoint").rows
    assert [(r["touchpoint"], r["failures"], r["complaints"], r["cumulative"]) for r in by_tp] == [
        ("", 1, 4, 0.5),
        ("auto_claim.assessment", 3, 0, 0.8),
        ("auto_claim.payment", 2, 0, 1.0),
    ]
    assert by_tp[0]["drill"] == {"touchpoint": "-"}
    by_cause = {r["cause"]: r["total"] for r in result.section("by_cause").rows}
    assert by_cause == {"company": 3, "uncontrollable": 1, "customer": 1, "": 5}
    roots = [(r["touchpoint"], r["cause"], r["total"]) for r in result.section("by_touchpoint_cause").rows]
    assert roots[0] == ("", "", 5)
    assert roots[1] == ("auto_claim.assessment", "company", 2)
    dims = {r["dimension"]: r["total"] for r in result.section("by_dimension").rows}
    assert dims == {"": 8, "reliability": 1, "responsiveness": 1}
    assert result.section("by_touchpoint").totals == {"failures": 6, "complaints": 4, "total": 10}


def test_pareto_drill_down_lists_the_cases_behind_a_bar(world, data):
    found = queries.drill(world.admin, {**PERIOD, "touchpoint": "auto_claim.assessment", "cause": "company"})
    assert [(i["id"], i["failures"]) for i in found["items"]] == [(data.cases["c1"].pk, 2)]
    uncoded = queries.drill(world.admin, {**PERIOD, "touchpoint": "-", "cause": "-"})
    # f6 and the uncoded complaints: c1 counts its failure and its complaint
    assert [(i["id"], i["failures"]) for i in uncoded["items"]] == [
        (data.cases[k].pk, n) for k, n in (("c4", 1), ("c3", 1), ("c2", 1), ("c1", 2))
    ]
    mine = queries.drill(world.supervisor, {**PERIOD, "touchpoint": "auto_claim.payment"})
    assert [i["id"] for i in mine["items"]] == [data.cases["c2"].pk]  # c4 is in Beijing
    with pytest.raises(InvalidInput) as bad:
        queries.drill(world.admin, {**PERIOD, "cause": "weather"})
    assert "cause" in bad.value.fields


def test_regulator_report_by_category_line_channel_region_and_rates(world, data):
    result = run(world.admin, "regulator")
    cats = rows_by(result.section("by_category"), "code")
    assert list(cats) == ["sales", "claims", "policy_service", "surrender", "renewal", "other", "-"]
    assert (cats["claims"]["received"], cats["claims"]["decided"], cats["claims"]["within_15"]) == (2, 1, 1)
    assert (cats["sales"]["within_15"], cats["sales"]["within_30"]) == (0, 1)
    assert cats["-"]["received"] == 1 and cats["surrender"]["received"] == 0
    lines = rows_by(result.section("by_line"), "code")
    assert lines["auto"]["received"] == 1 and lines["-"]["received"] == 3 and lines["life"]["received"] == 0
    channels = rows_by(result.section("by_channel"), "code")
    assert {k: r["received"] for k, r in channels.items()} == {"hotline": 2, "app": 1, "regulator": 1}
    regions = {r["label"]: r["received"] for r in result.section("by_region").rows}
    assert regions == {"南山": 2, "深圳": 1, "北京": 1}
    rates, transferred = result.section("rates").rows
    assert (rates["complaints"], rates["policies"], rates["premium"], rates["customers"]) == (4, 3, "265000.00", 3)
    # Premium income written in the period: the terms that start in it, each with its premium.
    from amends.customers.models import Policy

    written = sum(p.premium for p in Policy.objects.filter(start_date__range=("2026-09-01", "2026-10-31")))
    assert Decimal(rates["premium_written"]) == written
    assert rates["per_100m_premium_written"] == (round(4 * 100_000_000 / float(written), 2) if written else None)
    assert (transferred["basis"], transferred["complaints"]) == ("regulator", 1)  # c4 came through the regulator
    assert transferred["per_10k_policies"] == round(10_000 / 3, 2)
    assert rates["per_10k_policies"] == 13333.33
    assert rates["per_100m_premium"] == 1509.43
    assert rates["per_10k_customers"] == 13333.33


def test_who_may_see_reports_and_which_units(world, data):
    with pytest.raises(Forbidden):
        run(world.handler, "volume")
    with pytest.raises(Forbidden):
        run(world.supervisor, "volume", unit=str(world.beijing.pk))
    assert run(world.quality, "volume", unit=str(world.nanshan.pk)).section("trend").totals["complaints"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-13-01"}, "since"),
        ({"since": "2026-11-01", "until": "2026-10-01"}, "since"),
        ({"since": "2026-11-01"}, "since"),  # after the period's end (any span is allowed)
        ({"bucket": "quarter"}, "bucket"),
        ({"since": "2025-01-01", "bucket": "day"}, "bucket"),
        ({"line": "marine"}, "line"),
        ({"segment": "vip"}, "segment"),
        ({"channel": "pigeon"}, "channel"),
        ({"touchpoint": "auto_claim.nowhere"}, "touchpoint"),
        ({"unit": "abc"}, "unit"),
        ({"unit": "999999"}, "unit"),
    ],
)
def test_bad_filters_are_refused_with_the_field_named(world, now, params, field):
    with pytest.raises(InvalidInput) as refused:
        queries.run(world.admin, "volume", {"until": "2026-10-31", **params})
    assert field in refused.value.fields
