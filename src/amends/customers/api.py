"""JSON API for customers: find one (name, phone or policy number) and read one with policies and cases."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from amends.accounts.http import actor_of

from . import queries

router = Router(tags=["customers"])


@router.get("/customers", response=dict)
def search_customers(request: HttpRequest, q: str = "") -> Any:
    """Up to 20 customers whose name starts with, or phone, customer number or policy number equals, `q`."""
    actor = actor_of(request)
    return {"items": queries.search(actor, q)}


@router.get("/customers/{customer_id}", response=dict)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    return queries.customer_detail(actor_of(request), customer_id)
