"""Writing a world's specs through the ORM, for worlds of up to some thousands of rows (the test world, the demo,
the intake and events benches): org units one by one (a unit's path embeds its own id), everything else in
bulk_create batches. Returns the model instances, so callers hold the objects they go on to use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models

from amends.accounts.models import OrgUnit, Role, User
from amends.customers.models import Customer, Policy

from .specs import CustomerSpec, PolicySpec, StaffSpec, UnitSpec

M = TypeVar("M", bound=models.Model)


def units(specs: Iterable[UnitSpec]) -> dict[str, OrgUnit]:
    """Units by code, parents first; a parent not in `specs` is read from the database."""
    built: dict[str, OrgUnit] = {}
    for spec in specs:
        parent = None
        if spec.parent is not None:
            parent = built.get(spec.parent) or OrgUnit.objects.get(code=spec.parent)
        unit = OrgUnit(code=spec.code, name=spec.name, kind=spec.kind, parent=parent, region=spec.region)
        unit.save()
        built[spec.code] = unit
    return built


def staff(
    specs: Iterable[StaffSpec], *, password: str | None, units: Mapping[str, OrgUnit] | None = None
) -> dict[str, User]:
    """Staff by username, all with `password` (None: none they could log in with). Administrators may use
    Django's admin. Units missing from `units` are read from the database by code."""
    specs = list(specs)
    if not specs:
        return {}
    known = dict(units or {})
    missing = {s.unit for s in specs if s.unit not in known}
    known.update((u.code, u) for u in OrgUnit.objects.filter(code__in=missing))
    # One hash for everyone: PBKDF2 costs ~0.3 s a call, and a world's staff share one password.
    hashed = make_password(password)
    users = [
        User(
            username=s.username,
            display_name=s.display_name,
            role=s.role,
            org_unit=known[s.unit],
            password=hashed,
            is_active=s.active,
            is_staff=s.role == Role.ADMIN,
            is_superuser=s.role == Role.ADMIN,
        )
        for s in specs
    ]
    _create(User, users, "username")
    return {u.username: u for u in users}


def customers(specs: Iterable[CustomerSpec]) -> list[Customer]:
    return _create(Customer, [Customer(**s._asdict()) for s in specs], "customer_no")


def policies(specs: Iterable[PolicySpec]) -> list[Policy]:
    return _create(Policy, [Policy(**s._asdict()) for s in specs], "policy_no")


def _create(model: type[M], rows: list[M], key: str) -> list[M]:
    model._default_manager.bulk_create(rows, batch_size=500)
    if rows and rows[0].pk is None:  # a backend that does not return ids from a bulk insert
        ids = dict(
            model._default_manager.filter(**{f"{key}__in": [getattr(r, key) for r in rows]}).values_list(key, "pk")
        )
        for row in rows:
            row.pk = ids[getattr(row, key)]
    return rows
