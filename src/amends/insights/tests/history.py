"""A small, hand-countable history for the report tests, written as rows with chosen times (reference data:
the services that create them are tested in their own apps; here what matters is when things happened).

Period under test: 2026-09-01 … 2026-10-31, the clock at 2026-11-02 10:00 (Beijing). Every expected figure
in the tests is counted by hand from the table in each function's docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from amends.assembly.testing import World, at, case, complaint, failure, step, tp
from amends.customers.models import Line, Policy
from amends.intake.models import Complaint
from amends.promises.models import Promise, PromiseStatus
from amends.recovery.models import Case

PERIOD = {"since": "2026-09-01", "until": "2026-10-31"}


@dataclass
class History:
    cases: dict[str, Case]
    complaints: dict[str, Complaint]


def build(world: World) -> History:
    """Cases and complaints (unit is the customer's; 南山 and 深圳 are in Guangdong, 北京 is not):

    | case | customer       | unit | received    | channel   | category | policy | decided      | first step  |
    | c0   | individual     | 南山 | (2026-08-20, no complaint)                                                |
    | c1   | individual     | 南山 | 09-03 10:00 | hotline   | claims   | auto   | 09-10 (7 d)  | 09-03 12:00 |
    | c2   | online         | 南山 | 09-20 09:00 | app       | sales    | -      | 10-15 (25 d) | 09-20 13:00 |
    | c3   | key_account    | 深圳 | 10-05 10:00 | hotline   | claims   | -      | -, due 10-20 | -           |
    | c4   | beijing        | 北京 | 10-10 10:00 | regulator | (none)   | -      | 10-30 (20 d) | -           |
    | c5   | individual     | 南山 | 08-30 10:00 | hotline   | claims   | -      | outside the period                 |
    | cold | online         | 南山 | (2026-05-01, no complaint)                                                |
    c1 closed 09-12; the others open.

    Failures (touchpoints of auto_claim; "-" none):
    | f     | case | when  | touchpoint | cause          | dimension      | repeat? (earlier failure < 90 days)  |
    | fold  | cold | 05-01 | payment    | company        |                | outside the period                   |
    | f0    | c0   | 08-20 | assessment | company        |                | outside the period                   |
    | f1    | c1   | 09-03 | assessment | company        | responsiveness | yes (f0, 14 days)                    |
    | f2    | c1   | 09-25 | assessment | company        | reliability    | yes (f1)                             |
    | f3    | c2   | 09-20 | payment    | uncontrollable |                | no (fold is 142 days before)         |
    | f4    | c3   | 10-05 | assessment | customer       |                | no                                   |
    | f5    | c4   | 10-10 | payment    | company        |                | no                                   |
    | f6    | c1   | 10-12 | -          |                |                | yes (f2)                             |
    """
    cases = {
        "c0": case(world, world.individual, "2026-08-20 09:00"),
        "c1": case(world, world.individual, "2026-09-03 10:00", closed="2026-09-12 10:00"),
        "c2": case(world, world.online, "2026-09-20 09:00"),
        "c3": case(world, world.key_account, "2026-10-05 10:00"),
        "c4": case(world, world.beijing_customer, "2026-10-10 10:00"),
        "c5": case(world, world.individual, "2026-08-30 10:00"),
        "cold": case(world, world.online, "2026-05-01 09:00"),
    }
    complaints = {
        "c1": complaint(
            world,
            cases["c1"],
            "2026-09-03 10:00",
            channel="hotline",
            category="claims",
            decided="2026-09-10 10:00",
            policy=world.auto_policy,
        ),
        "c2": complaint(
            world, cases["c2"], "2026-09-20 09:00", channel="app", category="sales", decided="2026-10-15 09:00"
        ),
        "c3": complaint(
            world, cases["c3"], "2026-10-05 10:00", channel="hotline", category="claims", due="2026-10-20 10:00"
        ),
        "c4": complaint(world, cases["c4"], "2026-10-10 10:00", channel="regulator", decided="2026-10-30 10:00"),
        "c5": complaint(world, cases["c5"], "2026-08-30 10:00", channel="hotline", category="claims"),
    }
    step(world, cases["c1"], "2026-09-03 12:00")
    step(world, cases["c1"], "2026-09-04 12:00", "fix")
    step(world, cases["c2"], "2026-09-20 13:00")
    failure(cases["cold"], "2026-05-01 09:00", "auto_claim.payment", "company")
    failure(cases["c0"], "2026-08-20 09:00", "auto_claim.assessment", "company")
    failure(cases["c1"], "2026-09-03 10:00", "auto_claim.assessment", "company", "responsiveness")
    failure(cases["c1"], "2026-09-25 10:00", "auto_claim.assessment", "company", "reliability")
    failure(cases["c2"], "2026-09-20 09:00", "auto_claim.payment", "uncontrollable")
    failure(cases["c3"], "2026-10-05 10:00", "auto_claim.assessment", "customer")
    failure(cases["c4"], "2026-10-10 10:00", "auto_claim.payment", "company")
    failure(cases["c1"], "2026-10-12 10:00", None)
    return History(cases, complaints)


def policies(world: World) -> None:
    """Besides the world's auto policy (3,200 yuan, 2026-03-01 … 2027-02-28, 南山): in force during the period,
    the online customer's health policy (1,800) and the key account's property policy (260,000); not in force,
    the Beijing customer's life policy that ended in 2025. So: 3 policies, 265,000 yuan, 3 customers."""
    Policy.objects.create(
        policy_no="PH1",
        customer=world.online,
        line=Line.HEALTH,
        premium=Decimal("1800"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        org_unit=world.nanshan,
    )
    Policy.objects.create(
        policy_no="PP1",
        customer=world.key_account,
        line=Line.PROPERTY,
        premium=Decimal("260000"),
        start_date=date(2026, 6, 1),
        end_date=date(2027, 5, 31),
        org_unit=world.shenzhen,
    )
    Policy.objects.create(
        policy_no="PL1",
        customer=world.beijing_customer,
        line=Line.LIFE,
        premium=Decimal("5000"),
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        org_unit=world.beijing,
    )


def promise(world: World, made: str, due: str, status: str, *, renegotiations: int = 0) -> Promise:
    made_at: datetime = at(made)
    return Promise.objects.create(
        customer=world.individual,
        touchpoint=tp("auto_claim.assessment"),
        org_unit=world.nanshan,
        text="定损员明早9点到现场",
        channel="hotline",
        made_by=world.frontline,
        made_at=made_at,
        first_due_at=at(due),
        due_at=at(due),
        status=status,
        settled_at=None if status == PromiseStatus.OPEN else at(due),
        fulfilled_at=at(due) if status == PromiseStatus.KEPT else None,
        renegotiations=renegotiations,
    )


def promises(world: World) -> None:
    """Sept: made 2 (kept 1, broken 1). Oct: made 2 (kept 1 after a renegotiation; open and overdue 1)."""
    promise(world, "2026-09-05 10:00", "2026-09-06 10:00", PromiseStatus.KEPT)
    promise(world, "2026-09-06 10:00", "2026-09-07 10:00", PromiseStatus.BROKEN)
    promise(world, "2026-10-02 10:00", "2026-10-04 10:00", PromiseStatus.KEPT, renegotiations=1)
    promise(world, "2026-10-20 10:00", "2026-10-25 10:00", PromiseStatus.OPEN)
