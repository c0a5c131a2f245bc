"""The `discretion` report's figures against the hand-counted requests of `discretion_history.py`, its filters
and scope, and the same figures through the API as JSON and CSV."""

import csv
import io

import pytest
from openpyxl import load_workbook

from amends.core.tests.api_client import Api
from amends.insights import queries

from . import discretion_history
from .discretion_history import PERIOD

ZERO = {
    "requests": 0,
    "granted_on_the_spot": 0,
    "approved": 0,
    "rejected": 0,
    "refused": 0,
    "pending": 0,
    "grant_rate": None,
    "amount_given": "0.00",
    "hours_to_approval_decision": None,
}


@pytest.fixture
def spend(world, now):
    return discretion_history.build(world)


def run(user, **params):
    return queries.run(user, "discretion", {**PERIOD, **params})


def rows_by(section, key):
    return {r[key]: r for r in section.rows}


def test_each_month_counts_what_was_asked_how_it_was_decided_and_the_yuan_given(world, spend):
    trend = run(world.admin).section("trend")
    assert trend.rows == [
        {
            "period": "2026-09",  # r1 on the spot, r2 approved after 4 h, r3 refused
            "requests": 3,
            "granted_on_the_spot": 1,
            "approved": 1,
            "rejected": 0,
            "refused": 1,
            "pending": 0,
            "grant_rate": 0.667,
            "amount_given": "3300.00",
            "hours_to_approval_decision": 4.0,
        },
        {
            "period": "2026-10",  # r4 rejected after 2 h, r5 on the spot, r6 waiting; r7 is November's
            "requests": 3,
            "granted_on_the_spot": 1,
            "approved": 0,
            "rejected": 1,
            "refused": 0,
            "pending": 1,
            "grant_rate": 0.5,  # of the two decided: the waiting one is not refused
            "amount_given": "400.00",
            "hours_to_approval_decision": 2.0,
        },
    ]
    assert trend.totals == {
        "requests": 6,
        "granted_on_the_spot": 2,
        "approved": 1,
        "rejected": 1,
        "refused": 1,
        "pending": 1,
        "grant_rate": 0.6,  # 3 of the 5 decided
        "amount_given": "3700.00",
        "hours_to_approval_decision": 3.0,
    }


def test_a_quiet_bucket_counts_zero(world, spend):
    weeks = rows_by(run(world.admin, bucket="week").section("trend"), "period")
    assert weeks["2026-09-21"] == {"period": "2026-09-21", **ZERO}
    assert weeks["2026-09-14"]["refused"] == 1  # r3, on Sunday the 20th
    assert weeks["2026-09-07"]["approved"] == 1


def test_every_kind_has_a_row_in_order_with_what_it_cost(world, spend):
    by_kind = run(world.admin).section("by_kind")
    assert [r["code"] for r in by_kind.rows] == [
        "cash",
        "premium_discount",
        "voucher",
        "waiver",
        "upgrade",
        "rule_exception",
    ]
    kinds = rows_by(by_kind, "code")
    cash = kinds["cash"]  # r2 approved, r4 rejected, r6 waiting
    assert (cash["requests"], cash["approved"], cash["rejected"], cash["pending"]) == (3, 1, 1, 1)
    assert (cash["amount_given"], cash["grant_rate"], cash["hours_to_approval_decision"]) == ("3000.00", 0.5, 3.0)
    assert (kinds["waiver"]["granted_on_the_spot"], kinds["waiver"]["amount_given"]) == (2, "700.00")
    assert (kinds["voucher"]["refused"], kinds["voucher"]["amount_given"]) == (1, "0.00")
    assert {k: kinds[k]["requests"] for k in ("premium_discount", "upgrade", "rule_exception")} == dict.fromkeys(
        ("premium_discount", "upgrade", "rule_exception"), 0
    )


def test_equal_treatment_gives_the_same_figures_per_customer_segment(world, spend):
    segments = rows_by(run(world.admin).section("by_segment"), "code")
    assert list(segments) == ["key_account", "individual", "telesales", "online", "group"]
    individual = segments["individual"]  # r1, r5 on the spot, r6 waiting; ca recovered, cd open
    assert (individual["requests"], individual["granted_on_the_spot"], individual["pending"]) == (3, 2, 1)
    assert (individual["amount_given"], individual["on_the_spot_rate"]) == ("700.00", 0.667)
    assert (individual["given_cases"], individual["given_cases_recovered"], individual["given_recovered_rate"]) == (
        2,
        1,
        1.0,
    )
    online = segments["online"]  # r2 approved, r3 refused; cb closed unreachable
    assert (online["approved"], online["refused"], online["approval_rate"], online["amount_given"]) == (
        1,
        1,
        1.0,
        "3000.00",
    )
    assert (online["given_cases"], online["given_cases_recovered"], online["given_recovered_rate"]) == (1, 0, 0.0)
    key_account = segments["key_account"]  # r4 rejected
    assert (key_account["rejected"], key_account["approval_rate"], key_account["given_cases"]) == (1, 0.0, 0)
    assert key_account["given_recovered_rate"] is None and segments["group"]["requests"] == 0


def test_by_org_unit_counts_the_asker_s_unit(world, spend):
    units = rows_by(run(world.admin).section("by_unit"), "name")
    assert {name: r["requests"] for name, r in units.items()} == {"南山营业部": 4, "深圳中心支公司": 1, "北京分公司": 1}
    assert units["南山营业部"]["amount_given"] == "3300.00" and units["北京分公司"]["amount_given"] == "400.00"
    assert units["深圳中心支公司"]["org_unit"] == world.shenzhen.pk


def test_the_cases_that_got_something_and_how_they_ended(world, spend):
    outcome = rows_by(run(world.admin).section("outcome"), "code")
    assert list(outcome) == ["on_the_spot", "after_approval", "nothing"]
    # ca (recovered) and cd (open) got something on the spot; cb only after approval, then could not be
    # reached after one reopening; cc was refused everything and is still open.
    assert {k: (r["cases"], r["open"], r["closed"], r["recovered"], r["unreachable"]) for k, r in outcome.items()} == {
        "on_the_spot": (2, 1, 1, 1, 0),
        "after_approval": (1, 0, 1, 0, 1),
        "nothing": (1, 1, 0, 0, 0),
    }
    assert [r["reopened"] for r in outcome.values()] == [0, 1, 0]
    assert [r["recovered_rate"] for r in outcome.values()] == [1.0, 0.0, None]


def test_filters_narrow_the_requests_through_their_case(world, spend):
    def total(**params):
        return run(world.admin, **params).section("trend").totals["requests"]

    assert total(segment="online") == 2  # r2, r3
    assert total(channel="app") == 2  # cb's complaint came on the app
    assert total(touchpoint="auto_claim.payment") == 1  # cd: r5 (r7 is after the period)
    assert total(unit=str(world.beijing.pk)) == 1
    assert total(unit=str(world.shenzhen.pk)) == 5  # 深圳 and 南山 below it
    assert total(line="health") == 0  # no complaint names a policy
    kinds = rows_by(run(world.admin, segment="online").section("by_kind"), "code")
    assert (kinds["cash"]["approved"], kinds["voucher"]["refused"], kinds["waiver"]["requests"]) == (1, 1, 0)


def test_a_city_supervisor_sees_only_their_subtree(world, spend):
    result = run(world.supervisor)  # 深圳: not the Beijing waiver r5
    assert result.section("trend").totals["requests"] == 5
    assert result.section("trend").totals["amount_given"] == "3300.00"
    assert "北京分公司" not in rows_by(result.section("by_unit"), "name")
    assert rows_by(result.section("outcome"), "code")["on_the_spot"]["cases"] == 1  # ca only


def test_the_api_answers_json_and_csv_with_the_same_figures(world, spend):
    api = Api(world.token(world.quality))
    answer = api.get("/insights/discretion", **PERIOD)
    assert answer.status_code == 200
    data = answer.json()
    assert [s["key"] for s in data["sections"]] == ["trend", "by_kind", "by_segment", "by_unit", "outcome"]
    trend = data["sections"][0]
    kinds = {c["key"]: c["kind"] for c in trend["columns"]}
    assert (kinds["requests"], kinds["grant_rate"], kinds["amount_given"]) == ("count", "rate", "money")
    assert kinds["hours_to_approval_decision"] == "number"
    assert [(r["requests"], r["amount_given"]) for r in trend["rows"]] == [(3, "3300.00"), (2, "0.00")]
    assert "discretion" in [r["name"] for r in api.get("/insights").json()["reports"]]

    csv_answer = api.get("/insights/discretion", format="csv", **PERIOD)
    assert csv_answer.status_code == 200 and csv_answer["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_answer.content.decode("utf-8-sig"))))
    header = lines.index([c["key"] for c in trend["columns"]])
    assert lines[header + 2] == ["2026-09", "3", "1", "1", "0", "1", "0", "0.667", "3300.00", "4.0"]

    xlsx = api.get("/insights/discretion", format="xlsx", **PERIOD)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[3] == ["2026-09", 3, 1, 1, 0, 1, 0, 0.667, 3300.0, 4]  # yuan as numbers Excel can add up
    assert Api(world.token(world.frontline)).get("/insights/discretion", **PERIOD).status_code == 403


def test_count_columns_are_named_as_counts_not_times():
    from django.utils import translation
    from django.utils.translation import pgettext

    from amends.insights.reports import timeliness

    with translation.override("zh-hans"):
        labels = {str(c.label) for c in timeliness.columns()}
        raised = pgettext("a count", "Raised")  # the alerts report's count of alerts raised
    assert "受理件数" in labels and "受理时间" not in labels
    assert raised == "产生"
