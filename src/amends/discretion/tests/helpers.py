"""Policies for the test world: front line ¥500 a time (¥2,000 a month each), supervisors ¥5,000, the head
office ¥50,000; set a day before the test's clock so they are in force."""

from __future__ import annotations

from datetime import timedelta

from amends.assembly.testing import receive
from amends.core import clock
from amends.discretion import services

KINDS = ("waiver", "voucher", "cash")


def set_policies(world, *, frontline_budget="2000", unit_budget="10000"):
    with clock.frozen(clock.now() - timedelta(days=1)):
        for kind in KINDS:
            services.policy_set(
                actor=world.admin,
                role="frontline",
                org_unit_id=world.guangdong.pk,
                kind=kind,
                per_action_limit="500",
                actor_budget=frontline_budget,
                unit_budget=unit_budget,
            )
            services.policy_set(
                actor=world.admin,
                role="supervisor",
                org_unit_id=world.guangdong.pk,
                kind=kind,
                per_action_limit="5000",
                actor_budget="20000",
            )
            services.policy_set(
                actor=world.admin, role="admin", org_unit_id=world.head_office.pk, kind=kind, per_action_limit="50000"
            )


def ask(world, case, amount="300", *, actor=None, kind="waiver", at_fault=False, extra_cost=True, breach=False):
    return services.discretion_request(
        actor=actor or world.frontline,
        case_id=case.pk,
        kind=kind,
        amount=amount,
        reason="换件清单未注明须交残，客户按清单交残，不应扣残值。",
        customer_at_fault=at_fault,
        extra_cost=extra_cost,
        breaches_regulation=breach,
    )


def online_case(world):
    return receive(world.frontline, world.online).case
