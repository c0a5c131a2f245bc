"""The demo insurer's customers and policies: planned from a seeded random stream, then bulk-written.

`plan_customers` is pure: it draws names, segments, phones, lines and premiums from the caller's
`random.Random` and expresses every date as days before the demo's "today", so the same seed gives the
same customers on any day. `create_customers` turns the plan into the world builder's specs and writes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from amends.accounts.models import OrgUnit
from amends.assembly import world
from amends.customers.models import Customer, Line, Policy, PolicyStatus, Segment

from . import names
from .org import CITIES, OUTLETS, UNIT_BY_CODE

LINE_LETTER: dict[str, str] = {Line.AUTO: "A", Line.HEALTH: "H", Line.LIFE: "L", Line.PROPERTY: "P", Line.ACCIDENT: "Y"}

SEGMENT_WEIGHTS = (
    (Segment.INDIVIDUAL, 66),
    (Segment.TELESALES, 12),
    (Segment.ONLINE, 13),
    (Segment.KEY_ACCOUNT, 3),
    (Segment.GROUP, 6),
)
# Which lines a segment buys, with weights: individuals mostly insure their car, online buyers their health.
LINES_BY_SEGMENT: dict[str, tuple[tuple[str, int], ...]] = {
    Segment.INDIVIDUAL: ((Line.AUTO, 60), (Line.HEALTH, 22), (Line.LIFE, 20), (Line.PROPERTY, 8), (Line.ACCIDENT, 8)),
    Segment.TELESALES: ((Line.AUTO, 75), (Line.ACCIDENT, 15), (Line.HEALTH, 10)),
    Segment.ONLINE: ((Line.HEALTH, 45), (Line.ACCIDENT, 25), (Line.AUTO, 30)),
    Segment.KEY_ACCOUNT: ((Line.AUTO, 70), (Line.PROPERTY, 30)),
    Segment.GROUP: ((Line.HEALTH, 65), (Line.ACCIDENT, 35)),
}
# Annual premium ranges in yuan by line; companies insure fleets, premises and staff.
PREMIUMS: dict[str, tuple[int, int]] = {
    Line.AUTO: (1800, 9600),
    Line.HEALTH: (268, 7800),
    Line.LIFE: (3600, 60000),
    Line.PROPERTY: (180, 2600),
    Line.ACCIDENT: (99, 880),
}
COMPANY_PREMIUMS: dict[str, tuple[int, int]] = {
    Line.AUTO: (80000, 680000),
    Line.PROPERTY: (20000, 300000),
    Line.HEALTH: (30000, 480000),
    Line.ACCIDENT: (6000, 90000),
}
COMPANIES: set[str] = {Segment.KEY_ACCOUNT, Segment.GROUP}


@dataclass(frozen=True)
class PolicyPlan:
    line: str
    premium: Decimal
    start_days_ago: int
    status: str


@dataclass(frozen=True)
class CustomerPlan:
    no: str
    name: str
    title: str  # how staff address them in notes: 陈先生, 王女士, 华运物流刘经理
    segment: str
    unit: str
    phone: str
    email: str
    since_days_ago: int
    policies: tuple[PolicyPlan, ...]


def _person(rng: random.Random) -> tuple[str, str]:
    surname = rng.choices([s for s, _ in names.SURNAMES], weights=[w for _, w in names.SURNAMES])[0]
    male = rng.random() < 0.55
    given = rng.choice(names.MALE_GIVEN if male else names.FEMALE_GIVEN)
    return surname + given, surname + ("先生" if male else "女士")


def _company(rng: random.Random, unit: str, segment: str) -> tuple[str, str]:
    city = UNIT_BY_CODE[unit].region
    brand = rng.choice(names.COMPANY_BRANDS)
    trades = names.KEY_ACCOUNT_TRADES if segment == Segment.KEY_ACCOUNT else names.GROUP_TRADES
    contact = rng.choice([s for s, _ in names.SURNAMES[:30]])
    name = f"{city}市{brand}{rng.choice(trades)}{rng.choice(names.COMPANY_FORMS)}"
    return name, f"{brand}{contact}经理"


def _phone(rng: random.Random) -> str:
    return rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _policies(rng: random.Random, segment: str) -> tuple[PolicyPlan, ...]:
    choices = LINES_BY_SEGMENT[segment]
    wanted = rng.choices((1, 2, 3), weights=(55, 33, 12))[0]
    lines: list[str] = []
    for _ in range(wanted * 3):
        line = rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]
        if line not in lines:
            lines.append(line)
        if len(lines) == wanted:
            break
    out = []
    for line in lines:
        low, high = (COMPANY_PREMIUMS if segment in COMPANIES else PREMIUMS)[line]
        premium = Decimal(rng.randrange(low * 100, high * 100)) / 100
        roll = rng.random()
        if roll < 0.84:
            status, start = PolicyStatus.ACTIVE, rng.randrange(0, 360)
        elif roll < 0.93:
            status, start = PolicyStatus.EXPIRED, rng.randrange(370, 720)
        elif line == Line.LIFE:
            status, start = PolicyStatus.SURRENDERED, rng.randrange(400, 1800)
        else:
            status, start = PolicyStatus.LAPSED, rng.randrange(120, 360)
        out.append(PolicyPlan(line, premium.quantize(Decimal("0.01")), start, status))
    return tuple(out)


# A company's health or accident policy is group cover: roughly one insured person per this much premium.
GROUP_PREMIUM_PER_PERSON: dict[str, Decimal] = {Line.HEALTH: Decimal("1200"), Line.ACCIDENT: Decimal("150")}


def insured_persons(segment: str, line: str, premium: Decimal) -> int:
    """Whom a demo policy insures, read off what it already is (no draw of its own, so the demo's other draws
    stay as they were): a company's health or accident policy covers its staff; a person's health or accident
    policy covers one to three of the family (by the premium's cents); anything else, one."""
    if line in GROUP_PREMIUM_PER_PERSON:
        if segment in COMPANIES:
            return max(2, int(premium / GROUP_PREMIUM_PER_PERSON[line]))
        return 1 + int(premium * 100) % 3
    return 1


def _plan(rng: random.Random, no: int, segment: str, unit: str) -> CustomerPlan:
    if segment in COMPANIES:
        name, title = _company(rng, unit, segment)
    else:
        name, title = _person(rng)
    email = f"kh{no:07d}@example.cn" if rng.random() < 0.45 else ""
    return CustomerPlan(
        no=f"C{no:08d}",
        name=name,
        title=title,
        segment=segment,
        unit=unit,
        phone=_phone(rng),
        email=email,
        since_days_ago=rng.randrange(30, 3650),
        policies=_policies(rng, segment),
    )


# Customers the seed stories are about come first, at fixed numbers (see `cases.SEED_STORIES`).
FIXED = (
    ("深圳市华运物流有限公司", "华运物流刘经理", Segment.KEY_ACCOUNT, "GD-SZ", (Line.AUTO, Line.PROPERTY)),
    ("陈志强", "陈先生", Segment.INDIVIDUAL, "GD-SZ-NS", (Line.AUTO,)),
    ("李明辉", "李先生", Segment.INDIVIDUAL, "GD-SZ-FT", (Line.AUTO, Line.HEALTH)),
    ("王秀兰", "王女士", Segment.INDIVIDUAL, "GD-SZ-NS", (Line.HEALTH, Line.LIFE)),
)


def plan_customers(rng: random.Random, count: int) -> list[CustomerPlan]:
    plans = []
    for i, (name, title, segment, unit, lines) in enumerate(FIXED, start=1):
        policies = []
        for line in lines:
            low, high = (COMPANY_PREMIUMS if segment in COMPANIES else PREMIUMS)[line]
            premium = (Decimal(rng.randrange(low * 100, high * 100)) / 100).quantize(Decimal("0.01"))
            policies.append(PolicyPlan(line, premium, rng.randrange(60, 300), PolicyStatus.ACTIVE))
        plans.append(
            CustomerPlan(f"C{i:08d}", name, title, segment, unit, _phone(rng), "", 2400 + i * 97, tuple(policies))
        )
    outlets = [u.code for u in OUTLETS]
    outlet_weights = [u.weight for u in OUTLETS]
    cities = [u.code for u in CITIES]
    city_weights = [u.weight for u in CITIES]
    segments = [s for s, _ in SEGMENT_WEIGHTS]
    segment_weights = [w for _, w in SEGMENT_WEIGHTS]
    for no in range(len(FIXED) + 1, count + 1):
        segment = rng.choices(segments, weights=segment_weights)[0]
        # Individuals are served by an outlet; companies, telesales and online buyers by the city branch.
        if segment == Segment.INDIVIDUAL:
            unit = rng.choices(outlets, weights=outlet_weights)[0]
        else:
            unit = rng.choices(cities, weights=city_weights)[0]
        plans.append(_plan(rng, no, segment, unit))
    return plans


def policy_numbers(plans: list[CustomerPlan], today: date) -> list[list[str]]:
    """Policy numbers such as PA2026440300000123: line, start year, the branch's area code, a sequence."""
    seq = 0
    out = []
    for plan in plans:
        area = UNIT_BY_CODE[plan.unit].area
        row = []
        for p in plan.policies:
            seq += 1
            start = today - timedelta(days=p.start_days_ago)
            row.append(f"P{LINE_LETTER[p.line]}{start.year}{area}{seq:06d}")
        out.append(row)
    return out


def create_customers(
    plans: list[CustomerPlan], units: dict[str, OrgUnit], today: date
) -> tuple[list[Customer], list[list[Policy]]]:
    tz = timezone.get_current_timezone()
    specs = []
    for plan in plans:
        since = today - timedelta(days=plan.since_days_ago)
        specs.append(
            world.CustomerSpec(
                plan.no,
                plan.name,
                units[plan.unit].pk,
                datetime.combine(since, time(10, 0), tzinfo=tz),
                segment=plan.segment,
                phone=plan.phone,
                email=plan.email,
                value=sum((p.premium for p in plan.policies if p.status == PolicyStatus.ACTIVE), Decimal("0")),
                since=since,
            )
        )
    customers = world.customers(specs)
    terms = []
    for plan, customer, numbers in zip(plans, customers, policy_numbers(plans, today), strict=True):
        unit = units[plan.unit].pk
        for p, no in zip(plan.policies, numbers, strict=True):
            start = today - timedelta(days=p.start_days_ago)
            end = start + timedelta(days=364)
            insured = insured_persons(plan.segment, p.line, p.premium)
            spec = world.PolicySpec(no, customer.pk, p.line, p.premium, start, end, unit, p.status)
            terms.append(spec._replace(insured_persons=insured))
    made = iter(world.policies(terms))
    return customers, [[next(made) for _ in plan.policies] for plan in plans]
