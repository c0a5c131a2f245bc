"""The test worlds every app's tests share: a small insurer with two provinces, staff in every role, four
customers (`make_world`); complaints received through the real service (`receive`); and rows written with
chosen times for tests where what matters is when things happened (`case`, `complaint`, `step`, `failure`).

`make_world()` builds its reference data with the world builder (`assembly.world`) and returns a namespace; tests act
through the real services and the real HTTP stack. Test modules of any app may import this module (the one
import of the top package they are allowed: see the layers contract in pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from amends.accounts.models import OrgKind, OrgUnit, Role, User
from amends.accounts.tokens import token_issue
from amends.assembly import world
from amends.customers.models import Customer, Line, Policy, Segment
from amends.intake import services as intake
from amends.intake.models import Complaint
from amends.journeys import catalogue
from amends.journeys.models import Journey, Touchpoint
from amends.recovery.models import Case, CaseStatus, CaseStep, Failure

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-battery"


def at(text: str) -> datetime:
    """'2026-11-01 09:30' in Beijing time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class World:
    head_office: OrgUnit
    guangdong: OrgUnit
    shenzhen: OrgUnit
    nanshan: OrgUnit
    beijing: OrgUnit
    frontline: User
    handler: User
    handler2: User
    supervisor: User
    quality: User
    admin: User
    beijing_handler: User
    senior: User
    individual: Customer
    online: Customer
    key_account: Customer
    beijing_customer: Customer
    auto_policy: Policy

    def token(self, user: User) -> str:
        return token_issue(actor=None, user=user)


# The test insurer: units named for where they are; the region is the name's first two characters.
UNITS = [
    world.UnitSpec(code, name, kind, parent, name[:2])
    for code, name, kind, parent in (
        ("HO", "总公司", OrgKind.HEAD_OFFICE, None),
        ("GD", "广东分公司", OrgKind.PROVINCE, "HO"),
        ("GD-SZ", "深圳中心支公司", OrgKind.CITY, "GD"),
        ("GD-SZ-NS", "南山营业部", OrgKind.OUTLET, "GD-SZ"),
        ("BJ", "北京分公司", OrgKind.PROVINCE, "HO"),
    )
]
# The personas, in the order of their ids (the lowest id wins a tie for a case).
STAFF = [
    world.StaffSpec("frontline", "柜员小李", Role.FRONTLINE, "GD-SZ-NS"),
    world.StaffSpec("handler", "投诉专员王芳", Role.HANDLER, "GD-SZ"),
    world.StaffSpec("handler2", "投诉专员陈刚", Role.HANDLER, "GD-SZ"),
    world.StaffSpec("supervisor", "主管赵敏", Role.SUPERVISOR, "GD-SZ"),
    world.StaffSpec("quality", "品质经理孙悦", Role.QUALITY_MANAGER, "GD"),
    world.StaffSpec("admin", "系统管理员", Role.ADMIN, "HO"),
    world.StaffSpec("bj_handler", "北京专员刘洋", Role.HANDLER, "BJ"),
    world.StaffSpec("senior", "总公司副总经理周强", Role.SENIOR_MANAGER, "HO"),
]


def _customer(no: str, name: str, segment: str, unit: OrgUnit, value: str, phone: str) -> world.CustomerSpec:
    return world.CustomerSpec(
        no,
        name,
        unit.pk,
        at("2019-05-01 10:00"),
        segment=segment,
        phone=phone,
        email=f"{no.lower()}@example.cn",
        value=Decimal(value),
        since=date(2019, 5, 1),
    )


def make_world() -> World:
    # Transactional tests flush the database, data-migrated catalogue included; put it back.
    catalogue.load(Journey, Touchpoint)
    units = world.units(UNITS)
    ho, gd, sz, ns, bj = (units[code] for code in ("HO", "GD", "GD-SZ", "GD-SZ-NS", "BJ"))
    staff = world.staff(STAFF, password=PASSWORD, units=units)
    individual, online, key_account, beijing_customer = world.customers(
        [
            _customer("C0001", "张伟", Segment.INDIVIDUAL, ns, "3200.00", "13800138000"),
            _customer("C0002", "李娜", Segment.ONLINE, ns, "1800.00", "13900139000"),
            _customer("C0003", "深圳市华运物流有限公司", Segment.KEY_ACCOUNT, sz, "260000.00", "075583000000"),
            _customer("C0004", "王强", Segment.INDIVIDUAL, bj, "5000.00", "13700137000"),
        ]
    )
    (auto_policy,) = world.policies(
        [
            world.PolicySpec(
                "PA2026440300000001",
                individual.pk,
                Line.AUTO,
                Decimal("3200.00"),
                date(2026, 3, 1),
                date(2027, 2, 28),
                ns.pk,
            )
        ]
    )
    return World(
        head_office=ho,
        guangdong=gd,
        shenzhen=sz,
        nanshan=ns,
        beijing=bj,
        frontline=staff["frontline"],
        handler=staff["handler"],
        handler2=staff["handler2"],
        supervisor=staff["supervisor"],
        quality=staff["quality"],
        admin=staff["admin"],
        beijing_handler=staff["bj_handler"],
        senior=staff["senior"],
        individual=individual,
        online=online,
        key_account=key_account,
        beijing_customer=beijing_customer,
        auto_policy=auto_policy,
    )


# Complaints through the real service.


def complaint_input(customer: Customer | None, **overrides: object) -> intake.ComplaintInput:
    values: dict[str, object] = dict(
        channel="hotline",
        description="按盖章的换件清单交了残件，理赔系统却要求另交一个清单上没写的零件，扣了300元残值。",
        request="全额赔付，不扣这300元。",
        customer_id=customer.pk if customer is not None else None,
        claim_no="CL2026110200001",
        touchpoint="auto_claim.salvage",
        request_confirmed=True,
    )
    values.update(overrides)
    return intake.ComplaintInput(**values)  # type: ignore[arg-type]


def receive(actor: User, customer: Customer | None, key: str | None = None, **overrides: object) -> Complaint:
    complaint, _created = intake.complaint_receive(
        actor=actor, data=complaint_input(customer, **overrides), idempotency_key=key
    )
    return complaint


def decide(actor: User, complaint: Complaint, decision: str = "全额赔付，不扣残值。") -> Complaint:
    """Tell the complainant the decision, which stops the clock (a case's follow-up waits for it)."""
    return intake.complaint_decide(actor=actor, complaint_id=complaint.pk, decision=decision)


# Rows with chosen times: reference data for tests of what is counted when (the services that write them are
# tested in their own apps).


def tp(code: str) -> Touchpoint:
    return Touchpoint.objects.get(code=code)


def case(world: World, customer: Customer, opened: str, *, closed: str | None = None) -> Case:
    return Case.objects.create(
        customer=customer,
        org_unit=customer.org_unit,
        owner=world.handler,
        episode_key=f"t:{customer.pk}:{opened}",
        status=CaseStatus.CLOSED if closed else CaseStatus.IN_PROGRESS,
        opened_at=at(opened),
        closed_at=at(closed) if closed else None,
        closure="recovered" if closed else "",
    )


def complaint(
    world: World,
    c: Case,
    received: str,
    *,
    channel: str,
    category: str = "",
    decided: str | None = None,
    due: str | None = None,
    policy: Policy | None = None,
) -> Complaint:
    received_at = at(received)
    return Complaint.objects.create(
        case=c,
        customer=c.customer,
        channel=channel,
        received_at=received_at,
        due_at=at(due) if due else received_at + timedelta(days=15),
        category=category,
        policy=policy,
        description="…",
        request="…",
        created_by=world.frontline,
        created_at=received_at,
        decided_at=at(decided) if decided else None,
    )


def step(world: World, c: Case, when: str, name: str = "apology") -> None:
    CaseStep.objects.create(case=c, step=name, actor=world.handler, at=at(when))


def failure(c: Case, when: str, touchpoint: str | None, cause: str = "", dimension: str = "") -> Failure:
    return Failure.objects.create(
        case=c,
        customer=c.customer,
        touchpoint=tp(touchpoint) if touchpoint else None,
        cause=cause,
        dimension=dimension,
        source="complaint",
        description="…",
        occurred_at=at(when),
    )
