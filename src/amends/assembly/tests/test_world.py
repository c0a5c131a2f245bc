"""The world builder: its specs name every column, and the ORM and the bulk writer make the same rows of them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password

from amends.accounts.models import OrgKind, Role
from amends.assembly import world
from amends.assembly.testing import at
from amends.assembly.world.bulk import Writer, next_id
from amends.customers.models import Customer, Line, Policy, PolicyStatus, Segment


@pytest.mark.parametrize(("spec", "model"), [(world.CustomerSpec, Customer), (world.PolicySpec, Policy)])
def test_customer_and_policy_specs_name_every_column_of_their_table(spec, model):
    assert set(spec._fields) == {f.attname for f in model._meta.concrete_fields}


def test_a_regular_tree_has_every_province_city_and_outlet_under_its_parent():
    units = world.tree("HO", ["广东", "北京"], cities=2, outlets=3, prefix="X-")
    assert len(units) == 2 * (1 + 2 * (1 + 3))
    assert units[:3] == [
        world.UnitSpec("X-P0", "广东分公司", OrgKind.PROVINCE, "HO", "广东"),
        world.UnitSpec("X-P0C0", "广东第1中心支公司", OrgKind.CITY, "X-P0", "广东"),
        world.UnitSpec("X-P0C0O0", "广东1-1营业部", OrgKind.OUTLET, "X-P0C0", "广东"),
    ]
    codes = {u.code for u in units} | {"HO"}
    assert all(u.parent in codes for u in units)


@pytest.mark.django_db
def test_a_unit_may_hang_under_one_already_in_the_database():
    head = world.units([world.UnitSpec("HO", "总公司", OrgKind.HEAD_OFFICE, None, "")])["HO"]
    units = world.units(world.tree("HO", ["广东"], cities=1, outlets=1))
    outlet = units["P0C0O0"]
    assert outlet.ancestor_ids() == [outlet.pk, units["P0C0"].pk, units["P0"].pk, head.pk]


@pytest.mark.django_db
def test_staff_share_one_password_and_only_administrators_may_use_the_admin():
    world.units([world.UnitSpec("HO", "总公司", OrgKind.HEAD_OFFICE, None, "")])
    staff = world.staff(
        [world.StaffSpec("a", "甲", Role.ADMIN, "HO"), world.StaffSpec("h", "乙", Role.HANDLER, "HO")],
        password="secret-words",
    )
    assert all(check_password("secret-words", u.password) for u in staff.values())
    assert (staff["a"].is_superuser, staff["h"].is_staff) == (True, False)
    assert staff["h"].org_unit.code == "HO" and staff["a"].pk < staff["h"].pk
    (bot,) = world.staff([world.StaffSpec("bot", "", Role.HANDLER, "HO", active=False)], password=None).values()
    assert not bot.has_usable_password() and not bot.is_active


def _people(unit: int, first_id: int | None) -> list[world.CustomerSpec]:
    return [
        world.CustomerSpec(
            f"K{first_id}-{n}",
            "张伟",
            unit,
            at("2019-05-01 10:00"),
            segment=Segment.KEY_ACCOUNT,
            phone="13800138000",
            value=Decimal("3200.50"),
            since=date(2019, 5, 1),
            id=first_id + n if first_id is not None else None,
        )
        for n in range(2)
    ]


def _terms(customers: list[int], unit: int) -> list[world.PolicySpec]:
    start = date(2026, 3, 1)
    return [
        world.PolicySpec(f"P{c}", c, Line.AUTO, Decimal("3200.50"), start, date(2027, 2, 28), unit, PolicyStatus.LAPSED)
        for c in customers
    ]


@pytest.mark.django_db
def test_the_orm_and_the_bulk_writer_write_the_same_rows():
    unit = world.units([world.UnitSpec("HO", "总公司", OrgKind.HEAD_OFFICE, None, "")])["HO"].pk
    by_orm = world.customers(_people(unit, None))
    world.policies(_terms([c.pk for c in by_orm], unit))
    first = next_id(Customer)
    writer = Writer()
    writer.customers(_people(unit, first))
    policy = next_id(Policy)
    writer.policies(p._replace(id=policy + i) for i, p in enumerate(_terms([first, first + 1], unit)))

    def rows(model, *exclude):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"id", *exclude}]
        return list(model.objects.order_by("id").values_list(*fields))

    customers = rows(Customer, "customer_no")
    assert len(customers) == 4 and customers[:2] == customers[2:]
    policies = rows(Policy, "policy_no", "customer_id")
    assert len(policies) == 4 and policies[:2] == policies[2:]


@pytest.mark.django_db
def test_a_row_written_in_bulk_needs_its_id():
    unit = world.units([world.UnitSpec("HO", "总公司", OrgKind.HEAD_OFFICE, None, "")])["HO"].pk
    with pytest.raises(ValueError, match="needs its id"):
        Writer().customers(_people(unit, None))
