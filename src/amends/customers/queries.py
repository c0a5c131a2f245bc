"""Reads of customers: search for the intake form and the API, and the customer page.

Apps above (recovery's cases, promises) add their part of the customer page as `CUSTOMER_SECTIONS`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from amends.accounts.access import SEES_CONTACTS, can, scope_filter
from amends.accounts.models import User
from amends.core import throttle
from amends.core.errors import TooManyRequests
from amends.core.inputs import normalise_phone
from amends.core.sections import Sections

from .access import access_customer
from .models import Customer, Policy
from .presenters import customer_brief

# Added by `assembly.wiring`, each with its own template in the customer page's main column.
CUSTOMER_SECTIONS = Sections("customer", slots=("main",))


def search(actor: User, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Customers in the actor's scope by name prefix, customer or policy number, and — for those who see
    contact details in full — phone. Matching a phone the searcher sees masked would let them try the hidden
    digits one guess at a time; every search counts against AMENDS_SEARCH_PER_MINUTE for the same reason."""
    q = q.strip()
    if not q:
        return []
    if not throttle.allow(f"search:{actor.pk}", limit=settings.AMENDS_SEARCH_PER_MINUTE, window_seconds=60):
        raise TooManyRequests(_("Too many searches just now. Wait a minute and try again."))
    match = Q(name__startswith=q) | Q(customer_no=q.upper())
    if can(actor, SEES_CONTACTS):
        phone = normalise_phone(q)
        match |= Q(phone__in={q, phone, f"+86{phone}"})
    owner_ids = list(Policy.objects.filter(policy_no=q.upper()).values_list("customer_id", flat=True)[:5])
    if owner_ids:
        match |= Q(pk__in=owner_ids)
    rows = scope_filter(Customer.objects.filter(match), actor).order_by("name", "id")[:limit]
    return [customer_brief(actor, c) for c in rows]


def policy_brief(p: Policy) -> dict[str, Any]:
    return {
        "id": p.pk,
        "policy_no": p.policy_no,
        "line": p.line,
        "premium": str(p.premium),
        "start_date": p.start_date,
        "end_date": p.end_date,
        "status": p.status,
    }


def customer_detail(actor: User, customer_id: int) -> dict[str, Any]:
    customer = access_customer(actor, customer_id)
    return {
        **customer_brief(actor, customer),
        "since": customer.since,
        "org_unit": {"id": customer.org_unit_id, "name": customer.org_unit.name},
        "policies": [policy_brief(p) for p in customer.policies.order_by("-end_date", "policy_no")],
        **CUSTOMER_SECTIONS.read(actor, customer),
    }
