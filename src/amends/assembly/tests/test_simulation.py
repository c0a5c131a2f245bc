"""`amends simulate` and the retention report, round trip: parameters in, a simulated year written, and the
report's estimates found inside their intervals around what the parameters imply (`expected_rates`)."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from amends.accounts.models import User
from amends.assembly.simulation import Params, expected_rates, generate, simulate
from amends.customers.models import Customer, Policy
from amends.insights import queries
from amends.intake.models import Complaint
from amends.recovery.models import Case, Failure

UNTIL = date(2026, 11, 22)
YEAR = {"since": "2025-11-22", "until": "2026-11-22"}
# More failures and proactive finds than the defaults, so a small test population still has hundreds of
# recovered customers in each group.
DENSE = replace(Params(), failure_rate=0.6, proactive_rate=0.6, complaint_rate=0.2)


def test_the_same_seed_draws_the_same_year_and_another_seed_another():
    one = generate.draw(Params(), customers=5000, seed=3, until=UNTIL, outlets=4, touchpoints=10)
    again = generate.draw(Params(), customers=5000, seed=3, until=UNTIL, outlets=4, touchpoints=10)
    other = generate.draw(Params(), customers=5000, seed=4, until=UNTIL, outlets=4, touchpoints=10)
    assert np.array_equal(one.renewed, again.renewed) and np.array_equal(one.opened, again.opened)
    assert not np.array_equal(one.renewed, other.renewed)


def test_about_four_percent_of_the_dissatisfied_complain():
    year = generate.draw(Params(), customers=200_000, seed=1, until=UNTIL, outlets=4, touchpoints=10)
    dissatisfied_estimate = year.failed.sum() * Params().dissatisfied_rate
    assert 0.035 < year.complained.sum() / dissatisfied_estimate < 0.045


@pytest.mark.django_db
def test_the_rows_written_match_the_draw(world):
    result = simulate(Params(), customers=3000, seed=5, until=UNTIL)
    drawn, rows = result["drawn"], result["rows"]
    assert Customer.objects.filter(customer_no__startswith="SIM").count() == 3000
    assert Case.objects.filter(episode_key__startswith="sim:").count() == drawn["cases"] == rows["cases"]
    assert Failure.objects.filter(case__episode_key__startswith="sim:").count() == drawn["cases"]
    assert Complaint.objects.filter(case__episode_key__startswith="sim:").count() == drawn["complained"]
    assert Policy.objects.filter(renewal_of__isnull=False).count() == drawn["renewed"]
    assert Policy.objects.filter(status="lapsed", policy_no__startswith="SP").count() == 3000 - drawn["renewed"]


@pytest.mark.django_db
def test_the_retention_report_recovers_the_parameters_within_its_intervals(world):
    simulate(DENSE, customers=20_000, seed=11, until=UNTIL)
    expected = expected_rates(DENSE)
    result = queries.run(world.admin, "retention", {**YEAR, "confidence": "0.999"})

    def inside(section, group, truth):
        row = next(r for r in result.section(section).rows if r["group"] == group)
        assert row["customers"] >= 30, (group, row)
        assert row["ci_low"] <= truth <= row["ci_high"], (section, group, truth, row)

    for bucket in ("0-1d", "1-3d"):
        inside("by_time_to_recover", bucket, DENSE.renew_recovered_fast)
    for bucket in ("3-7d", "7-15d", "15d+"):
        inside("by_time_to_recover", bucket, DENSE.renew_recovered_slow)
    inside("by_outcome", "recovered", expected["recovered"])
    inside("by_outcome", "not_recovered", expected["not_recovered"])
    inside("compared", "no_recorded_failure", expected["no_recorded_failure"])
    inside("compared", "failure_no_complaint", expected["recorded_failure"])
    inside("compared", "complained", expected["recorded_failure"])
    fast = next(r for r in result.section("by_time_to_recover").rows if r["group"] == "1-3d")
    slow = next(r for r in result.section("by_time_to_recover").rows if r["group"] == "3-7d")
    assert fast["ci_low"] > slow["ci_high"]  # fast recovery keeps more customers, and the data show it
    money = result.section("money").rows[0]
    # The simulation grants nothing through the discretion ledger: nothing spent, so no ratio either.
    assert money["compensation_spent"] == "0.00" and money["retained_per_yuan_spent"] is None
    assert float(money["premium_retained_above_baseline"]) > 0


@pytest.mark.django_db
def test_the_command(world, capsys):
    call_command("simulate", "--customers", "500", "--seed", "2", "--until", "2026-11-22")
    out = capsys.readouterr().out
    assert "500 customers" in out and "written:" in out
    for bad in (
        ["--customers", "0"],
        ["--customers", "10", "--until", "tomorrow"],
        ["--customers", "10", "--param", "renew_magic=1"],
        ["--customers", "10", "--param", "complaint_rate=2"],
    ):
        with pytest.raises(CommandError):
            call_command("simulate", *bad)
    assert User.objects.filter(username="simulator", is_active=False).count() == 1


@pytest.mark.django_db
def test_renewals_and_lapses_reported_as_events_count(world, now):
    """Two terms ending in October with no renewal term: policy admin reports one renewed, one lapsed."""
    from decimal import Decimal

    from amends.warning.services import event_ingest

    for no, customer in (("PE1", world.online), ("PE2", world.key_account)):
        Policy.objects.create(
            policy_no=no,
            customer=customer,
            line="auto",
            premium=Decimal("1000"),
            start_date=date(2025, 10, 10),
            end_date=date(2026, 10, 9),
            org_unit=customer.org_unit,
        )
    event_ingest(
        actor=None,
        events=[
            {
                "event_id": "r1",
                "type": "policy.renewed",
                "occurred_at": "2026-10-09T10:00:00+08:00",
                "policy_no": "PE1",
            },
            {"event_id": "l1", "type": "policy.lapsed", "occurred_at": "2026-10-09T10:00:00+08:00", "policy_no": "PE2"},
        ],
        run_rules=False,
    )
    result = queries.run(world.admin, "retention", {"since": "2026-10-01", "until": "2026-10-31"})
    (row,) = [r for r in result.section("compared").rows if r["group"] == "no_recorded_failure"]
    assert (row["customers"], row["renewed"]) == (2, 1)
