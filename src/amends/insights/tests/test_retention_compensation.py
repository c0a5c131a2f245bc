"""The retention report's compensation section: what discretion gave each recovery group's customers during
their term, from the ledger, beside the premium they kept above customers without a failure."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from amends.assembly.testing import at
from amends.customers.models import Customer, Line, Policy
from amends.insights import queries

from . import discretion_history, history
from .discretion_history import PERIOD


def term(customer, no, premium, end, *, renewed):
    """A one-year term ending in the period, renewed (a later term points at it) or lapsed."""
    policy = Policy.objects.create(
        policy_no=no,
        customer=customer,
        line=Line.AUTO,
        premium=Decimal(premium),
        start_date=end.replace(year=end.year - 1) + timedelta(days=1),
        end_date=end,
        org_unit=customer.org_unit,
        status="active" if renewed else "lapsed",
    )
    if renewed:
        Policy.objects.create(
            policy_no=f"{no}-2",
            customer=customer,
            line=Line.AUTO,
            premium=Decimal(premium),
            start_date=date(2026, 11, 1),
            end_date=date(2027, 10, 31),
            org_unit=customer.org_unit,
            renewal_of=policy,
        )
    return policy


def untroubled(world, no):
    return Customer.objects.create(
        customer_no=no,
        name=f"客户{no}",
        segment="individual",
        org_unit=world.nanshan,
        value=Decimal("1000"),
        phone=f"1360000{no[-4:]}",
        since=date(2020, 1, 1),
        created_at=at("2020-01-01 10:00"),
    )


@pytest.fixture
def renewals(world, now):
    """On top of `discretion_history` (r1 ¥300 to the individual on the spot, r2 ¥3,000 approved for the
    online customer, the key account rejected, the Beijing customer has no term ending):

    | customer     | term ends  | premium | renewed | last case in the term  | given in the term (ledger) |
    | individual   | 2026-10-31 |  3,000  | yes     | ca, recovered          | 300 (r6 still waiting)     |
    | online       | 2026-09-30 |  2,000  | no      | cb, unreachable        | 3,000                      |
    | key account  | 2026-10-31 | 10,000  | yes     | cc, open: not recovered| 0 (rejected)               |
    | U1, U2, U3   | 2026-10-15 |  1,000  | U1 only | none, no failure       | 0                          |

    The no-failure baseline renews 1 of 3.
    """
    spend = discretion_history.build(world)
    for key in ("ca", "cb", "cc"):
        history.failure(spend.cases[key], "2026-09-15 10:00", "auto_claim.salvage", "company")
    term(world.individual, "PR-IND", "3000", date(2026, 10, 31), renewed=True)
    term(world.online, "PR-ONL", "2000", date(2026, 9, 30), renewed=False)
    term(world.key_account, "PR-KEY", "10000", date(2026, 10, 31), renewed=True)
    for n, renewed in (("U0001", True), ("U0002", False), ("U0003", False)):
        term(untroubled(world, n), f"PR-{n}", "1000", date(2026, 10, 15), renewed=renewed)
    return spend


def test_compensation_per_recovery_group_beside_the_premium_kept_above_the_no_failure_baseline(world, renewals):
    result = queries.run(world.admin, "retention", PERIOD)
    assert result.section("compared").rows[0]["customers"] == 3 and result.section("compared").rows[0]["renewed"] == 1
    rows = {r["group"]: r for r in result.section("compensation").rows}
    assert rows == {
        # 3,000 renewed − 1/3 × 3,000 expected at the baseline
        "recovered": {
            "group": "recovered",
            "label": "已挽回",
            "customers": 1,
            "compensation_given": "300.00",
            "premium_renewed": "3000.00",
            "premium_above_no_failure": "2000.00",
        },
        # 10,000 − 10,000 / 3, from the baseline's counts (a rate rounded to 0.3333 would give 6,667.00)
        "not_recovered": {
            "group": "not_recovered",
            "label": "未挽回",
            "customers": 1,
            "compensation_given": "0.00",
            "premium_renewed": "10000.00",
            "premium_above_no_failure": "6666.67",
        },
        # lapsed: 0 − 2,000 / 3
        "unreachable": {
            "group": "unreachable",
            "label": "无法联系",
            "customers": 1,
            "compensation_given": "3000.00",
            "premium_renewed": "0.00",
            "premium_above_no_failure": "-666.67",
        },
    }


def test_a_supervisor_sees_the_compensation_of_their_own_customers_only(world, renewals):
    rows = {r["group"]: r for r in queries.run(world.supervisor, "retention", PERIOD).section("compensation").rows}
    assert rows["recovered"]["compensation_given"] == "300.00" and rows["unreachable"]["customers"] == 1
    narrow = queries.run(world.admin, "retention", {**PERIOD, "segment": "online"}).section("compensation")
    assert [r["customers"] for r in narrow.rows] == [0, 0, 1]


def test_without_customers_free_of_failure_there_is_no_baseline(world, now):
    discretion_history.build(world)
    rows = queries.run(world.admin, "retention", PERIOD).section("compensation").rows
    assert [r["premium_above_no_failure"] for r in rows] == [None, None, None]
