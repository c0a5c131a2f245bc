"""JSON API for customers: find one (name, phone or policy number) and read one with policies and cases."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from amends.accounts.http import actor_of
from amends.core.schemas import Day, IdName, Money, Out

from . import queries

router = Router(tags=["customers"])


class CustomerOut(Out):
    """A customer as the caller may see them: phone and e-mail masked (`masked`) for roles that do not see
    contact details in full."""

    id: int
    customer_no: str
    name: str
    segment: str
    value: Money
    imported_from: str | None
    phone: str
    email: str
    masked: bool


class CustomersOut(Out):
    items: list[CustomerOut]


class InsurancePolicyOut(Out):
    id: int
    policy_no: str
    line: str
    premium: Money
    start_date: Day
    end_date: Day
    status: str


class CustomerDetailOut(CustomerOut):
    """A customer with their policies; the apps above add their sections (`cases`, `promises`…)."""

    since: Day | None
    org_unit: IdName
    policies: list[InsurancePolicyOut]


@router.get("/customers", response=CustomersOut)
def search_customers(request: HttpRequest, q: str = "") -> Any:
    """Up to 20 customers whose name starts with, or phone, customer number or policy number equals, `q`."""
    actor = actor_of(request)
    return {"items": queries.search(actor, q)}


@router.get("/customers/{customer_id}", response=CustomerDetailOut)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    return queries.customer_detail(actor_of(request), customer_id)
