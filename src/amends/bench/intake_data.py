"""The intake bench's organisation and traffic: the test personas' small insurer, a few more handlers, a couple
of thousand customers with policies, a token for the front-line agent, and complaint bodies that mix existing
customers (with their policy numbers) and new ones, on every active touchpoint.

Bodies are made from a seeded generator, so two runs send the same kind of traffic.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

from amends.accounts.models import Role, User
from amends.accounts.tokens import token_issue
from amends.assembly import world
from amends.assembly.testing import make_world
from amends.customers.models import Line, Segment
from amends.journeys.models import Touchpoint

SEGMENTS = [Segment.INDIVIDUAL] * 5 + [Segment.ONLINE] * 2 + [Segment.TELESALES, Segment.KEY_ACCOUNT]
CHANNELS = ["hotline"] * 5 + ["app", "app", "portal", "email", "counter", "letter", "regulator", "social"]
DESCRIPTIONS = [
    "定损员约好上午九点到现场，等到下午三点也没有人来，电话也打不通。",
    "理赔材料已经交了三次，每次都说缺一份，没有一次性告诉我需要什么。",
    "续保时保费上涨了百分之三十，没有任何解释，客服态度很差。",
    "残值件被修理厂收走了，理赔时却要求我交回旧件，之前没人告诉我。",
    "体检报告交了两个月，健康险理赔还在审核，没有任何进度通知。",
    "退保金额和销售人员当初说的不一样，差了好几千元。",
]
REQUESTS = [
    "尽快安排定损并道歉",
    "一次性告知所需材料并加快理赔",
    "解释保费上涨原因",
    "退还多收的费用",
    "给出明确的办结时间",
]


@dataclass
class IntakeWorld:
    actor: User
    token: str
    customers: list[tuple[int, str]]  # (customer id, one of their policy numbers)
    touchpoints: list[str]


def seed(*, customers: int = 2000, handlers: int = 4) -> IntakeWorld:
    """The personas of the test suite plus more handlers and customers; returns the agent and their token."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        persons = make_world()
        more = [
            world.StaffSpec(f"bench_handler{i + 1}", f"投诉专员{i + 1}号", Role.HANDLER, persons.shenzhen.code)
            for i in range(handlers)
        ]
        world.staff(more, password="bench-handler-password")
    rng = random.Random(20261101)
    now = timezone.now()
    outlet = persons.nanshan.pk
    made = world.customers(
        world.CustomerSpec(
            f"BC{i:07d}",
            world.drawn_name(rng),
            outlet,
            now,
            phone=f"13{rng.randrange(10**9):09d}",
            email=f"bc{i:07d}@example.cn",
            segment=rng.choice(SEGMENTS),
            value=Decimal(rng.randrange(800, 60000)),
            since=date(2015 + rng.randrange(11), 1 + rng.randrange(12), 1),
        )
        for i in range(customers)
    )
    policies = world.policies(
        world.PolicySpec(
            f"PA2026{c.pk:012d}",
            c.pk,
            rng.choice(list(Line.values)),
            c.value,
            date(2026, 1 + rng.randrange(12), 1),
            date(2027, 12, 31),
            outlet,
        )
        for c in made
    )
    touchpoints = list(Touchpoint.objects.filter(active=True).order_by("code").values_list("code", flat=True))
    token = token_issue(actor=None, user=persons.frontline)
    return IntakeWorld(persons.frontline, token, [(p.customer_id, p.policy_no) for p in policies], touchpoints)


class Traffic:
    """Complaint bodies: `existing_share` of them for known customers (a tenth of those on a claim already
    complained about, so they join its open case), the rest from new customers."""

    def __init__(self, world: IntakeWorld, *, existing_share: float = 0.5, seed: int = 7) -> None:
        self.world = world
        self.existing_share = existing_share
        self.rng = random.Random(seed)
        self.recent_claims: list[tuple[int, str, str]] = []

    def body(self) -> dict:
        rng = self.rng
        data: dict = {
            "channel": rng.choice(CHANNELS),
            "touchpoint": rng.choice(self.world.touchpoints) if self.world.touchpoints else "",
            "description": rng.choice(DESCRIPTIONS),
            "request": rng.choice(REQUESTS),
            "request_confirmed": rng.random() < 0.8,
        }
        if rng.random() < 0.3:
            data["loss_amount"] = f"{rng.randrange(100, 50000)}.00"
        if rng.random() < self.existing_share:
            if self.recent_claims and rng.random() < 0.1:
                customer_id, policy_no, claim_no = rng.choice(self.recent_claims)
            else:
                customer_id, policy_no = rng.choice(self.world.customers)
                claim_no = f"CL2026{uuid.uuid4().int % 10**12:012d}"
                self.recent_claims = [*self.recent_claims[-200:], (customer_id, policy_no, claim_no)]
            data.update(customer={"id": customer_id}, policy_no=policy_no, claim_no=claim_no)
        else:
            data["customer"] = {
                "name": world.drawn_name(rng),
                "phone": f"15{rng.randrange(10**9):09d}",
                "segment": rng.choice(SEGMENTS),
            }
        return data

    def __call__(self) -> tuple[str, bytes]:
        return uuid.uuid4().hex, json.dumps(self.body(), ensure_ascii=False).encode()
